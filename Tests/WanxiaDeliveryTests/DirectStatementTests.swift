import Foundation
import GRDB
import Testing
import WanxiaDelivery

/// `executeDirect` and `fetchDirect`: the same values in and out as GRDB's own bindings, and
/// SQLite's errors as GRDB reports them.
@Suite("Statements bound directly")
struct DirectStatementTests {
    static func table() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, n TEXT, k TEXT UNIQUE)")
        }
        return queue
    }

    @Test("every kind of value is stored as GRDB would store it", arguments: [
        ("plain", "志愿者 v-0001", Data([1, 2, 3])),
        ("empty text and blob are not NULL", "", Data()),
        ("a long string", String(repeating: "长", count: 5_000), Data(repeating: 7, count: 70_000)),
    ])
    func roundTrip(label: String, text: String, blob: Data) throws {
        let queue = try Self.table()
        try queue.write { db in
            let insert = "INSERT INTO t (i, r, s, b, n, k) VALUES (?, ?, ?, ?, ?, ?)"
            try db.cachedStatement(sql: insert).executeDirect {
                $0.bind(Int64.min)
                $0.bind(2.5)
                $0.bind(text)
                $0.bind(blob)
                $0.bind(nil as String?)
                $0.bind("direct")
            }
            try db.cachedStatement(sql: insert).execute(arguments: [Int64.min, 2.5, text, blob, nil, "grdb"])
            let rows = try Row.fetchAll(db, sql: "SELECT i, r, s, b, n, typeof(s) AS st, typeof(b) AS bt FROM t ORDER BY id")
            #expect(rows.count == 2)
            #expect(rows[0] == rows[1], "\(label)")
            #expect(rows[0]["s"] as String == text)
            #expect(rows[0]["b"] as Data == blob)
            #expect(rows[0]["st"] as String == "text")
            #expect(rows[0]["bt"] as String == "blob")
            #expect(rows[0]["n"] as String? == nil)

            let read = try db.cachedStatement(sql: "SELECT i, r, s, n FROM t WHERE k = ?").fetchDirect({ $0.bind("direct") }, row: { row in
                (row.int64(0), row.double(1), row.string(2), row.stringOrNil(3), row.int64OrNil(3), row.isNull(3))
            })
            #expect(read.count == 1)
            #expect(read[0].0 == Int64.min)
            #expect(read[0].1 == 2.5)
            #expect(read[0].2 == text)
            #expect(read[0].3 == nil)
            #expect(read[0].4 == nil)
            #expect(read[0].5)
        }
    }

    @Test("text with a NUL inside is cut at the NUL, as GRDB binds it, so both find the same rows")
    func nul() throws {
        let queue = try Self.table()
        let text = "a\u{0}b"
        try queue.write { db in
            try db.cachedStatement(sql: "INSERT INTO t (s, k) VALUES (?, 'direct')").executeDirect { $0.bind(text) }
            try db.execute(sql: "INSERT INTO t (s, k) VALUES (?, 'grdb')", arguments: [text])
            let lengths = try Int.fetchAll(db, sql: "SELECT length(CAST(s AS BLOB)) FROM t ORDER BY id")
            #expect(lengths == [1, 1])
            let read = try db.cachedStatement(sql: "SELECT s FROM t ORDER BY id").fetchDirect({ _ in }, row: { $0.string(0) })
            #expect(read == ["a", "a"])
            let found = try db.cachedStatement(sql: "SELECT k FROM t WHERE s = ?").fetchDirect({ $0.bind(text) }, row: { $0.string(0) })
            #expect(found == ["direct", "grdb"])
        }
    }

    @Test("a statement that fails throws SQLite's code, leaves nothing of itself, and runs again afterwards")
    func failure() throws {
        let queue = try Self.table()
        try queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO t (k) VALUES (?)")
            try insert.executeDirect { $0.bind("once") }
            do {
                try insert.executeDirect { $0.bind("once") }
                Issue.record("a duplicate key was stored")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT)
                #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE)
                #expect(error.sql == "INSERT INTO t (k) VALUES (?)")
            }
            try insert.executeDirect { $0.bind("twice") }
            #expect(try String.fetchAll(db, sql: "SELECT k FROM t ORDER BY id") == ["once", "twice"])
        }
    }

    @Test("several rows come back in order; none gives an empty list")
    func rows() throws {
        let queue = try Self.table()
        try queue.write { db in
            for index in 0..<5 {
                try db.cachedStatement(sql: "INSERT INTO t (i) VALUES (?)").executeDirect { $0.bind(index) }
            }
            let select = try db.cachedStatement(sql: "SELECT i FROM t WHERE i >= ? ORDER BY i")
            #expect(try select.fetchDirect({ $0.bind(2) }, row: { $0.int64(0) }) == [2, 3, 4])
            #expect(try select.fetchDirect({ $0.bind(9) }, row: { $0.int64(0) }).isEmpty)
        }
    }
}
