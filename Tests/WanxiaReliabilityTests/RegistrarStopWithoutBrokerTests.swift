import Foundation
import Testing
import WanxiaDeliveryTesting
import WanxiaTesting

/// A registrar whose broker is away must still stop when asked (systemd sends SIGTERM, then
/// SIGKILL after its timeout): nothing can be stored or acknowledged meanwhile anyway.
@Suite("The registrar stopped while its broker is away", .serialized)
struct RegistrarStopWithoutBrokerTests {
    @Test("a registrar that never reached its broker stops on SIGTERM", .timeLimit(.minutes(1)))
    func neverReached() async throws {
        try await TemporaryDirectory.with(prefix: "wanxia-nobroker") { folder in
            let registrar = try RegistrarProcess(data: folder.appendingPathComponent("registrar"), port: try FreePort.find(),
                                                 log: folder.appendingPathComponent("registrar.log"))
            try await RegistrarProcess.with(registrar) { registrar in
                try await eventually("the registrar has started", timeout: .seconds(30)) {
                    registrar.logText().contains("registrar started")
                }
                let status = await registrar.stop(within: .seconds(15))
                #expect(status == 0, "no clean stop within 15 s of SIGTERM (status \(String(describing: status))):\n\(registrar.logText().suffix(1500))")
            }
        }
    }

    @Test("a registrar whose broker died stops on SIGTERM", .timeLimit(.minutes(1)))
    func brokerDied() async throws {
        try await TemporaryDirectory.with(prefix: "wanxia-brokerdied") { folder in
            try await TestBroker.with { broker in
                let registrar = try RegistrarProcess(data: folder.appendingPathComponent("registrar"), port: broker.port,
                                                     log: folder.appendingPathComponent("registrar.log"))
                try await RegistrarProcess.with(registrar) { registrar in
                    var plan = RecordStream.Plan()
                    plan.producers = 1
                    plan.participationsPerProducer = 100
                    plan.eventsPerProducer = 1
                    let stream = try await RecordStream.start(broker, folder: folder, plan: plan)
                    try await eventually("the stream is acknowledged", timeout: .seconds(30)) { try stream.status().pending == 0 }
                    await broker.kill()
                    let status = await registrar.stop(within: .seconds(15))
                    #expect(status == 0, "no clean stop within 15 s of SIGTERM (status \(String(describing: status))):\n\(registrar.logText().suffix(1500))")
                    await stream.stop()
                }
            }
        }
    }
}
