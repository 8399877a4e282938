import Foundation
import Synchronization

/// Child processes a test started, killed at process exit if a test forgot (or crashed before)
/// stopping them, so no broker outlives the test run.
enum ChildProcesses {
    private static let pids = Mutex<Set<Int32>>([])
    private static let hookInstalled: Bool = {
        atexit {
            for pid in ChildProcesses.pids.withLock({ $0 }) { kill(pid, SIGKILL) }
        }
        return true
    }()

    static func register(_ pid: Int32) {
        _ = hookInstalled
        pids.withLock { _ = $0.insert(pid) }
    }

    static func unregister(_ pid: Int32) {
        pids.withLock { _ = $0.remove(pid) }
    }
}
