import Foundation
import GRDB
import Testing
import WanxiaContract
@testable import WanxiaDelivery
import WanxiaMQTT
import WanxiaTesting
import WanxiaDeliveryTesting

/// How the inbox reads a message once: the outbox's spliced batches, refusals worded per item,
/// and fingerprints stored by earlier versions.
@Suite("Reading batches once")
struct InboxReadingTests {
    static let at = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("the outbox's spliced batch reads back as the batch the encoder would write")
    func splicedBatch() throws {
        let bodies: [Observation] = [
            .checkin(CardScan(activity: "act-1", card: "3100021987")),
            .checkout(CardScan(activity: "act-1", card: "c-2")),
        ]
        let rows = try bodies.enumerated().map { index, body in
            OutboxStore.Row(seq: Int64(index + 1), id: .make(), topic: "t", type: body.type,
                            at: Self.at.addingTimeInterval(Double(index) * 0.25),
                            body: try WanxiaJSON.encode(EncodableBody(body: body)), attempts: 0)
        }
        let spliced = try Outbox.batchPayload(producer: "dongcheng-centre", sentAt: Self.at, rows: rows)
        let expected = RawBatch(producer: "dongcheng-centre", sentAt: Self.at, items: try rows.map { row in
            RawItem(id: row.id, seq: row.seq, at: row.at, type: row.type,
                    body: try WanxiaJSON.makeDecoder().decode(JSONValue.self, from: row.body))
        })
        #expect(try WanxiaJSON.decode(RawBatch.self, from: spliced) == expected)
        #expect(spliced == (try WanxiaJSON.encode(expected)))
        let typed = try WanxiaJSON.decode(ObservationBatch.self, from: spliced)
        #expect(typed.items.map(\.body) == bodies)
    }

    @Test("a bad body refuses its own item, named from the item, and the rest of the batch is stored",
          .timeLimit(.minutes(1)))
    func badBodyInBatch() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder, handler: ObservationRecorder())
                let site: TopicID = "xicheng-court"
                let watcher = try await makeClient(broker, id: "watcher")
                try await watcher.subscribe(Topic.siteReject(site: site))
                let good = RawItem(id: .make(), seq: 1, at: Self.at, type: "checkin", body: ["activity": "act-1", "card": "c-1"])
                let bad = RawItem(id: .make(), seq: 2, at: Self.at, type: "checkin", body: ["activity": "act-1", "card": 42])
                let sender = try await makeClient(broker, id: "sender")
                try await sender.publish(Topic.observations(site: site, programme: .volunteers),
                                         payload: try WanxiaJSON.encode(RawBatch(producer: site, items: [good, bad])))
                let reject = try await firstMessage(watcher, as: Reject.self)
                let entry = try #require(reject.rejected.first)
                #expect(entry.id == bad.id)
                #expect(entry.code == .invalidField)
                #expect(entry.message.hasPrefix("body.card"), "\(entry.message)")
                #expect(try consumer.receivedCount() == 1)
                let kept: Data? = try await consumer.database.read { db in
                    try Data.fetchOne(db, sql: "SELECT raw FROM inbox_reject WHERE item_id = ?", arguments: [bad.id.description])
                }
                #expect(try WanxiaJSON.decode(RawItem.self, from: kept ?? Data()) == bad)
                await sender.shutdown()
                await watcher.shutdown()
                await consumer.stop()
            }
        }
    }

    @Test("an item stored with the fingerprint earlier versions kept is a duplicate when resent, a conflict when changed",
          .timeLimit(.minutes(1)))
    func legacyFingerprint() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder, handler: ObservationRecorder())
                let site: TopicID = "xicheng-court"
                // A field this build does not know: the typed reading drops it, so the fingerprint of
                // the typed item differs from the plain-JSON one an earlier version stored.
                let item = RawItem(id: .make(), seq: 1, at: Self.at, type: "checkin",
                                   body: ["activity": "act-1", "card": "c-9", "note": "from an older kiosk"])
                try await consumer.database.write { db in
                    _ = try InboxStore.claim(id: item.id, producer: site, seq: 1, type: "checkin",
                                             digest: Fingerprint.of(try item.canonicalData()), clockSkew: nil, now: Self.at, in: db)
                }
                let acks = try await makeClient(broker, id: "acks")
                try await acks.subscribe(Topic.siteAck(site: site))
                let rejects = try await makeClient(broker, id: "rejects")
                try await rejects.subscribe(Topic.siteReject(site: site))
                let sender = try await makeClient(broker, id: "sender")
                var changed = item
                changed.body = ["activity": "act-1", "card": "c-10"]
                for copy in [item, changed] {
                    try await sender.publish(Topic.observations(site: site, programme: .volunteers),
                                             payload: try WanxiaJSON.encode(RawBatch(producer: site, items: [copy])))
                }
                let ack = try await firstMessage(acks, as: Ack.self)
                #expect(ack.ids == [item.id])
                let reject = try await firstMessage(rejects, as: Reject.self)
                #expect(reject.rejected.map(\.code) == [.conflict])
                #expect(try consumer.receivedCount() == 0)
                #expect(consumer.inbox.statistics.duplicates == 1)
                for client in [sender, acks, rejects] { await client.shutdown() }
                await consumer.stop()
            }
        }
    }

    @Test("an item stored with the sorted-JSON fingerprint of the typed item is a duplicate when resent",
          .timeLimit(.minutes(1)))
    func sortedJSONFingerprint() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder, handler: ObservationRecorder())
                let site: TopicID = "xicheng-court"
                let item = Item(seq: 1, at: Self.at, body: Observation.checkin(CardScan(activity: "act-1", card: "c-9")))
                try await consumer.database.write { db in
                    _ = try InboxStore.claim(id: item.id, producer: site, seq: 1, type: "checkin",
                                             digest: Fingerprint.of(try WanxiaJSON.encode(item)), clockSkew: nil, now: Self.at, in: db)
                }
                #expect(try Fingerprint.of(try WanxiaJSON.encode(item)) != ContentFingerprint.of(item))
                let acks = try await makeClient(broker, id: "acks")
                try await acks.subscribe(Topic.siteAck(site: site))
                let sender = try await makeClient(broker, id: "sender")
                try await sender.publish(Topic.observations(site: site, programme: .volunteers),
                                         payload: try WanxiaJSON.encode(Batch(producer: site, items: [item])))
                let ack = try await firstMessage(acks, as: Ack.self)
                #expect(ack.ids == [item.id])
                #expect(try consumer.receivedCount() == 0)
                #expect(consumer.inbox.statistics.duplicates == 1)
                for client in [sender, acks] { await client.shutdown() }
                await consumer.stop()
            }
        }
    }
}

/// A consumer of typed observations that keeps each in the `received` table.
struct ObservationRecorder: InboxHandler {
    func apply(_ item: Item<Observation>, from producer: TopicID, in db: Database) throws {
        try db.execute(sql: "INSERT INTO received(id, producer, type, seq) VALUES (?, ?, ?, ?)",
                       arguments: [item.id.description, producer.description, item.type, item.seq])
    }
}
