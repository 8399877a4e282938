import Synchronization

/// Tells whoever listens (the running service's outbox) that records were committed to the outbox.
///
/// The store calls it after a transaction that enqueued records commits; the service sets
/// ``onEnqueue`` to wake its outbox. Safe from any thread: the closure is held under a `Mutex` and
/// called after the lock is released.
public final class EnqueueSignal: Sendable {
    private let action = Mutex<@Sendable () -> Void>({})

    public init() {}

    /// Sets what happens when records were enqueued.
    public func onEnqueue(_ body: @escaping @Sendable () -> Void) {
        action.withLock { $0 = body }
    }

    func call() {
        let body = action.withLock { $0 }
        body()
    }
}
