import Foundation
import Testing
import WanxiaContract
import WanxiaDeliveryTesting
import WanxiaTesting

/// The registrar, a child process, SIGKILLed at random moments while records stream in.
///
/// The first test streams the full 100k records (4 producers x 25,000; about 80 s in a debug build
/// on a shared 2-core machine), the interleaved one 40k; `WANXIA_FAULT_RECORDS` sets the number per
/// producer for both. Each kill lands when the stored count passes a threshold drawn from the seed, plus
/// 0-150 ms, so some fall mid-commit, some between commits and some during start-up.
@Suite("The registrar SIGKILLed at random moments during a stream", .serialized)
struct RegistrarKillTests {
    @Test("killed 10 times and restarted, it ends holding exactly the records sent, each once",
          .timeLimit(.minutes(4)))
    func killedTenTimes() async throws {
        try await Self.killRepeatedly(plan: .sized(25_000), kills: 10, test: "RegistrarKillTests")
    }

    /// The same with each event sent amid the records that name it, as a programme service sends
    /// them. A kill (or a registrar that is not yet subscribed) loses the message holding an
    /// event or person; the next message, holding records at that event, may reach the restarted
    /// registrar first, since each batch times out on its own jittered clock. The registrar refuses
    /// those records for now only (`unknown-event`/`unknown-person` are not final), remembers
    /// nothing of it, and the producer sends them again until the event is there: none is lost.
    @Test("killed with people and events amid the records that name them, nothing is refused",
          .timeLimit(.minutes(3)))
    func killedWithReferencesInterleaved() async throws {
        var plan = RecordStream.Plan.sized(2_500)
        plan.interleaved = true
        plan.eventsPerProducer = 50
        try await Self.killRepeatedly(plan: plan, kills: 5, test: "RegistrarKillTests.interleaved")
    }

    static func killRepeatedly(plan: RecordStream.Plan, kills: Int, test: String) async throws {
        let seed = RegistrarFaultSeed.make(for: test)
        var random = SplitMix64(seed: seed)
        try await TemporaryDirectory.with(prefix: "wanxia-kill") { folder in
            try await TestBroker.with { broker in
                let registrar = try RegistrarProcess(data: folder.appendingPathComponent("registrar"), port: broker.port,
                                                     log: folder.appendingPathComponent("registrar.log"))
                try await RegistrarProcess.with(registrar) { registrar in
                    let stream = try await RecordStream.start(broker, folder: folder, plan: plan)
                    let total = stream.items.count
                    let thresholds = (0..<kills).map { _ in total / 20 + Int(random.below(UInt64(total * 17 / 20))) }.sorted()
                    let jitters = (0..<kills).map { _ in Int(random.below(150)) }
                    print("\(test): \(total) items; kills after \(thresholds) stored, + \(jitters) ms")
                    let began = ContinuousClock.now
                    for (number, threshold) in thresholds.enumerated() {
                        try await eventually("the registrar has stored \(threshold) items", timeout: .seconds(90)) {
                            registrar.storedItems() >= threshold
                        }
                        try await Task.sleep(for: .milliseconds(jitters[number]))  // the random moment, not a wait for anything
                        #expect(!registrar.hasExited, "the registrar died by itself before kill \(number + 1):\n\(registrar.logText().suffix(2000))")
                        await registrar.kill()
                        print("\(test): kill \(number + 1) at \(ContinuousClock.now - began) with \(registrar.storedItems()) stored")
                        try registrar.start()
                    }
                    try await eventually("every outbox is empty", timeout: .seconds(120)) { try stream.status().pending == 0 }
                    print("\(test): drained \(total) items through \(kills) kills in \(ContinuousClock.now - began)")

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
