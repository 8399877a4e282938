import Foundation
import GRDB
import Synchronization
import Testing
import WanxiaContract
@testable import WanxiaVolunteers

@Suite("The volunteers ingest wakes its outbox once per commit")
struct VolunteersIngestWakeTests {
    /// Counts the ingest's wake-ups.
    final class WakeCounter: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        func bump() { count.withLock { $0 += 1 } }
    }

    /// Applies a check-in and a check-out for each of `cards` in the caller's transaction.
    static func applyPairs(_ cards: [String], ingest: VolunteersIngest, in db: Database) throws {
        for (index, card) in cards.enumerated() {
            let checkin = try Item(seq: Int64(2 * index + 1), at: t("2024-05-12T09:00"),
                                   body: Observation.checkin(CardScan(activity: legalAid.id, card: card))).raw()
            let checkout = try Item(seq: Int64(2 * index + 2), at: t("2024-05-12T11:30"),
                                    body: Observation.checkout(CardScan(activity: legalAid.id, card: card))).raw()
            try ingest.apply(raw: checkin, from: legalAid.site, in: db)
            try ingest.apply(raw: checkout, from: legalAid.site, in: db)
        }
    }

    @Test("three check-outs in one transaction: one wake, after the commit, and three records enqueued")
    func oncePerCommit() throws {
        let book = try Book()
        defer { book.remove() }
        let wakes = WakeCounter()
        let ingest = VolunteersIngest(ledger: book.store.ledger, recordsEnqueued: { wakes.bump() })
        let beforeCommit = try book.store.database.write { db in
            try Self.applyPairs(["C001", "C002", "C003"], ingest: ingest, in: db)
            return wakes.value
        }
        #expect(beforeCommit == 0)
        #expect(wakes.value == 1)
        #expect(try book.outboxTypes().filter { $0 == "participation" }.count == 3)

        // The next transaction is woken again, on its own.
        try book.store.database.write { db in try Self.applyPairs(["C001"], ingest: ingest, in: db) }
        #expect(wakes.value == 2)
    }

    @Test("a transaction rolled back wakes nobody, and does not keep the next one from waking")
    func rollbackClears() throws {
        let book = try Book()
        defer { book.remove() }
        let wakes = WakeCounter()
        let ingest = VolunteersIngest(ledger: book.store.ledger, recordsEnqueued: { wakes.bump() })
        struct Abandon: Error {}
        #expect(throws: Abandon.self) {
            try book.store.database.write { db in
                try Self.applyPairs(["C002"], ingest: ingest, in: db)
                throw Abandon()
            }
        }
        #expect(wakes.value == 0)
        #expect(try book.outboxTypes().isEmpty)
        try book.store.database.write { db in try Self.applyPairs(["C002"], ingest: ingest, in: db) }
        #expect(wakes.value == 1)
        #expect(try book.standing("P-002").map(\.hours) == [2.5])
    }
}
