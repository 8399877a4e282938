import Foundation
import GRDB
import Testing
import WanxiaContract
@testable import WanxiaDelivery
import WanxiaMQTT
import WanxiaTesting
import WanxiaDeliveryTesting

@Suite("Durable delivery through a real broker")
struct DeliveryTests {
    @Test("every item arrives once and the outbox drains to empty")
    func deliversEverything() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder)
                let producer = try await Producer.start(broker, folder: folder)
                let ids = try producer.checkIn(2_000)
                try await eventually("all acknowledged") { try producer.outbox.status().pending == 0 }
                #expect(try consumer.receivedCount() == 2_000)
                let stored = try await consumer.database.read { db in try Set(String.fetchAll(db, sql: "SELECT id FROM received")) }
                #expect(stored == Set(ids.map(\.description)))
                let status = try producer.outbox.status()
                #expect(status.delivered == 2_000)
                #expect(status.rejected == 0)
                // A committed write is durable: the consumer's file is in WAL with synchronous=FULL.
                #expect(try DeliveryDatabase.synchronousLevel(of: consumer.database) == 2)
                // An inbox's per-item savepoints keep their undo copies in memory (MEMORY = 2).
                #expect(try await consumer.database.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA temp_store") } == 2)
                // SQLite is in use now, so its process-wide settings can no longer change, and say so.
                #expect(!DeliveryDatabase.configureProcess())
                await producer.stop()
                await consumer.stop()
            }
        }
    }

    @Test("sequence numbers increase and items commit before anything is published")
    func sequenceNumbers() async throws {
        try await TemporaryDirectory.with { folder in
            let database = try Producer.open(folder: folder, site: "s1")
            let client = try MQTTClient(configuration: .init(clientID: "never-connected"))
            let outbox = Outbox(database: database, producer: "s1", client: client, router: MessageRouter(client: client),
                                ackTopic: Topic.siteAck(site: "s1"), rejectTopic: Topic.siteReject(site: "s1"))
            let first = try outbox.enqueue(Observation.checkin(CardScan(activity: "a", card: "c1")),
                                           to: Topic.observations(site: "s1", programme: .volunteers))
            let second = try outbox.enqueue(Observation.checkout(CardScan(activity: "a", card: "c1")),
                                            to: Topic.observations(site: "s1", programme: .volunteers))
            #expect(second.seq == first.seq + 1)
            #expect(second.id > first.id)
            #expect(try outbox.status().pending == 2)
            #expect(try outbox.status().sentAwaitingAck == 0)
            // An invalid body is refused before it is stored.
            #expect(throws: (any Error).self) {
                try outbox.enqueue(Observation.meetingLog(MeetingLog(pair: "pr-1", mentor: "p-1", minutes: 0, mode: .visit)),
                                   to: Topic.observations(site: "s1", programme: .mentoring))
            }
            #expect(try outbox.status().pending == 2)
            await client.shutdown()
        }
    }

    @Test("the broker killed and restarted mid-stream: all delivered, none twice")
    func brokerRestart() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder)
                let producer = try await Producer.start(broker, folder: folder)
                _ = try producer.checkIn(3_000)
                try await eventually("some delivered") { try consumer.receivedCount() > 0 }
                await broker.kill()
                _ = try producer.checkIn(2_000)  // stored while the broker is down
                try await broker.restart()
                try await eventually("all acknowledged") { try producer.outbox.status().pending == 0 }
                #expect(try consumer.receivedCount() == 5_000)
                #expect(try producer.outbox.status().delivered == 5_000)
                await producer.stop()
                await consumer.stop()
            }
        }
    }

    @Test("a consumer away for long behind a tiny broker queue still gets everything in the end")
    func brokerDropsAreRecovered() async throws {
        var options = TestBroker.Options()
        options.maxQueuedMessages = 5
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with(options) { broker in
                // A persistent session, so the broker queues (at most 5 messages) while the consumer is away.
                var consumer = try await Consumer.start(broker, folder: folder, persistentSession: true)
                await consumer.stop()
                let producer = try await Producer.start(broker, folder: folder) { $0.batchSize = 10 }
                _ = try producer.checkIn(1_000)  // 100 messages of 10
                // A full window (8 messages) goes out; the broker can hold only 5 of them for the absent
                // consumer. The outbox marks a window sent before publishing it, so wait for the broker's
                // word that it dropped some (the scenario really happened), not for the outbox's count.
                try await eventually("the broker dropped messages for the absent consumer") { broker.log().contains("dropped") }
                consumer = try await Consumer.start(broker, folder: folder, persistentSession: true)
                try await eventually("all acknowledged") { try producer.outbox.status().pending == 0 }
                #expect(try consumer.receivedCount() == 1_000)
                await producer.stop()
                await consumer.stop()
            }
        }
    }

    @Test("a producer restarted with a backlog sends it, and nothing twice")
    func producerRestart() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                // Stored with no consumer and no producer running: an offline kiosk.
                let offline = try Producer.open(folder: folder, site: "dongcheng-centre")
                try offline.close()
                let first = try await Producer.start(broker, folder: folder)
                _ = try first.checkIn(500)
                await first.stop()
                let consumer = try await Consumer.start(broker, folder: folder)
                let producer = try await Producer.start(broker, folder: folder)
                try await eventually("all acknowledged") { try producer.outbox.status().pending == 0 }
                #expect(try consumer.receivedCount() == 500)
                await producer.stop()
                await consumer.stop()
            }
        }
    }

    @Test("the same batch delivered twice is stored once and acknowledged twice")
    func duplicates() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder)
                let site: TopicID = "xicheng-court"
                let watcher = try await makeClient(broker, id: "watcher")
                try await watcher.subscribe(Topic.siteAck(site: site))
                let item = RawItem(id: .make(), seq: 1, at: Date(timeIntervalSince1970: 1_700_000_000), type: "checkin",
                                   body: ["activity": "act-1", "card": "c-9"])
                let payload = try WanxiaJSON.encode(RawBatch(producer: site, items: [item]))
                let sender = try await makeClient(broker, id: "sender")
                var acks: [Ack] = []
                for _ in 0..<2 {
                    try await sender.publish(Topic.observations(site: site, programme: .volunteers), payload: payload)
                    acks.append(try await firstMessage(watcher, as: Ack.self))
                }
                #expect(acks.count == 2)
                #expect(acks.allSatisfy { $0.ids == [item.id] })
                #expect(try consumer.receivedCount() == 1)
                #expect(consumer.inbox.statistics.duplicates == 1)
                await sender.shutdown()
                await watcher.shutdown()
                await consumer.stop()
            }
        }
    }

    @Test("the same id with different content is rejected as a conflict and kept; the first copy stands")
    func conflict() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder)
                let site: TopicID = "xicheng-court"
                let watcher = try await makeClient(broker, id: "watcher")
                try await watcher.subscribe(Topic.siteReject(site: site))
                let id = MessageID.make()
                let at = Date(timeIntervalSince1970: 1_700_000_000)
                let first = RawItem(id: id, seq: 1, at: at, type: "checkin", body: ["activity": "act-1", "card": "c-9"])
                var second = first
                second.body = ["activity": "act-1", "card": "c-10"]
                let sender = try await makeClient(broker, id: "sender")
                for item in [first, second] {
                    try await sender.publish(Topic.observations(site: site, programme: .volunteers),
                                             payload: try WanxiaJSON.encode(RawBatch(producer: site, items: [item])))
                }
                let reject = try await firstMessage(watcher, as: Reject.self)
                #expect(reject.rejected.first?.id == id)
                #expect(reject.rejected.first?.code == .conflict)
                let kept = try consumer.database.read { db in
                    try Row.fetchOne(db, sql: "SELECT code, raw FROM inbox_reject WHERE item_id = ?", arguments: [id.description])
                }
                let code: String? = kept?["code"]
                let raw: Data? = kept?["raw"]
                #expect(code == "conflict")
                #expect(String(decoding: raw ?? Data(), as: UTF8.self).contains("c-10"))
                #expect(try consumer.receivedCount() == 1)
                await sender.shutdown()
                await watcher.shutdown()
                await consumer.stop()
            }
        }
    }

    @Test("a refused item comes back to the producer's outbox with its reason and is not resent")
    func refusalReachesTheProducer() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder)
                let producer = try await Producer.start(broker, folder: folder)
                try await producer.database.write { db in
                    // An item the consumer's handler refuses, written as raw JSON through the outbox table.
                    _ = try OutboxStore.insert(topic: Topic.observations(site: producer.site, programme: .volunteers),
                                               type: "checkin", at: Date().wholeMilliseconds,
                                               body: Data(#"{"activity":"a","card":"c","refuse":true}"#.utf8), now: Date(), in: db)
                }
                _ = try producer.checkIn(3)
                producer.outbox.wake()
                try await eventually("all answered") { try producer.outbox.status().pending == 0 }
                let status = try producer.outbox.status()
                #expect(status.rejected == 1)
                #expect(status.delivered == 3)
                let refused = try #require(try producer.outbox.rejectedItems().first)
                #expect(refused.code == "invalid-field")
                #expect(refused.message.contains("refusal"))
                #expect(try consumer.receivedCount() == 3)
                await producer.stop()
                await consumer.stop()
            }
        }
    }

    @Test("a handler that says it refuses only before writing, yet refuses after a write, keeps nothing of that commit")
    func refusalAfterWriteFailsTheCommit() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder, handler: WritesThenRefuses())
                let site: TopicID = "nanshan-school"
                let sender = try await makeClient(broker, id: "sender")
                let item = { (seq: Int64, body: JSONValue) in RawItem(id: .make(), seq: seq, at: Date(), type: "checkin", body: body) }
                try await sender.publish(Topic.observations(site: site, programme: .volunteers), payload: try WanxiaJSON.encode(
                    RawBatch(producer: site, items: [item(1, ["activity": "a", "card": "c1"]),
                                                     item(2, ["activity": "a", "card": "c2", "refuse": true])])))
                try await eventually("the batch was handled") {
                    let statistics = consumer.inbox.statistics
                    return statistics.failedCommits + statistics.commits > 0
                }
                #expect(consumer.inbox.statistics.failedCommits >= 1)
                // Neither the good item nor the refused one's first write stands, and nothing was acknowledged.
                #expect(try consumer.receivedCount() == 0)
                #expect(try await consumer.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox_item")! } == 0)
                #expect(consumer.inbox.statistics.accepted == 0)
                await sender.shutdown()
                await consumer.stop()
            }
        }
    }

    @Test("bad messages are refused with a reason, kept raw, and valid ones around them are stored")
    func badInput() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder)
                let site: TopicID = "nanshan-school"
                let watcher = try await makeClient(broker, id: "watcher")
                try await watcher.subscribe(Topic.siteReject(site: site))
                try await watcher.subscribe(Topic.siteAck(site: site))
                let sender = try await makeClient(broker, id: "sender")
                let topic = Topic.observations(site: site, programme: .volunteers)
                let valid = { (n: Int64) in
                    try WanxiaJSON.encode(RawBatch(producer: site, items: [
                        RawItem(id: .make(), seq: n, at: Date(timeIntervalSince1970: 1_700_000_000), type: "checkin",
                                body: ["activity": "act-1", "card": .string("c-\(n)")]),
                    ]))
                }
                let bad: [(Data, RejectCode)] = [
                    (Data("{not json".utf8), .malformedJSON),
                    (Data([0x7B, 0xFF, 0xFE, 0x7D]), .invalidUTF8),
                    (Data(#"{"v":2,"producer":"nanshan-school","sentAt":"2023-05-01T09:00:00+08:00","items":[]}"#.utf8), .unsupportedVersion),
                    (try WanxiaJSON.encode(RawBatch(producer: "other-site", items: [
                        RawItem(id: .make(), seq: 1, at: Date(), type: "checkin", body: ["activity": "a", "card": "c"]),
                    ])), .invalidField),
                    (Data(repeating: 0x20, count: 1024 * 1024 + 1), .oversize),
                    (Data(#"{"v":1,"producer":"nanshan-school","sentAt":"2023-05-01T09:00:00+08:00","items":[{"id":"x","seq":1}]}"#.utf8), .invalidField),
                ]
                try await sender.publish(topic, payload: try valid(1))
                for (payload, _) in bad { try await sender.publish(topic, payload: payload) }
                try await sender.publish(topic, payload: try valid(2))

                var codes: [RejectCode] = []
                var acked = 0
                for await message in watcher.messages {
                    if message.topic.hasSuffix("/reject") {
                        codes += try WanxiaJSON.decode(Reject.self, from: message.payload).rejected.map(\.code)
                    } else {
                        acked += try WanxiaJSON.decode(Ack.self, from: message.payload).ids.count
                    }
                    if codes.count == bad.count && acked == 2 { break }
                }
                #expect(codes.sorted { $0.rawValue < $1.rawValue } == bad.map(\.1).sorted { $0.rawValue < $1.rawValue })
                #expect(try consumer.receivedCount() == 2)
                let kept = try await consumer.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox_reject")! }
                #expect(kept == bad.count)
                await sender.shutdown()
                await watcher.shutdown()
                await consumer.stop()
            }
        }
    }
}

