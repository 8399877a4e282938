import Foundation
import GRDB
import Testing
import WanxiaContract
@testable import WanxiaDelivery

/// The outbox's statements on a large pending set: which rows come due, in what order, and that
/// neither picking them nor counting them reads the whole backlog.
@Suite("Outbox due rows and status on a backlog")
struct OutboxDueOrderTests {
    /// An in-memory outbox with `count` pending items, `seq` 1...count, item `seq` made at 1,000 + seq - 1 s.
    static func backlog(_ count: Int) throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        Outbox.registerMigrations(in: &migrator)
        try migrator.migrate(queue)
        try queue.write { db in
            for index in 0..<count {
                _ = try OutboxStore.insert(topic: "t", type: "checkin", at: Date(timeIntervalSince1970: Double(1_000 + index)),
                                           body: Data("{}".utf8), now: Date(), in: db)
            }
        }
        return queue
    }

    @Test("due rows come oldest first, skipping those in flight or refused, up to the limit; status agrees")
    func dueSkipsInFlight() throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("OutboxDueOrderTests seed \(seed)")
        var random = SplitMix64(seed: seed)
        let queue = try Self.backlog(2_000)
        // A random set in flight (due in an hour), a few refused, the rest due.
        var inFlight = Set<Int64>()
        while inFlight.count < 300 { inFlight.insert(Int64(random.below(2_000)) + 1) }
        let refused = Set((1...2_000).map(Int64.init).filter { !inFlight.contains($0) }.prefix(7))
        let now = Date()
        try queue.write { db in
            try OutboxStore.markSent(Array(inFlight), nextAttempt: now.addingTimeInterval(3_600), in: db)
            for seq in refused {
                try db.execute(sql: "UPDATE outbox SET state = 2 WHERE seq = ?", arguments: [seq])
            }
        }
        let expected = (1...2_000).map(Int64.init).filter { !inFlight.contains($0) && !refused.contains($0) }
        let due = try queue.read { db in try OutboxStore.due(now: now, limit: 500, in: db) }
        #expect(due.map(\.seq) == Array(expected.prefix(500)), "seed \(seed)")
        let all = try queue.read { db in try OutboxStore.due(now: now, limit: 10_000, in: db) }
        #expect(all.map(\.seq) == expected, "seed \(seed)")

        let status = try queue.read { db in try OutboxStore.status(in: db) }
        #expect(status.pending == 2_000 - refused.count)
        #expect(status.sentAwaitingAck == inFlight.count)
        #expect(status.rejected == refused.count)
        let oldestPending = (1...2_000).map(Int64.init).first { !refused.contains($0) }!
        #expect(status.oldestPending == Date(timeIntervalSince1970: Double(1_000 + oldestPending - 1)))
    }

    @Test("picking due rows walks an index in seq order: no sort of the whole backlog")
    func dueDoesNotSort() throws {
        let queue = try Self.backlog(10)
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + OutboxStore.dueSQL, arguments: [0, 10])
                .map { $0["detail"] as String }.joined(separator: "\n")
        }
        #expect(plan.contains("outbox_pending"))
        #expect(!plan.contains("TEMP B-TREE"))
    }
}
