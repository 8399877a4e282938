import GRDB
import Synchronization

/// Rows read within one transaction, remembered until that transaction ends.
///
/// An inbox commit applies hundreds of items that mostly name the same few activities, events,
/// people and teams; reading each of them again for every item was a sixth of a programme
/// service's writer time. A value read through ``value(_:in:read:)`` inside a transaction is
/// kept for that connection until the transaction commits or rolls back, so nothing changed by
/// another writer in between can be seen stale. Only values that were found are kept (a missing
/// row is asked again). The memo does not notice writes: a transaction that changes a row it
/// remembers says so with ``remember(_:_:in:)``. Outside a transaction nothing is kept. Safe to
/// share between connections.
public final class TransactionMemo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let values = Mutex<[ObjectIdentifier: [Key: Value]]>([:])

    public init() {}

    /// The value for `key`: remembered from earlier in this transaction, or read now.
    public func value(_ key: Key, in db: Database, read: (Database) throws -> Value?) throws -> Value? {
        let connection = ObjectIdentifier(db)
        if let known = values.withLock({ $0[connection]?[key] }) { return known }
        guard let value = try read(db) else { return nil }
        keep(value, for: key, in: db)
        return value
    }

    /// Tells the memo that this transaction has just written `value` for `key`, so later reads in
    /// the transaction see it. A rollback to a savepoint is not noticed: remember only writes that
    /// stand or fall with the whole transaction.
    public func remember(_ key: Key, _ value: Value, in db: Database) {
        keep(value, for: key, in: db)
    }

    private func keep(_ value: Value, for key: Key, in db: Database) {
        guard db.isInsideTransaction else { return }
        let connection = ObjectIdentifier(db)
        let first = values.withLock { values in
            defer { values[connection, default: [:]][key] = value }
            return values[connection] == nil
        }
        if first {
            // One observer per transaction: GRDB consults each on every later statement.
            db.afterNextTransaction(
                onCommit: { [self] _ in forget(connection) },
                onRollback: { [self] _ in forget(connection) })
        }
    }

    private func forget(_ connection: ObjectIdentifier) {
        values.withLock { _ = $0.removeValue(forKey: connection) }
    }
}
