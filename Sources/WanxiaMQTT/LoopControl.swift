import Foundation

/// Start, stop and wake-up of the network thread.
///
/// `@unchecked Sendable`: every stored variable is read and written only while holding
/// `condition`'s lock, and the condition is what threads wait on.
final class LoopControl: @unchecked Sendable {
    private let condition = NSCondition()
    private var running = false
    private var stopRequested = false
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    /// Marks the thread as running; false if it already was.
    func begin() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if running { return false }
        running = true
        stopRequested = false
        return true
    }

    var shouldStop: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopRequested
    }

    /// Asks the thread to stop and wakes it if it sleeps between attempts.
    func requestStop() {
        condition.lock()
        stopRequested = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps for `duration` unless a stop is requested first. Returns false if stopping.
    func sleep(for duration: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: Double(duration.nanoseconds) / 1e9)
        condition.lock()
        defer { condition.unlock() }
        while !stopRequested {
            if !condition.wait(until: deadline) { break }
        }
        return !stopRequested
    }

    /// Called by the thread as its last act.
    func end() {
        condition.lock()
        running = false
        let waiters = exitWaiters
        exitWaiters.removeAll()
        condition.broadcast()
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }

    func waitUntilStopped() {
        condition.lock()
        while running { condition.wait() }
        condition.unlock()
    }

    func stopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if running {
                exitWaiters.append(continuation)
                condition.unlock()
            } else {
                condition.unlock()
                continuation.resume()
            }
        }
    }
}
