import Foundation
import GRDB
import Testing
import WanxiaContract
@testable import WanxiaDelivery

/// The outbox's table of batches in flight, and deleting answered rows by key or by id.
@Suite("Outbox batches in flight")
struct OutboxInFlightTests {
    static func items(_ seqs: ClosedRange<Int64>) -> [(id: MessageID, seq: Int64)] {
        seqs.map { (MessageID.make(), $0) }
    }

    @Test("an answered item gives its row's key once; a batch leaves when its last item is answered")
    func answers() {
        var inFlight = OutboxInFlight(window: 16, maxWindow: 64)
        let now = ContinuousClock.now
        let first = Self.items(1...3)
        let second = Self.items(4...5)
        inFlight.add(first, sentAt: now, deadline: now + .seconds(10))
        inFlight.add(second, sentAt: now, deadline: now + .seconds(20))
        #expect(inFlight.count == 2)
        #expect(inFlight.itemCount == 5)
        #expect(inFlight.earliestDeadline == now + .seconds(10))

        #expect(inFlight.answer(first[1].id, now: now) == 2)
        #expect(inFlight.answer(first[1].id, now: now) == nil)  // a second answer finds nothing
        #expect(inFlight.answer(.make(), now: now) == nil)  // never sent from here
        #expect(inFlight.answer(first[0].id, now: now) == 1)
        #expect(inFlight.count == 2)
        #expect(inFlight.answer(first[2].id, now: now) == 3)
        #expect(inFlight.count == 1)
        #expect(inFlight.earliestDeadline == now + .seconds(20))
        #expect(inFlight.itemCount == 2)
    }

    @Test("an expired batch leaves with its items; an item sent again belongs to its new batch")
    func expiryAndResend() {
        var inFlight = OutboxInFlight(window: 16, maxWindow: 64)
        let now = ContinuousClock.now
        let first = Self.items(1...3)
        inFlight.add(first, sentAt: now, deadline: now + .seconds(1))
        // Item 2 timed out in spirit and was sent again in a later batch, with item 9.
        let again: [(id: MessageID, seq: Int64)] = [first[1], (MessageID.make(), 9)]
        inFlight.add(again, sentAt: now, deadline: now + .seconds(30))
        #expect(inFlight.count == 2)
        #expect(inFlight.itemCount == 4)

        inFlight.expire(now: now + .seconds(2))
        #expect(inFlight.count == 1)
        #expect(inFlight.answer(first[0].id, now: now) == nil)  // left with its batch
        #expect(inFlight.answer(first[1].id, now: now) == 2)  // still in flight, in the later batch
        #expect(inFlight.answer(again[1].id, now: now) == 9)
        #expect(inFlight.count == 0)
        #expect(inFlight.itemCount == 0)
        #expect(inFlight.earliestDeadline == nil)
    }

    @Test("a batch whose items all moved to a later batch leaves at once")
    func emptiedByResend() {
        var inFlight = OutboxInFlight(window: 16, maxWindow: 64)
        let now = ContinuousClock.now
        let first = Self.items(1...2)
        inFlight.add(first, sentAt: now, deadline: now + .seconds(1))
        inFlight.add(first, sentAt: now, deadline: now + .seconds(30))
        #expect(inFlight.count == 1)
        #expect(inFlight.earliestDeadline == now + .seconds(30))
        inFlight.removeAll()
        #expect(inFlight.count == 0)
        #expect(inFlight.answer(first[0].id, now: now) == nil)
    }

    @Test("the window grows by one for each batch answered quickly, up to its most, and halves on a timeout or a reconnect")
    func window() {
        var inFlight = OutboxInFlight(window: 2, maxWindow: 3)
        let now = ContinuousClock.now
        #expect(inFlight.free == 2)
        let quick = Self.items(1...2)
        inFlight.add(quick, sentAt: now, deadline: now + .seconds(8))
        #expect(inFlight.free == 1)
        _ = inFlight.answer(quick[0].id, now: now + .seconds(1))
        #expect(inFlight.window == 2)  // not yet whole
        _ = inFlight.answer(quick[1].id, now: now + .seconds(2))  // within a quarter of 8 s
        #expect(inFlight.window == 3)
        #expect(inFlight.free == 3)

        let slow = Self.items(3...3)
        inFlight.add(slow, sentAt: now, deadline: now + .seconds(8))
        _ = inFlight.answer(slow[0].id, now: now + .seconds(3))  // answered, but not quickly
        #expect(inFlight.window == 3)

        let capped = Self.items(4...4)
        inFlight.add(capped, sentAt: now, deadline: now + .seconds(8))
        _ = inFlight.answer(capped[0].id, now: now)
        #expect(inFlight.window == 3)  // at its most

        // Two batches time out together: one halving, not two.
        inFlight.add(Self.items(5...5), sentAt: now, deadline: now + .seconds(1))
        inFlight.add(Self.items(6...6), sentAt: now, deadline: now + .seconds(1))
        #expect(inFlight.free == 1)
        #expect(inFlight.expire(now: now + .seconds(2)) == 2)
        #expect(inFlight.window == 1)
        #expect(inFlight.expire(now: now + .seconds(3)) == 0)
        #expect(inFlight.window == 1)  // never below one
        inFlight.removeAll()
        #expect(inFlight.window == 1)

        #expect(OutboxInFlight(window: 16, maxWindow: 2).window == 2)
        #expect(OutboxInFlight(window: 0, maxWindow: 0).window == 1)
    }

    @Test("acknowledging deletes pending rows by key and by id, counts them once, and leaves refused rows")
    func acknowledgeByKeyAndID() throws {
        let queue = try OutboxDueOrderTests.backlog(10)
        let ids = try queue.read { db in try String.fetchAll(db, sql: "SELECT id FROM outbox ORDER BY seq") }
        try queue.write { db in
            try db.execute(sql: "UPDATE outbox SET state = 2 WHERE seq = 5")
            // Rows 1-3 and 5 by key (5 is refused: it stays), rows 7 and 8 by id, one id twice
            // and one never stored.
            let removed = try OutboxStore.acknowledge(
                seqs: [1, 2, 3, 5], ids: [try MessageID(validating: ids[6]), try MessageID(validating: ids[7]),
                                          try MessageID(validating: ids[7]), .make()], in: db)
            #expect(removed == 5)
        }
        let (left, delivered) = try queue.read { db in
            (try Int64.fetchAll(db, sql: "SELECT seq FROM outbox ORDER BY seq"),
             try Int.fetchOne(db, sql: "SELECT value FROM outbox_meta WHERE key = 'delivered'"))
        }
        #expect(left == [4, 5, 6, 9, 10])
        #expect(delivered == 5)
        #expect(OutboxStore.jsonArray([]) == "[]")
        #expect(OutboxStore.jsonArray([1, -2, 30]) == "[1,-2,30]")
    }
}
