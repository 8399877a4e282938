import GRDB
import Synchronization

/// Runs an action once after the commit of each transaction that asked for it, however many times
/// it was asked within that transaction.
///
/// GRDB keeps every `afterNextTransaction` observer until the transaction ends and consults each
/// one on every statement that follows, so asking once per item made a commit of n items cost n²:
/// with 2,000 check-outs in a volunteers inbox commit, those lookups took more time than the ledger itself.
/// Here only the first request of a transaction registers an observer; a rollback clears it
/// without running the action. Safe to share between connections: requests are tracked per
/// connection. Programme services' inbox handlers use it to wake their outbox.
public final class CommitWake: Sendable {
    private let armed = Mutex<Set<ObjectIdentifier>>([])
    private let action: @Sendable () -> Void

    public init(_ action: @escaping @Sendable () -> Void) {
        self.action = action
    }

    /// Arranges for the action to run after the current transaction of `db` commits.
    public func request(in db: Database) {
        let connection = ObjectIdentifier(db)
        guard armed.withLock({ $0.insert(connection).inserted }) else { return }
        db.afterNextTransaction(
            onCommit: { [self] _ in
                armed.withLock { _ = $0.remove(connection) }
                action()
            },
            onRollback: { [self] _ in armed.withLock { _ = $0.remove(connection) } })
    }
}
