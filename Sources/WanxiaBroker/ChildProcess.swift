import Foundation
import Synchronization

/// A child process started with `posix_spawn`, reaped by a thread of its own that blocks in
/// `waitpid`, so its exit is noticed whatever else the test process does with signals.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    private let state = Mutex<(status: Int32?, waiters: [CheckedContinuation<Void, Never>])>((nil, []))

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `executable` with `arguments`; its standard input, output and error go to /dev/null
    /// unless `output` names a file to append both output streams to.
    ///
    /// With `ownProcessGroup`, the child leads a process group of its own, so a signal the terminal
    /// sends to the foreground group (Ctrl-C) reaches only this process, which then stops the child
    /// in its own time and order: how `wanxia up` keeps its broker until the services have stopped.
    public static func spawn(_ executable: URL, arguments: [String], output: URL? = nil,
                             ownProcessGroup: Bool = false) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let target = output?.path ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, target, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        // The spawning thread may have signals blocked (dispatch's threads do); the child must not
        // inherit that, or it would never see SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable.path, &actions, &attributes, argv, environ)
        guard rc == 0 else {
            throw ChildProcessError("could not start \(executable.path): \(String(cString: strerror(rc)))")
        }
        let child = ChildProcess(pid: pid)
        let reaper = Thread {
            var status: Int32 = 0
            while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
            child.markExited(status: status)
        }
        reaper.name = "wanxia.reaper.\(pid)"
        reaper.start()
        return child
    }

    public var hasExited: Bool { state.withLock { $0.status != nil } }

    /// The raw `waitpid` status once the process has exited.
    public var exitStatus: Int32? { state.withLock { $0.status } }

    /// Sends `signal` unless the process has already exited.
    public func send(_ signal: Int32) {
        if !hasExited { kill(pid, signal) }
    }

    /// Returns once the process has exited.
    public func exited() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.status != nil { return true }
                s.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func markExited(status: Int32) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.status = status
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// A child process could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
