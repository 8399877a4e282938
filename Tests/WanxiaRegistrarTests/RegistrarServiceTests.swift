import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WanxiaContract
import WanxiaMQTT
@testable import WanxiaRegistrar
import WanxiaTesting

@Suite("The registrar service end to end: records in through the inbox, answers out")
struct RegistrarServiceTests {
    @Test("stores a batch once, rejects bad items with reasons, answers queries, and stops on graceful shutdown")
    func endToEnd() async throws {
        try await TestBroker.with { broker in
            let folder = try TemporaryDirectory.make(prefix: "wanxia-registrar-service")
            defer { try? FileManager.default.removeItem(at: folder) }
            var mqtt = MQTTConfiguration(host: broker.host, port: broker.port, clientID: "registrar")
            mqtt.reconnect = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500))
            let service = RegistrarService(configuration: .init(dataDirectory: folder, mqtt: mqtt))
            let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
            let running = Task { try await group.run() }

            let producer = try MQTTClient(configuration: .init(host: broker.host, port: broker.port, clientID: "volunteers"))
            try await producer.connect()
            try await producer.subscribe(Topic.serviceAck(service: "volunteers"))
            try await producer.subscribe(Topic.serviceReject(service: "volunteers"))

            let now = Date()
            let start = now.addingTimeInterval(-7200)
            let items: [Item<WanxiaContract.Record>] = [
                Item(seq: 1, at: now, body: .retiree("P-0001", "张三")),
                Item(seq: 2, at: now, body: .event(EventRecord(event: "E-1", programme: .volunteers, kind: "法律援助进社区",
                                                               title: "'); DROP TABLE person; --", parent: "team-law",
                                                               start: start, end: now))),
                Item(seq: 3, at: now, body: .took("P-0001", "E-1", hours: 1.5)),
                Item(seq: 4, at: now, body: .took("P-0404", "E-1", hours: 1)),
            ]
            let batch = RecordBatch(producer: "volunteers", items: items)
            let payload = try WanxiaJSON.encode(batch)
            // Collect acks and rejects in the background; resend (as an outbox would) until all are answered.
            let answers = Mutex<(acked: Set<MessageID>, rejected: [MessageID: RejectCode])>(([], [:]))
            let listener = Task {
                for await message in producer.messages {
                    if message.topic.hasSuffix("/ack"), let ack = try? WanxiaJSON.decode(Ack.self, from: message.payload) {
                        answers.withLock { $0.acked.formUnion(ack.ids) }
                    } else if let reject = try? WanxiaJSON.decode(Reject.self, from: message.payload) {
                        answers.withLock { state in for item in reject.rejected { if let id = item.id { state.rejected[id] = item.code } } }
                    }
                }
            }
            try await eventually("every item acknowledged or rejected", timeout: .seconds(30)) {
                let done = answers.withLock { $0.acked.count + $0.rejected.count >= items.count }
                if !done {
                    try await producer.publish(Topic.records(producer: "volunteers"), payload: payload)
                    try await Task.sleep(for: .milliseconds(200))
                }
                return done
            }
            let (acked, rejected) = answers.withLock { ($0.acked, $0.rejected) }
            #expect(acked == Set(items.prefix(3).map(\.id)))
            #expect(rejected == [items[3].id: .unknownPerson])

            // The same batch again: stored once.
            try await producer.publish(Topic.records(producer: "volunteers"), payload: payload)
            let reply = try await RegistrarQueryClient.ask(
                QueryRequest(requestId: "s-1", query: .personHistory, person: "P-0001"),
                configuration: .init(host: broker.host, port: broker.port, clientID: "office-pc"))
            let history = try reply.result(as: PersonHistory.self)
            #expect(history.totalHours == 1.5)
            #expect(history.records.first?.title == "'); DROP TABLE person; --")

            await group.triggerGracefulShutdown()
            try await running.value
            await producer.shutdown()
            await listener.value

            let store = try RegistrarStore(path: folder.appendingPathComponent("registrar.sqlite").path, configuration: .init(readOnly: true))
            let statistics = try store.statistics()
            #expect(statistics.records == 1)
            #expect(statistics.rejects != nil)
            #expect(try store.integrityCheck().isOK)
        }
    }
}
