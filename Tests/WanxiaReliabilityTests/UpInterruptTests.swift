import Foundation
import Testing
import WanxiaBroker
import WanxiaDeliveryTesting
import WanxiaTesting

/// `wanxia up` stopped from its terminal: Ctrl-C sends SIGINT to the whole foreground process
/// group, and the broker must not die under the services before they have stopped; and if the
/// broker dies anyway, the services must still stop.
@Suite("wanxia up stopped with Ctrl-C")
struct UpInterruptTests {
    /// A running `wanxia up` on a free port, every service connected to its broker.
    struct Up {
        let process: ChildProcess
        let port: Int
        let log: URL
        /// The broker's configuration file: its path names the broker's process uniquely.
        let brokerConfig: String

        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        func killBroker() throws {
            _ = try Executable.run("pkill", ["-KILL", "-f", brokerConfig])
        }

        /// Bounded: a process that hangs in its shutdown fails the test instead of stalling it.
        func waitForExit() async throws {
            try await eventually("wanxia up has exited", timeout: .seconds(60)) { process.hasExited }
        }
    }

    /// Starts `wanxia up` in a process group of its own (standing in for the terminal's foreground
    /// group), waits until the broker's log shows every service connected, runs `body`, and
    /// leaves nothing of it running, however `body` ends.
    static func withUp(_ body: (Up) async throws -> Void) async throws {
        try await TemporaryDirectory.with { folder in
            let port = try FreePort.find()
            let data = folder.appendingPathComponent("data")
            let process = try ChildProcess.spawn(RegistrarProcess.wanxiaExecutable(),
                                                 arguments: ["up", "--data", data.path, "--port", "\(port)"],
                                                 output: folder.appendingPathComponent("up.log"), ownProcessGroup: true)
            let up = Up(process: process, port: port, log: folder.appendingPathComponent("up.log"),
                        brokerConfig: data.appendingPathComponent("broker/mosquitto.conf").path)
            defer {
                kill(-process.pid, SIGKILL)
                try? up.killBroker()
            }
            let brokerLog = data.appendingPathComponent("logs/mosquitto.log")
            try await eventually("every service is connected to the broker") {
                let text = (try? String(contentsOf: brokerLog, encoding: .utf8)) ?? ""
                return ["registrar", "registrar-query", "volunteers", "mentoring", "competitions", "classes"]
                    .allSatisfy { text.contains(" as \($0) (") }
            }
            try await body(up)
        }
    }

    @Test("SIGINT to the whole process group stops the services, then the broker, and exits 0",
          .timeLimit(.minutes(2)))
    func interruptFromTerminal() async throws {
        try await Self.withUp { up in
            kill(-up.process.pid, SIGINT)
            try await up.waitForExit()
            let status = try #require(up.process.exitStatus)
            #expect(status == 0, "exit status \(status); output:\n\(up.output.suffix(2000))")
            #expect(up.output.contains("Wanxia stopped"))
            #expect(!up.output.contains("exited by itself"))
            // The broker went with it.
            try await eventually("the broker's port is free") { !FreePort.accepts(port: up.port) }
        }
    }

    @Test("asked to stop as its broker dies, every service still stops (the broker's death may be reported)",
          .timeLimit(.minutes(2)))
    func brokerDiesDuringStop() async throws {
        try await Self.withUp { up in
            // The services' clients are connected; the broker vanishes as they wind down.
            kill(up.process.pid, SIGTERM)
            try up.killBroker()
            try await up.waitForExit()
            let output = up.output
            #expect(output.contains("Wanxia stopped") || output.contains("mosquitto exited by itself"), "\(output.suffix(2000))")
        }
    }
}
