import Foundation
import GRDB
import Synchronization
import Testing
import WanxiaDelivery
import WanxiaTesting

@Suite("A transaction's memo of rows read")
struct TransactionMemoTests {
    /// A memo over a table `t(k, v)` that counts how often it really reads.
    final class Reader: Sendable {
        let memo = TransactionMemo<String, String>()
        let reads = Mutex(0)

        func value(_ key: String, in db: Database) throws -> String? {
            try memo.value(key, in: db) { db in
                reads.withLock { $0 += 1 }
                return try String.fetchOne(db, sql: "SELECT v FROM t WHERE k = ?", arguments: [key])
            }
        }
    }

    /// A file with `t` holding ('a', 'one'), and a fresh reader over it.
    private func withTable(_ body: (DatabaseQueue, Reader) throws -> Void) async throws {
        try await TemporaryDirectory.with { folder in
            let database = try DatabaseQueue(path: folder.appendingPathComponent("memo.sqlite").path)
            try database.write { db in
                try db.execute(sql: "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT); INSERT INTO t VALUES ('a', 'one')")
            }
            try body(database, Reader())
        }
    }

    @Test("read once within a transaction, afresh in the next one and after a rollback; misses and reads outside a transaction not kept")
    func scope() async throws {
        try await withTable { database, reader in
            let first = try database.write { db in
                try [reader.value("a", in: db), reader.value("a", in: db), reader.value("missing", in: db), reader.value("missing", in: db)]
            }
            #expect(first == ["one", "one", nil, nil])
            #expect(reader.reads.withLock { $0 } == 3)
            // Another transaction changed the row: the next transaction sees the change.
            try database.write { db in try db.execute(sql: "UPDATE t SET v = 'two' WHERE k = 'a'") }
            #expect(try database.write { db in try reader.value("a", in: db) } == "two")
            #expect(reader.reads.withLock { $0 } == 4)
            // A rolled-back transaction forgets too.
            var rolledBack: String?
            try database.inTransaction { db in
                rolledBack = try reader.value("a", in: db)
                return .rollback
            }
            #expect(rolledBack == "two")
            // Outside a transaction nothing is kept.
            let outside = try database.writeWithoutTransaction { db in
                try db.execute(sql: "UPDATE t SET v = 'three' WHERE k = 'a'")
                return try [reader.value("a", in: db), reader.value("a", in: db)]
            }
            #expect(outside == ["three", "three"])
            #expect(reader.reads.withLock { $0 } == 7)
        }
    }

    @Test("a value the transaction remembers is what later reads see, until the transaction ends")
    func remembered() async throws {
        try await withTable { database, reader in
            let seen = try database.write { db in
                let before = try reader.value("a", in: db)
                try db.execute(sql: "UPDATE t SET v = 'two' WHERE k = 'a'")
                reader.memo.remember("a", "two", in: db)
                // Remembered before it was ever read: no read at all.
                try db.execute(sql: "INSERT INTO t VALUES ('b', 'new')")
                reader.memo.remember("b", "new", in: db)
                return try [before, reader.value("a", in: db), reader.value("b", in: db)]
            }
            #expect(seen == ["one", "two", "new"])
            #expect(reader.reads.withLock { $0 } == 1)
            // Rolled back: the next transaction reads what is stored, not what was remembered.
            try database.inTransaction { db in
                try db.execute(sql: "UPDATE t SET v = 'three' WHERE k = 'a'")
                reader.memo.remember("a", "three", in: db)
                return .rollback
            }
            #expect(try database.write { db in try reader.value("a", in: db) } == "two")
            #expect(reader.reads.withLock { $0 } == 2)
        }
    }
}
