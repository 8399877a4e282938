import Foundation
import Testing
import WanxiaBroker
import WanxiaDeliveryTesting
import WanxiaTesting

/// `wanxia up` stopped from its terminal: Ctrl-C sends SIGINT to the whole foreground process
/// group, and the broker must not die under the services before they have stopped.
@Suite("wanxia up stopped with Ctrl-C")
struct UpInterruptTests {
    /// Waits until the broker's log shows every service's client connected.
    static func waitUntilConnected(data: URL) async throws {
        let brokerLog = data.appendingPathComponent("logs/mosquitto.log")
        try await eventually("every service is connected to the broker") {
            let text = (try? String(contentsOf: brokerLog, encoding: .utf8)) ?? ""
            return ["registrar", "registrar-query", "volunteers", "mentoring", "competitions", "classes"]
                .allSatisfy { text.contains(" as \($0) (") }
        }
    }

    @Test("SIGINT to the whole process group stops the services, then the broker, and exits 0",
          .timeLimit(.minutes(2)))
    func interruptFromTerminal() async throws {
        try await TemporaryDirectory.with { folder in
            let port = try FreePort.find()
            let data = folder.appendingPathComponent("data")
            let log = folder.appendingPathComponent("up.log")
            // A process group of its own stands in for the terminal's foreground group.
            let up = try ChildProcess.spawn(RegistrarProcess.wanxiaExecutable(),
                                            arguments: ["up", "--data", data.path, "--port", "\(port)"],
                                            output: log, ownProcessGroup: true)
            let brokerConfig = data.appendingPathComponent("broker/mosquitto.conf").path
            defer {
                // Whatever happened, nothing of this test keeps running.
                kill(-up.pid, SIGKILL)
                _ = try? Executable.run("pkill", ["-KILL", "-f", brokerConfig])
            }
            try await Self.waitUntilConnected(data: data)
            kill(-up.pid, SIGINT)
            // Bounded: a process that hangs in its shutdown fails the test instead of stalling it.
            try await eventually("wanxia up has exited", timeout: .seconds(60)) { up.hasExited }
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let status = try #require(up.exitStatus)
            #expect(status == 0, "exit status \(status); output:\n\(output.suffix(2000))")
            #expect(output.contains("Wanxia stopped"))
            #expect(!output.contains("exited by itself"))
            // The broker went with it.
            try await eventually("the broker's port is free") { !FreePort.accepts(port: port) }
        }
    }

    @Test("asked to stop as its broker dies, every service still stops (the broker's death may be reported)",
          .timeLimit(.minutes(2)))
    func brokerDiesDuringStop() async throws {
        try await TemporaryDirectory.with { folder in
            let port = try FreePort.find()
            let data = folder.appendingPathComponent("data")
            let log = folder.appendingPathComponent("up.log")
            let up = try ChildProcess.spawn(RegistrarProcess.wanxiaExecutable(),
                                            arguments: ["up", "--data", data.path, "--port", "\(port)"],
                                            output: log, ownProcessGroup: true)
            let brokerConfig = data.appendingPathComponent("broker/mosquitto.conf").path
            defer {
                kill(-up.pid, SIGKILL)
                _ = try? Executable.run("pkill", ["-KILL", "-f", brokerConfig])
            }
            try await Self.waitUntilConnected(data: data)
            // The services' clients are connected; the broker vanishes as they wind down.
            kill(up.pid, SIGTERM)
            _ = try Executable.run("pkill", ["-KILL", "-f", brokerConfig])
            try await eventually("wanxia up has exited", timeout: .seconds(60)) { up.hasExited }
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(output.contains("Wanxia stopped") || output.contains("mosquitto exited by itself"), "\(output.suffix(2000))")
        }
    }
}
