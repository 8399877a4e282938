import Foundation
import Testing
import WanxiaContract
import WanxiaMQTT
@testable import WanxiaRegistrar
import WanxiaTesting

@Suite("Queries over MQTT against a real mosquitto")
struct RegistrarQueryResponderTests {
    /// Runs a responder over the fixture's book on `broker` for the duration of `body`.
    func withResponder(_ broker: TestBroker, _ fixture: Fixture, _ body: @Sendable () async throws -> Void) async throws {
        let client = try MQTTClient(configuration: .init(host: broker.host, port: broker.port, clientID: "registrar-query"))
        try await client.connect()
        let responder = RegistrarQueryResponder(client: client, queries: fixture.queries)
        let running = Task { try await responder.run() }
        do {
            try await eventually("the responder has subscribed") { responder.isReady }
            try await body()
        } catch {
            running.cancel()
            await client.shutdown()
            throw error
        }
        running.cancel()
        await client.shutdown()
        try await running.value
    }

    func configuration(_ broker: TestBroker, _ id: String, _ version: MQTTProtocolVersion) -> MQTTConfiguration {
        MQTTConfiguration(host: broker.host, port: broker.port, clientID: id, protocolVersion: version)
    }

    @Test("the query client gets answers over MQTT 5 and 3.1.1", arguments: [MQTTProtocolVersion.v5, .v311])
    func answers(_ version: MQTTProtocolVersion) async throws {
        let fixture = try Fixture()
        try await TestBroker.with { broker in
            try await withResponder(broker, fixture) {
                let config = configuration(broker, "office-pc-1", version)
                let totals = try await RegistrarQueryClient.ask(
                    QueryRequest(requestId: "q-1", query: .periodTotals, period: "2023H1", programme: .competitions), configuration: config)
                #expect(totals.requestId == "q-1")
                #expect(try totals.result(as: PeriodTotals.self).rows.map(\.personTimes) == [3])

                let history = try await RegistrarQueryClient.ask(
                    QueryRequest(requestId: "q-2", query: .personHistory, person: "P-0002", asOf: Fixture.between), configuration: config)
                #expect(try history.result(as: PersonHistory.self).totalHours == 8.5)

                let group = try await RegistrarQueryClient.ask(
                    QueryRequest(requestId: "q-3", query: .groupParticipation, group: .init(kind: .team, id: "team-law"), period: "2023H1"),
                    configuration: config)
                #expect(try group.result(as: GroupParticipation.self).hours == 8)

                let unknown = try await RegistrarQueryClient.ask(
                    QueryRequest(requestId: "q-4", query: .personHistory, person: "P-9999"), configuration: config)
                #expect(!unknown.ok)
                #expect(unknown.error?.code == .unknownPerson)
            }
        }
    }

    @Test("an MQTT 5 response topic gets the reply with the same correlation data, and so does the reply topic")
    func responseTopic() async throws {
        let fixture = try Fixture()
        try await TestBroker.with { broker in
            try await withResponder(broker, fixture) {
                let asker = try MQTTClient(configuration: configuration(broker, "tablet-7", .v5))
                try await asker.connect()
                try await asker.subscribe("answers/tablet-7")
                try await asker.subscribe(Topic.reply(client: "tablet-7"))
                let request = try WanxiaJSON.encode(QueryRequest(requestId: "c-1", query: .personHistory, person: "P-0001"))
                let correlation = Data([0x00, 0xFF, 0x42])
                try await asker.publish(Topic.query(client: "tablet-7"), payload: request,
                                        properties: .init(responseTopic: "answers/tablet-7", correlationData: correlation))
                var seen: [String: MQTTMessage] = [:]
                for await message in asker.messages {
                    seen[message.topic] = message
                    if seen.count == 2 { break }
                }
                let direct = try #require(seen["answers/tablet-7"])
                #expect(direct.properties.correlationData == correlation)
                #expect(try WanxiaJSON.decode(QueryReply.self, from: direct.payload).result(as: PersonHistory.self).totalHours == 10)
                let usual = try #require(seen[Topic.reply(client: "tablet-7")])
                #expect(try WanxiaJSON.decode(QueryReply.self, from: usual.payload).requestId == "c-1")
                await asker.shutdown()
            }
        }
    }

    struct BadRequest: Sendable, CustomTestStringConvertible {
        var name: String
        var payload: Data
        var requestId: String
        var code: RejectCode
        var testDescription: String { name }
    }

