import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The classes service's ``InboxHandler``: teachers' attendance marks, kiosk self check-ins and
/// essays from sites, applied by an ``AttendanceBook`` inside the inbox's transaction.
///
/// The observation's time is the item's `at` (when the teacher tapped or the card was read), not
/// when it arrived, so a phone that was offline still marks "late" correctly. A `checkin`'s
/// `activity` is the session id and its `card` a card or person id. Other observation types are
/// refused with `unknown-type`. After a transaction that enqueued records commits,
/// `recordsEnqueued` runs (the service wakes its outbox there).
public struct ClassesIngest: InboxHandler {
    public var book: AttendanceBook
    /// Called after the commit of a transaction in which this handler may have enqueued records
    /// (once per commit, however many).
    public let recordsEnqueued: @Sendable () -> Void
    private let commitWake: CommitWake

    public init(book: AttendanceBook = AttendanceBook(), recordsEnqueued: @escaping @Sendable () -> Void = {}) {
        self.book = book
        self.recordsEnqueued = recordsEnqueued
        commitWake = CommitWake(recordsEnqueued)
    }

    public func apply(_ item: Item<Observation>, from producer: TopicID, in db: Database) throws {
        switch item.body {
        case .attendance(let mark):
            if try book.mark(mark, at: item.at, in: db) != nil { commitWake.request(in: db) }
        case .checkin(let scan):
            if try book.checkIn(card: scan.card, session: scan.activity, at: item.at, in: db) != nil { commitWake.request(in: db) }
        case .essay(let essay):
            try book.essay(essay, at: item.at, in: db)
            commitWake.request(in: db)
        default:
            throw Rejection(.unknownType, "type: the classes service takes attendance, checkin and essay, not \(item.body.type)")
        }
    }
}
