import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The volunteers service's ``InboxHandler``: check-ins, check-outs and leaders' confirmations from
/// sites, turned into state and records by a ``HoursLedger`` inside the inbox's transaction.
///
/// The observation's time is the item's `at` (when the card was read at the site), not the time it
/// arrived, so a kiosk that was offline for an hour still counts the right hours. Other
/// observation types are refused with `unknown-type`. After a transaction that enqueued records
/// commits, `recordsEnqueued` runs (the service wakes its outbox there).
public struct VolunteersIngest: InboxHandler {
    public var ledger: HoursLedger
    /// Called after the commit of a transaction in which this handler enqueued records (once per
    /// commit, however many records).
    public let recordsEnqueued: @Sendable () -> Void
    private let commitWake: CommitWake

    public init(ledger: HoursLedger = HoursLedger(), recordsEnqueued: @escaping @Sendable () -> Void = {}) {
        self.ledger = ledger
        self.recordsEnqueued = recordsEnqueued
        commitWake = CommitWake(recordsEnqueued)
    }

    /// The ledger checks everything before it writes (see ``HoursLedger``), so the inbox needs no
    /// savepoint per scan.
    public var refusesBeforeWriting: Bool { true }

    public func apply(_ item: Item<Observation>, from producer: TopicID, in db: Database) throws {
        switch item.body {
        case .checkin(let scan):
            try ledger.checkIn(card: scan.card, activity: scan.activity, at: item.at, item: item.id, site: producer, in: db)
        case .checkout(let scan):
            try ledger.checkOut(card: scan.card, activity: scan.activity, at: item.at, item: item.id, site: producer, in: db)
            commitWake.request(in: db)
        case .confirmation(let confirmation):
            switch confirmation.decision {
            case .confirm:
                try ledger.confirm(activity: confirmation.activity, leader: confirmation.leader, at: item.at, in: db)
            case .correct:
                try ledger.correct(activity: confirmation.activity, leader: confirmation.leader,
                                   corrections: confirmation.corrections, at: item.at, in: db)
                commitWake.request(in: db)
            }
        default:
            throw Rejection(.unknownType, "type: the volunteers service takes checkin, checkout and confirmation, not \(item.body.type)")
        }
    }
}
