import Foundation
import WanxiaBroker
import Synchronization

/// A real mosquitto on a free loopback port, for tests.
///
/// `TestBroker.start()` writes a config into a fresh temporary folder, launches `mosquitto -c`,
/// and returns once it listens on the port. `stop()` sends SIGTERM and, if the broker
/// hasn't exited within five seconds, SIGKILL; it always waits for the exit. `kill()` is the
/// abrupt SIGKILL a fault test wants, and `restart()` brings the broker back on the same port
/// with the same config (and its persistence file, if enabled). Brokers still running when the
/// test process exits are killed by an `atexit` hook. Prefer `TestBroker.with { ... }`, which
/// stops the broker however the body ends.
public final class TestBroker: Sendable {
    /// What the broker should look like.
    public struct Options: Sendable {
        public var allowAnonymous: Bool = true
        /// User name to password; written with `mosquitto_passwd`.
        public var passwords: [String: String] = [:]
        /// ACL file text (mosquitto's `acl_file` syntax), if any.
        public var acl: String?
        public var persistence: Bool = false
        /// `max_queued_messages`; nil leaves mosquitto's default (1000).
        public var maxQueuedMessages: Int?
        /// Extra lines appended to the generated config, verbatim.
        public var extraConfig: String = ""
        /// Serve TLS on the listener with these files (PEM paths).
        public var tls: (caFile: String, certificateFile: String, keyFile: String)?
        /// A whole configuration instead of the generated one, given the broker's folder, its port
        /// (which must be a loopback listener: start-up waits for it) and a second free port.
        /// Used to run Deploy/mosquitto.conf itself, with its paths and ports rewritten.
        public var configText: (@Sendable (_ directory: URL, _ port: Int, _ secondPort: Int) throws -> String)?
        public init() {}
    }

    public let port: Int
    /// A second free port, for a configuration with two listeners (``Options/configText``).
    public let secondPort: Int
    public let directory: URL
    public let options: Options
    private let process: Mutex<RunningBroker?>

    public var host: String { "127.0.0.1" }
    public var configFile: URL { directory.appendingPathComponent("mosquitto.conf") }
    public var logFile: URL { directory.appendingPathComponent("mosquitto.log") }

    private init(port: Int, secondPort: Int, directory: URL, options: Options) {
        self.port = port
        self.secondPort = secondPort
        self.directory = directory
        self.options = options
        self.process = Mutex(nil)
    }

    /// Starts a broker; retries on another port if the chosen one was taken meanwhile.
    public static func start(_ options: Options = Options()) async throws -> TestBroker {
        var lastError: any Error = TestSupportError("mosquitto did not start")
        for _ in 0..<5 {
            let directory = try TemporaryDirectory.make(prefix: "wanxia-broker")
            let port = try FreePort.find()
            var secondPort = try FreePort.find()
            while secondPort == port { secondPort = try FreePort.find() }
            let broker = TestBroker(port: port, secondPort: secondPort, directory: directory, options: options)
            do {
                try broker.writeFiles()
                try await broker.launch()
                return broker
            } catch {
                lastError = error
                await broker.stop()
                try? FileManager.default.removeItem(at: directory)
            }
        }
        throw lastError
    }

    /// Runs `body` with a fresh broker and stops it afterwards, whether `body` returns or throws.
    public static func with<R>(_ options: Options = Options(), _ body: (TestBroker) async throws -> R) async throws -> R {
        let broker = try await start(options)
        do {
            let result = try await body(broker)
            await broker.stop()
            broker.removeFiles()
            return result
        } catch {
            await broker.stop()
            broker.removeFiles()
            throw error
        }
    }

    /// SIGTERM, then SIGKILL after five seconds; returns once the process has exited.
    public func stop() async {
        guard let running = process.withLock({ $0.take() }) else { return }
        await running.terminate(grace: .seconds(5))
    }

    /// SIGKILL at once, as a crash would; returns once the process has exited.
    public func kill() async {
        guard let running = process.withLock({ $0.take() }) else { return }
        await running.terminate(grace: .zero)
    }

    /// Starts the broker again on the same port and folder.
    public func restart() async throws {
        await stop()
        var lastError: (any Error)?
        // The port may linger in TIME_WAIT for a moment; mosquitto sets SO_REUSEADDR, so a few tries suffice.
        for _ in 0..<20 {
            do {
                try await launch()
                return
            } catch {
                lastError = error
            }
        }
        throw lastError ?? TestSupportError("mosquitto did not restart")
    }

