import Foundation
import Testing
import WanxiaContract
import WanxiaDeliveryTesting
import WanxiaMQTT
import WanxiaRegistrar
import WanxiaTesting

/// The broker (persistence off, so it forgets every queue and session) SIGKILLed under a stream.
@Suite("The broker SIGKILLed mid-stream between producers and the registrar", .serialized)
struct BrokerLossTests {
    /// The registrar runs as a child process; the 4 producers in this process. Each time the
    /// stored count passes a random threshold (plus 0-150 ms) the broker is SIGKILLed, stays away
    /// 0-500 ms, and comes back empty on the same port.
    @Test("killed 3 times and restarted empty: every record stored once, and the registrar still answers queries",
          .timeLimit(.minutes(3)))
    func brokerKilled() async throws {
        let seed = RegistrarFaultSeed.make(for: "BrokerLossTests")
        var random = SplitMix64(seed: seed)
        try await TemporaryDirectory.with(prefix: "wanxia-brokerloss") { folder in
            try await TestBroker.with { broker in
                let registrar = try RegistrarProcess(data: folder.appendingPathComponent("registrar"), port: broker.port,
                                                     log: folder.appendingPathComponent("registrar.log"))
                try await RegistrarProcess.with(registrar) { registrar in
                    let stream = try await RecordStream.start(broker, folder: folder, plan: .sized(2_500))
                    let total = stream.items.count
                    let kills = 3
                    // One threshold in each third of the stream, so the kills are spread over it.
                    let thresholds = (0..<kills).map { third in total / 20 + total * third / kills + Int(random.below(UInt64(total / kills * 8 / 10))) }
                    let jitters = (0..<kills).map { _ in Int(random.below(150)) }
                    let away = (0..<kills).map { _ in Int(random.below(500)) }
                    print("BrokerLossTests: \(total) items; broker kills after \(thresholds) stored, + \(jitters) ms, away \(away) ms")
                    for number in 0..<kills {
                        try await eventually("the registrar has stored \(thresholds[number]) items", timeout: .seconds(90)) {
                            registrar.storedItems() >= thresholds[number]
                        }
                        try await Task.sleep(for: .milliseconds(jitters[number]))  // the random moment
                        await broker.kill()
                        print("BrokerLossTests: broker kill \(number + 1) with \(registrar.storedItems()) stored")
                        try await Task.sleep(for: .milliseconds(away[number]))  // how long it stays away, by the seed
                        try await broker.restart()
                    }
                    try await eventually("every outbox is empty", timeout: .seconds(120)) { try stream.status().pending == 0 }
                    #expect(!registrar.hasExited, "the registrar died:\n\(registrar.logText().suffix(2000))")

                    let audit = try RecordStreamAudit(stream: stream, databasePath: try #require(registrar.databasePath))
                    #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
                    #expect(audit.inboxItems == total)
                    #expect(try stream.status().delivered == total)

                    // The query connection came back too: it answers from the complete book.
                    let person = "p-0-0"
                    let reply = try await RegistrarQueryClient.ask(
                        QueryRequest(requestId: "after-broker-loss", query: .personHistory, person: person),
                        configuration: MQTTConfiguration(host: broker.host, port: broker.port, clientID: "office-pc-1"),
                        timeout: .seconds(30))
                    #expect(reply.ok, "\(String(describing: reply.error))")
                    let history = try reply.result(as: PersonHistory.self)
                    let expected = try #require(stream.recordsPerPerson[person])
                    #expect(history.records.count == expected)
                    #expect(history.totalHours == Double(expected) * RecordStream.hours)
                    await stream.stop()
                    #expect(await registrar.stop() == 0, "the registrar did not stop cleanly:\n\(registrar.logText().suffix(2000))")
                }
            }
        }
    }
}
