import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Testing
import WanxiaContract
@testable import WanxiaDelivery
import WanxiaDeliveryTesting
import WanxiaMQTT
import WanxiaRegistrar
import WanxiaTesting

@Suite("Bad input: a seeded corpus of malformed, oversize, mistyped, misencoded, out-of-range and conflicting messages")
struct BadInputTests {
    static let producers: [TopicID] = ["volunteers", "mentoring", "competitions", "classes"]

    @Test("the registrar refuses every bad message and item with its reason and stores every valid record exactly once",
          .timeLimit(.minutes(8)))
    func registrarCorpus() async throws {
        let seed = BadInputSeed.current()
        let started = ContinuousClock.now
        let corpus = BadInputCorpus.registrar(seed: seed, messages: BadInputSeed.messages(default: 100_000), producers: Self.producers, sentAt: Date())
        print("""
            bad-input corpus: seed \(seed) (replay with WANXIA_BAD_INPUT_SEED=\(seed)); \(corpus.messageCount - corpus.roll.count) \
            messages in \(corpus.rounds.count) rounds after a roll of \(corpus.roll.count), built in \(ContinuousClock.now - started)
            \(corpus.summary)
            """)
        #expect(corpus.messageCount - corpus.roll.count >= BadInputSeed.messages(default: 100_000))

        var options = TestBroker.Options()
        // The corpus is sent raw, with no outbox to resend what a broker queue limit would drop.
        options.maxQueuedMessages = 0
        try await TemporaryDirectory.with(prefix: "wanxia-bad-input") { folder in
            try await TestBroker.with(options) { broker in
                var mqtt = MQTTConfiguration(host: broker.host, port: broker.port, clientID: "registrar")
                mqtt.reconnect = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500))
                mqtt.receiveBuffer = 200_000
                let configuration = RegistrarService.Configuration(dataDirectory: folder, mqtt: mqtt)
                let group = ServiceGroup(services: [RegistrarService(configuration: configuration)], logger: Logger(label: "bad-input"))
                let running = Task { try await group.run() }

                let answers = BadInputAnswers()
                let watcher = try await makeClient(broker, id: "bad-input-watcher") { $0.receiveBuffer = 100_000 }
                for producer in Self.producers {
                    try await watcher.subscribe(Topic.serviceAck(service: producer))
                    try await watcher.subscribe(Topic.serviceReject(service: producer))
                }
                let listener = Task { await answers.listen(to: watcher) }
                var publishers: [TopicID: MQTTClient] = [:]
                for producer in Self.producers {
                    publishers[producer] = try await makeClient(broker, id: "bad-input-\(producer)")
                }
                var sender = BadInputSender(publishers: publishers, answers: answers)

                // The inbox subscribes in the background: wait until it answers, then the roll, then the rounds.
                let probe = try await makeClient(broker, id: "bad-input-probe")
                try await BadInputSender.waitForConsumer(probe)
                await probe.shutdown()
                try await sender.send(corpus.roll, label: "the roll")
                let sendStarted = ContinuousClock.now
                for (index, round) in corpus.rounds.enumerated() {
                    try await sender.send(round, label: "round \(index + 1) of \(corpus.rounds.count)")
                }
                let kept = corpus.allMessages.filter { if case .kept = $0.fate { return true } else { return false } }.count
                let database = try DatabaseQueue(path: configuration.databasePath, configuration: BadInputTests.readOnly)
                try await eventually("messages on topics that name no producer are kept", timeout: .seconds(30)) {
                    try await database.read { db in
                        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox_reject WHERE producer IS NULL") ?? 0
                    } >= kept
                }
                let elapsed = ContinuousClock.now - sendStarted
                print("bad-input corpus: \(corpus.messageCount - corpus.roll.count) messages answered in \(elapsed)")

                // No crash: the registrar still answers a question, and its answer agrees with the book.
                let busiest = Dictionary(grouping: corpus.participations.values, by: \.person).max { $0.value.count < $1.value.count }!.key
                let reply = try await RegistrarQueryClient.ask(
                    QueryRequest(requestId: "bad-input-1", query: .personHistory, person: busiest),
                    configuration: .init(host: broker.host, port: broker.port, clientID: "bad-input-office"))
                let history = try reply.result(as: PersonHistory.self)
                let effective = corpus.participations.filter { $0.value.person == busiest && !corpus.superseded.contains($0.key) }
                #expect(Set(history.records.map(\.record)) == Set(effective.keys))

                await group.triggerGracefulShutdown()
                try await running.value
                for publisher in publishers.values { await publisher.shutdown() }
                await watcher.shutdown()
                await listener.value

                try Self.checkAnswers(answers.current, corpus: corpus)
                try await Self.checkBook(database, corpus: corpus)
                try database.close()
            }
        }
    }

    @Test("a reject of an item with a seq below 1, or whose reason quotes a NUL or a long value, is itself a valid Reject",
          arguments: [0, -7, Int64.min])
    func rejectOfABadSeq(seq: Int64) throws {
        let reject = Reject(consumer: "registrar", rejected: [
            .init(id: .make(), seq: seq, code: .invalidField, message: "seq: \(seq) is out of range 1...\(Int64.max)"),
            .init(id: .make(), seq: 5, code: .invalidField, message: "body.title: \"NUL\u{0}inside\" " + String(repeating: "长", count: 600)),
        ])
        let decoded = try WanxiaJSON.decode(Reject.self, from: WanxiaJSON.encode(reject))
        #expect(decoded.rejected.map(\.seq) == [nil, 5])
        #expect(decoded.rejected[1].message.hasPrefix("body.title: \"NUL\u{FFFD}inside\" 长"))
        #expect(decoded.rejected.map(\.id) == reject.rejected.map(\.id))
    }

    @Test("a seq that is a JSON number but not an integer is refused as a wrong field, not as \"not JSON\"",
          arguments: ["1.5", "1e30"])
    func fractionalSeq(seq: String) throws {
        let payload = #"{"items":[{"at":"2024-05-01T09:00:00+08:00","body":{},"id":"0190a5e2-3c4d-7e5f-8a6b-7c8d9e0f1a2b","seq":"#
            + seq + #","type":"participation"}],"producer":"volunteers","sentAt":"2024-05-01T09:00:00+08:00","v":1}"#
        do {
            _ = try WanxiaJSON.makeDecoder().decode(RawBatch.self, from: Data(payload.utf8))
            Issue.record("decoded a fractional seq")
        } catch {
            let parses = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) != nil
            #expect(parses)
            #expect(Inbox.rejection(for: error, parsed: parses).code == .invalidField)
            #expect(Inbox.rejection(for: error, parsed: false).code == .malformedJSON)
        }
    }

    static var readOnly: GRDB.Configuration {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        return configuration
    }

    /// Every answer is the one the corpus expects: acks, item rejects and their codes, and whole
    /// messages refused, counted per reject topic and code.
    static func checkAnswers(_ tally: BadInputAnswers.Tally, corpus: BadInputCorpus) throws {
        #expect(tally.unreadable == 0)
        #expect(tally.silentRejects == 0, "every reject says why")
        let ackedButRefused = Set(tally.acks.keys).subtracting(corpus.acks.keys)
        let missingAcks = Set(corpus.acks.keys).subtracting(tally.acks.keys)
        #expect(ackedButRefused.isEmpty, "acknowledged but should be refused: \(ackedButRefused.prefix(5).map { ($0, corpus.itemRejects[$0] ?? []) })")
        #expect(missingAcks.isEmpty, "never acknowledged: \(missingAcks.prefix(5).map { ($0, tally.itemRejects[$0] ?? []) })")
        let wrongAckCounts = corpus.acks.filter { tally.acks[$0.key] != nil && tally.acks[$0.key] != $0.value }
        #expect(wrongAckCounts.isEmpty, "acknowledged a different number of times (duplicates must be acknowledged again): \(wrongAckCounts.prefix(5))")

        let wrongRejects = corpus.itemRejects.compactMap { id, codes -> String? in
            let got = (tally.itemRejects[id] ?? []).map(\.rawValue).sorted()
            return got == codes.map(\.rawValue).sorted() ? nil : "\(id): expected \(codes), got \(got)"
        }
        let unexpectedRejects = Set(tally.itemRejects.keys).subtracting(corpus.itemRejects.keys)
        #expect(wrongRejects.isEmpty, "\(wrongRejects.count) items got other rejects than expected, e.g. \(wrongRejects.sorted().prefix(8))")
        #expect(unexpectedRejects.isEmpty, "rejected but should be stored: \(unexpectedRejects.prefix(5).map { ($0, tally.itemRejects[$0]!) })")

        var expectedMessageRejects: [String: [RejectCode: Int]] = [:]
        for message in corpus.allMessages {
            if case .refused(let code) = message.fate {
                expectedMessageRejects[Topic.serviceReject(service: message.producer), default: [:]][code, default: 0] += 1
            }
        }
        #expect(tally.messageRejects == expectedMessageRejects)
    }

    /// The registrar's file holds exactly the valid records, each once, with the first copy's
    /// content, odd strings byte for byte, and every refused message's raw bytes.
    static func checkBook(_ database: DatabaseQueue, corpus: BadInputCorpus) async throws {
        try await database.read { db in
            let records = try String.fetchAll(db, sql: "SELECT record FROM participation")
            #expect(records.count == Set(records).count, "no record twice")
            #expect(Set(records) == Set(corpus.participations.keys.map(\.rawValue)))
            let stored = try Row.fetchAll(db, sql: "SELECT record, person, hours FROM participation")
            let changed = stored.filter { row in
                let expected = MessageID.validOrNil(row["record"]).flatMap { corpus.participations[$0] }
                return expected != BadInputCorpus.Participation(person: row["person"], hours: row["hours"])
            }
            #expect(changed.isEmpty, "records whose stored content is not the first copy's: \(changed.prefix(3))")
            let superseded = try String.fetchAll(db, sql: "SELECT supersedes FROM participation WHERE supersedes IS NOT NULL")
            #expect(Set(superseded) == Set(corpus.superseded.map(\.rawValue)))

            let events = try String.fetchAll(db, sql: "SELECT item_id FROM event")
            #expect(events.count == corpus.eventItems.count)
            #expect(Set(events) == Set(corpus.eventItems.map(\.rawValue)))
            let people = try String.fetchAll(db, sql: "SELECT id FROM person")
            #expect(Set(people) == corpus.people)

            let accepted = try String.fetchAll(db, sql: "SELECT id FROM inbox_item WHERE status = 1")
            #expect(Set(accepted) == Set(corpus.acks.keys.map(\.rawValue)))

            for (event, title) in corpus.oddTitles {
                let bytes = try Data.fetchOne(db, sql: "SELECT CAST(title AS BLOB) FROM event WHERE event = ?", arguments: [event])
                #expect(bytes == Data(title.utf8), "event \(event)'s title is stored exactly as sent")
            }

            // Whole messages refused: kept with their raw bytes, one row each.
            var expectedRaw: [String: Int] = [:]
            for message in corpus.allMessages {
                switch message.fate {
                case .refused(let code), .kept(let code):
                    expectedRaw["\(message.topic) \(code) \(BadInputTests.digest(message.payload))", default: 0] += 1
                case .items:
                    break
                }
            }
            var keptRaw: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT topic, code, raw FROM inbox_reject WHERE item_id IS NULL AND topic != ?",
                                                 arguments: [Topic.records(producer: BadInputSender.probe)]) {
                let topic: String = row["topic"]
                let code: String = row["code"]
                let raw: Data = row["raw"]
                keptRaw["\(topic) \(code) \(BadInputTests.digest(raw))", default: 0] += 1
            }
            #expect(keptRaw == expectedRaw, "each refused message is kept once with its raw bytes")

            // Items refused for good: kept once each (first copy and each conflicting copy). A refusal
            // that is not final (unknown person or event, which may still be on its way) is not kept.
            let firstRejects = corpus.allMessages.reduce(0) { total, message in
                guard case .items(let answers) = message.fate else { return total }
                return total + answers.filter { answer in
                    guard let code = answer.rejection, code.isFinal else { return false }
                    return answer.first || code == .conflict
                }.count
            }
            let keptItems = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox_reject WHERE item_id IS NOT NULL") ?? 0
            #expect(keptItems == firstRejects)
        }
    }

    /// FNV-1a 64 of `data`, as hex: enough to match kept bytes to sent ones.
    static func digest(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return "\(data.count):" + String(hash, radix: 16)
    }
}

extension MessageID {
    /// The id in `text`, or nil if it is not one.
    static func validOrNil(_ text: String) -> MessageID? { try? MessageID(validating: text) }
}