func firstMessage<T: Decodable>(_ client: MQTTClient, as type: T.Type) async throws -> T {
    for await message in client.messages { return try WanxiaJSON.decode(T.self, from: message.payload) }
    throw TestSupportError("the client shut down before a message came")
}

@Suite("Clocks and credentials")
struct ClockAndCredentialTests {
    @Test("items from a producer whose clock is an hour off are stored, flagged with the difference, and acknowledged")
    func clockOff() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder)
                let site: TopicID = "slow-clock-site"
                let watcher = try await makeClient(broker, id: "watcher")
                try await watcher.subscribe(Topic.siteAck(site: site))
                let sentAt = Date().addingTimeInterval(-3600)
                let item = RawItem(id: .make(now: sentAt), seq: 1, at: sentAt, type: "checkin", body: ["activity": "a-1", "card": "c-1"])
                let sender = try await makeClient(broker, id: "sender")
                try await sender.publish(Topic.observations(site: site, programme: .volunteers),
                                         payload: try WanxiaJSON.encode(RawBatch(producer: site, sentAt: sentAt, items: [item])))
                let ack = try await firstMessage(watcher, as: Ack.self)
                #expect(ack.ids == [item.id])
                let skew = try await consumer.database.read { db in
                    try Int64.fetchOne(db, sql: "SELECT clock_skew FROM inbox_item WHERE id = ?", arguments: [item.id.description])
                }
                #expect((skew ?? 0) <= -3590 && (skew ?? 0) >= -3610)
                #expect(try consumer.receivedCount() == 1)
                await sender.shutdown()
                await watcher.shutdown()
                await consumer.stop()
            }
        }
    }

    @Test("a producer whose credentials the broker refuses keeps storing, keeps trying, and delivers once they work")
    func refusedCredentials() async throws {
        var options = TestBroker.Options()
        options.allowAnonymous = false
        options.passwords = ["volunteers": "service-pw", "dongcheng-centre": "new-password"]
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with(options) { broker in
                let consumer = try await Consumer.start(broker, folder: folder, configure: {
                    $0.username = "volunteers"
                    $0.password = "service-pw"
                })
                let site: TopicID = "dongcheng-centre"
                let database = try Producer.open(folder: folder, site: site)
                var settings = MQTTConfiguration(host: broker.host, port: broker.port, clientID: site.description)
                settings.username = site.description
                settings.password = "old-password"
                settings.reconnect = .init(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(200))
                let client = try MQTTClient(configuration: settings)
                let router = MessageRouter(client: client)
                let outbox = Outbox(database: database, producer: site, client: client, router: router,
                                    ackTopic: Topic.siteAck(site: site), rejectTopic: Topic.siteReject(site: site))
                client.start()
                let running = Running([router, outbox])
                for n in 0..<20 {
                    try outbox.enqueue(Observation.checkin(CardScan(activity: "a-1", card: "c-\(n)")),
                                       to: Topic.observations(site: site, programme: .volunteers))
                }
                try await eventually("the refusal is visible") {
                    if case .disconnected(let reason) = client.state { return reason.code == .connectionRefused }
                    return false
                }
                #expect(try outbox.status().pending == 20)
                #expect(try consumer.receivedCount() == 0)
                await running.stop()
                await client.shutdown()

                // The operator fixes the password; the same file delivers everything.
                settings.password = "new-password"
                let fixed = try MQTTClient(configuration: settings)
                let fixedRouter = MessageRouter(client: fixed)
                let fixedOutbox = Outbox(database: database, producer: site, client: fixed, router: fixedRouter,
                                         ackTopic: Topic.siteAck(site: site), rejectTopic: Topic.siteReject(site: site))
                fixed.start()
                let again = Running([fixedRouter, fixedOutbox])
                try await eventually("all delivered") { try fixedOutbox.status().pending == 0 }
                #expect(try consumer.receivedCount() == 20)
                await again.stop()
                await fixed.shutdown()
                await consumer.stop()
            }
        }
    }
}

/// A faulty consumer: it writes an item before deciding to refuse it, though it says it does not.
struct WritesThenRefuses: InboxHandler {
    var refusesBeforeWriting: Bool { true }

    func apply(_ item: Item<PlainBody>, from producer: TopicID, in db: Database) throws {
        try db.execute(sql: "INSERT INTO received(id, producer, type, seq) VALUES (?, ?, ?, ?)",
                       arguments: [item.id.description, producer.description, item.type, item.seq])
        if item.body.json.objectValue?["refuse"] == .bool(true) {
            throw Rejection(.invalidField, "refuse: the test asked for a refusal")
        }
    }
}
