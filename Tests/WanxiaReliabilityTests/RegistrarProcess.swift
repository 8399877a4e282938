import Foundation
import GRDB
import Synchronization
import WanxiaBroker
import WanxiaTesting

/// `wanxia registrar run` as a child process that a fault test can SIGKILL and start again.
///
/// Finds the `wanxia` executable next to the test bundle (build it first: `swift build`). Every
/// start appends the registrar's output (its log: info and above) to `log`. With
/// ``Launch/ownTmpfs(megabytes:)`` the registrar runs in a mount namespace of its own
/// (`unshare -m`) on a fresh tmpfs of that size mounted over `data`, so a test can fill its disk;
/// that folder is then reachable from the test only through ``pathInside(_:)`` and ``inside(_:)``,
/// while the process lives, and the tmpfs vanishes with the process. No exit hook kills this process: callers stop or kill it on
/// every path (``with(_:_:)`` does).
final class RegistrarProcess: Sendable {
    /// How the registrar is started.
    enum Launch: Sendable {
        /// Straight from the test, on the test's file system.
        case plain
        /// In its own mount namespace, on a tmpfs of this many megabytes mounted over the data folder.
        case ownTmpfs(megabytes: Int)
    }

    let executable: URL
    let data: URL
    let port: Int
    let log: URL
    let launch: Launch
    private let current = Mutex<ChildProcess?>(nil)

    init(data: URL, port: Int, log: URL, launch: Launch = .plain) throws {
        self.executable = try Self.wanxiaExecutable()
        self.data = data
        self.port = port
        self.log = log
        self.launch = launch
    }

    /// The built `wanxia` executable beside the test bundle.
    static func wanxiaExecutable() throws -> URL {
        let url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wanxia")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestSupportError("build the wanxia executable first (swift build): not found at \(url.path)")
        }
        return url
    }

    /// Runs `body` with a started registrar and kills it afterwards, however `body` ends.
    static func with<R>(_ registrar: RegistrarProcess, _ body: (RegistrarProcess) async throws -> R) async throws -> R {
        try registrar.start()
        do {
            let result = try await body(registrar)
            await registrar.kill()
            return result
        } catch {
            await registrar.kill()
            throw error
        }
    }

    /// Starts the registrar; it must not be running.
    func start() throws {
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let arguments = ["registrar", "run", "--data", data.path, "--port", "\(port)"]
        let process: ChildProcess
        switch launch {
        case .plain:
            process = try ChildProcess.spawn(executable, arguments: arguments, output: log)
        case .ownTmpfs(let megabytes):
            // unshare without --fork execs sh in place, and sh execs wanxia: one pid throughout.
            let script = #"mount -t tmpfs -o size=\#(megabytes)m tmpfs "$1" && shift && exec "$@""#
            process = try ChildProcess.spawn(URL(fileURLWithPath: "/usr/bin/unshare"),
                                             arguments: ["-m", "sh", "-c", script, "sh", data.path, executable.path] + arguments,
                                             output: log)
        }
        current.withLock { running in
            precondition(running == nil, "the registrar is already running")
            running = process
        }
    }

    /// SIGKILL, as a crash or a power cut would; returns once the process has exited.
    func kill() async {
        guard let process = current.withLock({ $0.take() }) else { return }
        process.send(SIGKILL)
        await process.exited()
    }

    /// SIGTERM (a graceful stop); returns the `waitpid` status once the process has exited.
    @discardableResult
    func stop() async -> Int32? {
        guard let process = current.withLock({ $0.take() }) else { return nil }
        process.send(SIGTERM)
        await process.exited()
        return process.exitStatus
    }

    /// SIGTERM, then SIGKILL if the process has not exited within `grace`; returns the `waitpid`
    /// status of a process that stopped by itself, nil if it had to be killed (or was not running).
    func stop(within grace: Duration) async -> Int32? {
        guard let process = current.withLock({ $0.take() }) else { return nil }
        process.send(SIGTERM)
        let deadline = ContinuousClock.now + grace
        while !process.hasExited && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard process.hasExited else {
            process.send(SIGKILL)
            await process.exited()
            return nil
        }
        return process.exitStatus
    }

    /// The running process's id, if it runs.
    var pid: pid_t? { current.withLock { $0?.pid } }

    /// Whether the process started last has exited by itself.
    var hasExited: Bool { current.withLock { $0?.hasExited ?? true } }

    /// The registrar's database file, for a registrar on the test's own file system; nil for one
    /// on its own tmpfs (SQLite resolves `/proc/PID/root` to `/`: read that one with ``inside(_:)``).
    var databasePath: String? {
        guard case .plain = launch else { return nil }
        return data.appendingPathComponent("registrar.sqlite").path
    }

    /// A path inside the data folder as the running registrar sees it, for plain file operations
    /// (`/proc/PID/root/...` for a registrar on its own tmpfs; the kernel resolves it there).
    func pathInside(_ name: String) -> String? {
        switch launch {
        case .plain: return data.appendingPathComponent(name).path
        case .ownTmpfs:
            guard let pid else { return nil }
            return "/proc/\(pid)/root\(data.path)/\(name)"
        }
    }

    /// Runs `wanxia ARGUMENTS` in the registrar's mount namespace (`nsenter -t PID -m`), so that it
    /// sees the registrar's tmpfs, and returns its standard output; throws on a non-zero exit.
    @discardableResult
    func inside(_ arguments: [String]) throws -> String {
        guard let pid else { throw TestSupportError("the registrar is not running") }
        return try Command.run("nsenter", ["-t", "\(pid)", "-m", "--", executable.path] + arguments)
    }

    /// Items the registrar has committed (rows of `inbox_item`), or 0 while its file can't be read
    /// (not created yet); only for a registrar on the test's file system.
    func storedItems() -> Int {
        guard let path = databasePath, FileManager.default.fileExists(atPath: path) else { return 0 }
        var configuration = Configuration()
        configuration.readonly = true
        guard let book = try? DatabaseQueue(path: path, configuration: configuration) else { return 0 }
        return (try? book.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox_item") }) ?? 0
    }

    /// Everything the registrar has written to its output so far.
    func logText() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
}