    /// Freezes the broker (SIGSTOP): connections stay open but nothing is answered.
    public func pause() {
        signal(SIGSTOP)
    }

    /// Lets a paused broker run again (SIGCONT).
    public func resume() {
        signal(SIGCONT)
    }

    private func signal(_ number: Int32) {
        guard let pid = process.withLock({ $0?.process.pid }) else { return }
        Foundation.kill(pid, number)
    }

    public var isRunning: Bool { process.withLock { $0 != nil } }

    /// The broker's log so far, for assertions and for failure messages.
    public func log() -> String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    public func removeFiles() { try? FileManager.default.removeItem(at: directory) }

    private func writeFiles() throws {
        if let configText = options.configText {
            try configText(directory, port, secondPort).write(to: configFile, atomically: true, encoding: .utf8)
            return
        }
        var lines = [
            "# Generated by WanxiaTesting for one test run.",
            "listener \(port) 127.0.0.1",
            "set_tcp_nodelay true",
            options.tls.map { "cafile \($0.caFile)\ncertfile \($0.certificateFile)\nkeyfile \($0.keyFile)\ntls_version tlsv1.2" } ?? "",
            "allow_anonymous \(options.allowAnonymous)",
            "persistence \(options.persistence)",
            "persistence_location \(directory.path)/",
            "log_dest file \(logFile.path)",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "connection_messages true",
            "user \(FreePort.currentUserName())",
        ]
        if let limit = options.maxQueuedMessages { lines.append("max_queued_messages \(limit)") }
        if !options.passwords.isEmpty {
            let file = directory.appendingPathComponent("passwords")
            _ = FileManager.default.createFile(atPath: file.path, contents: Data())
            for (user, password) in options.passwords.sorted(by: { $0.key < $1.key }) {
                try Command.run("mosquitto_passwd", ["-b", file.path, user, password])
            }
            lines.append("password_file \(file.path)")
        }
        if let acl = options.acl {
            let file = directory.appendingPathComponent("acl")
            try acl.write(to: file, atomically: true, encoding: .utf8)
            lines.append("acl_file \(file.path)")
        }
        if !options.extraConfig.isEmpty { lines.append(options.extraConfig) }
        try (lines.joined(separator: "\n") + "\n").write(to: configFile, atomically: true, encoding: .utf8)
    }

    private func launch() async throws {
        // The port accepting is not enough: between finding it free and mosquitto binding it,
        // another test's broker may have taken it, and then this one exits while its clients talk
        // to the other. With our own log, wait for this start to say it listens on the port.
        let listening = "listen socket on port \(port)."
        let earlierStarts = log().components(separatedBy: listening).count
        func saysListening() -> Bool { options.configText != nil || log().components(separatedBy: listening).count > earlierStarts }
        let running = try RunningBroker.launch(config: configFile)
        let deadline = ContinuousClock.now + .seconds(10)
        while !(FreePort.accepts(port: port) && saysListening()) {
            if running.hasExited || ContinuousClock.now > deadline {
                await running.terminate(grace: .zero)
                throw TestSupportError("mosquitto did not accept connections on port \(port):\n\(log())")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.withLock { $0 = running }
    }
}

/// One launched mosquitto process and its exit.
final class RunningBroker: Sendable {
    let process: ChildProcess

    private init(process: ChildProcess) {
        self.process = process
    }

    static func launch(config: URL) throws -> RunningBroker {
        let process = try ChildProcess.spawn(try Command.locate("mosquitto"), arguments: ["-c", config.path])
        ChildProcesses.register(process.pid)
        return RunningBroker(process: process)
    }

    var hasExited: Bool { process.hasExited }

    /// Sends SIGTERM (or SIGKILL straight away when `grace` is zero), escalates to SIGKILL after
    /// `grace`, and waits for the exit.
    func terminate(grace: Duration) async {
        let pid = process.pid
        defer { ChildProcesses.unregister(pid) }
        guard !hasExited else { return }
        Foundation.kill(pid, SIGCONT)  // a paused broker can't act on SIGTERM
        Foundation.kill(pid, grace == .zero ? SIGKILL : SIGTERM)
        if grace > .zero {
            let gaveUp = await withTaskGroup(of: Bool.self) { group in
                group.addTask { await self.process.exited(); return false }
                group.addTask { try? await Task.sleep(for: grace); return true }
                let first = await group.next() ?? true
                group.cancelAll()
                return first
            }
            if gaveUp && !hasExited { Foundation.kill(pid, SIGKILL) }
        }
        await process.exited()
    }
}
