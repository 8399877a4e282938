import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The mentoring service's ``InboxHandler``: `meeting-log` observations from mentors' phones,
/// turned into a meeting and its records by a ``MentoringLedger`` inside the inbox's transaction.
///
/// The item's `at` is when the meeting ended (the phone logs it afterwards), so a phone that was
/// offline still logs the right time; the meeting must fall while the pair was active and be
/// logged for the pair's own mentor. Refusals: `unknown-pair`, `not-pair-mentor`,
/// `pair-not-active`, `out-of-range`; other observation types `unknown-type`.
public struct MentoringIngest: InboxHandler {
    public var ledger: MentoringLedger
    /// Called after the commit of a transaction in which this handler enqueued records
    /// (once per commit, however many meetings).
    public let recordsEnqueued: @Sendable () -> Void
    private let commitWake: CommitWake

    public init(ledger: MentoringLedger = MentoringLedger(), recordsEnqueued: @escaping @Sendable () -> Void = {}) {
        self.ledger = ledger
        self.recordsEnqueued = recordsEnqueued
        commitWake = CommitWake(recordsEnqueued)
    }

    public func apply(_ item: Item<Observation>, from producer: TopicID, in db: Database) throws {
        guard case .meetingLog(let log) = item.body else {
            throw Rejection(.unknownType, "type: the mentoring service takes meeting-log, not \(item.body.type)")
        }
        try ledger.logMeeting(pair: log.pair, mentor: log.mentor, minutes: log.minutes, mode: log.mode, end: item.at, id: item.id,
                              site: producer, source: "phone", in: db)
        commitWake.request(in: db)
    }
}