    static let badRequests: [BadRequest] = [
        .init(name: "not JSON", payload: Data("hello".utf8), requestId: "unknown", code: .malformedJSON),
        .init(name: "invalid UTF-8", payload: Data([0x7B, 0xFF, 0xFE, 0x7D]), requestId: "unknown", code: .invalidUTF8),
        .init(name: "wrong type", payload: Data(#"{"v":1,"requestId":"b-1","query":"person-history","person":42}"#.utf8), requestId: "b-1", code: .invalidField),
        .init(name: "unknown query", payload: Data(#"{"v":1,"requestId":"b-2","query":"drop-tables"}"#.utf8), requestId: "b-2", code: .invalidField),
        .init(name: "unknown version", payload: Data(#"{"v":99,"requestId":"b-3","query":"period-totals","period":"2023"}"#.utf8), requestId: "b-3", code: .unsupportedVersion),
        .init(name: "missing argument", payload: Data(#"{"v":1,"requestId":"b-4","query":"period-totals"}"#.utf8), requestId: "b-4", code: .invalidField),
        .init(name: "oversize", payload: Data(#"{"v":1,"requestId":"b-5","query":"period-totals","period":"2023","pad":""#.utf8) + Data(repeating: 0x61, count: 70_000) + Data(#""}"#.utf8), requestId: "b-5", code: .oversize),
        .init(name: "SQL in an id", payload: Data(#"{"v":1,"requestId":"b-6","query":"person-history","person":"x' OR '1'='1"}"#.utf8), requestId: "b-6", code: .invalidField),
    ]

    @Test("bad requests get ok:false with a code; the responder keeps answering", arguments: badRequests)
    func refusesBadRequest(_ bad: BadRequest) async throws {
        let fixture = try Fixture()
        try await TestBroker.with { broker in
            try await withResponder(broker, fixture) {
                let asker = try MQTTClient(configuration: configuration(broker, "kiosk-3", .v311))
                try await asker.connect()
                try await asker.subscribe(Topic.reply(client: "kiosk-3"))
                try await asker.publish(Topic.query(client: "kiosk-3"), payload: bad.payload)
                try await asker.publish(Topic.query(client: "kiosk-3"),
                                        payload: try WanxiaJSON.encode(QueryRequest(requestId: "after", query: .periodTotals, period: "2023")))
                var replies: [QueryReply] = []
                for await message in asker.messages {
                    replies.append(try WanxiaJSON.decode(QueryReply.self, from: message.payload))
                    if replies.count == 2 { break }
                }
                #expect(replies.map(\.requestId) == [bad.requestId, "after"])
                #expect(replies.first?.ok == false)
                #expect(replies.first?.error?.code == bad.code)
                #expect(replies.last?.ok == true)
                await asker.shutdown()
            }
        }
    }

    @Test("a query asked while no registrar listens (one reconnecting after a broker restart) is answered once one does")
    func askedAgain() async throws {
        let fixture = try Fixture()
        try await TestBroker.with { broker in
            // A watcher sees the first copy go by; no registrar listens yet, so it is lost.
            let watcher = try MQTTClient(configuration: configuration(broker, "watcher", .v311))
            try await watcher.connect()
            try await watcher.subscribe(Topic.allQueries, qos: .atLeastOnce)
            let config = configuration(broker, "office-pc-1", .v311)
            let asking = Task {
                try await RegistrarQueryClient.ask(
                    QueryRequest(requestId: "late-1", query: .personHistory, person: "P-0002", asOf: Fixture.between),
                    configuration: config, timeout: .seconds(60))
            }
            for await message in watcher.messages where message.topic == Topic.query(client: "office-pc-1") { break }
            await watcher.shutdown()
            try await withResponder(broker, fixture) {
                let reply = try await asking.value
                #expect(reply.ok)
                #expect(try reply.result(as: PersonHistory.self).totalHours == 8.5)
            }
        }
    }

    @Test("an unreachable broker and a silent registrar are told apart")
    func unreachable() async throws {
        let port = try FreePort.find()
        let error = await #expect(throws: RegistrarError.self) {
            try await RegistrarQueryClient.ask(QueryRequest(requestId: "u-1", query: .periodTotals, period: "2023"),
                                               configuration: .init(port: port, clientID: "office-pc-1"), timeout: .milliseconds(500))
        }
        #expect(error?.code == .unreachable)

        try await TestBroker.with { broker in
            let silent = await #expect(throws: RegistrarError.self) {
                try await RegistrarQueryClient.ask(QueryRequest(requestId: "u-2", query: .periodTotals, period: "2023"),
                                                   configuration: configuration(broker, "office-pc-1", .v5), timeout: .milliseconds(500))
            }
            #expect(silent?.code == .timeout)
        }
    }
}
