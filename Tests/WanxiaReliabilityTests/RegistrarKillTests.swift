import Foundation
import Testing
import WanxiaContract
import WanxiaDeliveryTesting
import WanxiaTesting

/// The registrar, a child process, SIGKILLed at random moments while records stream in.
@Suite("The registrar SIGKILLed at random moments during a stream", .serialized)
struct RegistrarKillTests {
    /// 4 producers x 25,000 participation records (+ their people and events): see the plan's sizing
    /// note in docs/reliability.md. Kills land when the stored count passes a random threshold, plus
    /// a random 0-150 ms, so some fall mid-commit and some during start-up.
    @Test("killed 10 times and restarted, it ends holding exactly the records sent, each once",
          .timeLimit(.minutes(4)))
    func killedTenTimes() async throws {
        let seed = RegistrarFaultSeed.make(for: "RegistrarKillTests")
        var random = SplitMix64(seed: seed)
        try await TemporaryDirectory.with(prefix: "wanxia-kill") { folder in
            try await TestBroker.with { broker in
                let registrar = try RegistrarProcess(data: folder.appendingPathComponent("registrar"), port: broker.port,
                                                     log: folder.appendingPathComponent("registrar.log"))
                try await RegistrarProcess.with(registrar) { registrar in
                    let stream = try await RecordStream.start(broker, folder: folder, plan: .init())
                    let total = stream.items.count
                    let kills = 10
                    let thresholds = (0..<kills).map { _ in total / 20 + Int(random.below(UInt64(total * 17 / 20))) }.sorted()
                    let jitters = (0..<kills).map { _ in Int(random.below(150)) }
                    print("RegistrarKillTests: \(total) items; kills after \(thresholds) stored, + \(jitters) ms")
                    let began = ContinuousClock.now
                    for (number, threshold) in thresholds.enumerated() {
                        try await eventually("the registrar has stored \(threshold) items", timeout: .seconds(120)) {
                            RegistrarFaultSeed.storedItems(at: registrar.databasePath) >= threshold
                        }
                        try await Task.sleep(for: .milliseconds(jitters[number]))  // the random moment, not a wait for anything
                        #expect(!registrar.hasExited, "the registrar died by itself before kill \(number + 1):\n\(registrar.logText().suffix(2000))")
                        await registrar.kill()
                        print("RegistrarKillTests: kill \(number + 1) with \(RegistrarFaultSeed.storedItems(at: registrar.databasePath)) stored")
                        try registrar.start()
                    }
                    try await eventually("every outbox is empty", timeout: .seconds(150)) { try stream.status().pending == 0 }
                    print("RegistrarKillTests: drained \(total) items through \(kills) kills in \(ContinuousClock.now - began)")

                    let audit = try RecordStreamAudit(stream: stream, databasePath: try #require(registrar.databasePath))
                    #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
                    #expect(audit.participations == stream.participations.count)
                    #expect(audit.inboxItems == total)
                    #expect(try stream.status().delivered == total)
                    await stream.stop()
                    #expect(await registrar.stop() == 0, "the registrar did not stop cleanly:\n\(registrar.logText().suffix(2000))")
                }
            }
        }
    }
}
