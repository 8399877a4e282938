import Foundation
import GRDB
import GRDBSQLite

/// Values bound to a statement's `?` placeholders in order, straight into SQLite.
///
/// For ``GRDB/Statement/executeDirect(_:)`` and ``GRDB/Statement/fetchDirect(_:row:)``: the
/// statements a writer runs for every item it stores. GRDB's `execute(arguments:)` turns each
/// argument into an existential, then a `DatabaseValue`, checks the count, and binds through
/// nested closures; for a statement of a few small values that cost as much as SQLite's own
/// work. Strings and blobs are copied by SQLite (`SQLITE_TRANSIENT`), so nothing bound needs to
/// outlive the call.
public struct DirectArguments: ~Copyable {
    fileprivate let statement: SQLiteStatement
    fileprivate var count: CInt = 0

    fileprivate init(_ statement: SQLiteStatement) {
        self.statement = statement
    }

    public mutating func bind(_ value: Int64) {
        count += 1
        sqlite3_bind_int64(statement, count, value)
    }

    public mutating func bind(_ value: Int) {
        bind(Int64(value))
    }

    public mutating func bind(_ value: Double) {
        count += 1
        sqlite3_bind_double(statement, count, value)
    }

    public mutating func bind(_ value: String) {
        count += 1
        var value = value
        // Up to the first NUL, as GRDB binds text (as a C string): the same value must match
        // whichever way it was bound.
        value.withUTF8 { bytes in
            let length = bytes.firstIndex(of: 0) ?? bytes.count
            if let start = bytes.baseAddress, length > 0 {
                _ = UnsafeRawPointer(start).withMemoryRebound(to: CChar.self, capacity: length) {
                    sqlite3_bind_text(statement, count, $0, CInt(length), Self.transient)
                }
            } else {
                _ = sqlite3_bind_text(statement, count, "", 0, Self.transient)  // empty text, not NULL
            }
        }
    }

    public mutating func bind(_ value: Data) {
        count += 1
        value.withUnsafeBytes { bytes in
            if let start = bytes.baseAddress, !bytes.isEmpty {
                _ = sqlite3_bind_blob(statement, count, start, CInt(bytes.count), Self.transient)
            } else {
                _ = sqlite3_bind_zeroblob(statement, count, 0)  // an empty blob, not NULL
            }
        }
    }

    public mutating func bind(_ value: Int64?) {
        if let value { bind(value) } else { bindNull() }
    }

    public mutating func bind(_ value: Double?) {
        if let value { bind(value) } else { bindNull() }
    }

    public mutating func bind(_ value: String?) {
        if let value { bind(value) } else { bindNull() }
    }

    public mutating func bindNull() {
        count += 1
        sqlite3_bind_null(statement, count)
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the value before the bind returns.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}

/// The current row of a statement run by ``GRDB/Statement/fetchDirect(_:row:)``, read by column
/// index (0-based, in the order of the `SELECT`). Valid only inside the `row` closure.
public struct DirectRow: ~Copyable {
    fileprivate let statement: SQLiteStatement

    public func isNull(_ column: CInt) -> Bool {
        sqlite3_column_type(statement, column) == SQLITE_NULL
    }

    public func int64(_ column: CInt) -> Int64 {
        sqlite3_column_int64(statement, column)
    }

    public func int64OrNil(_ column: CInt) -> Int64? {
        isNull(column) ? nil : int64(column)
    }

    public func double(_ column: CInt) -> Double {
        sqlite3_column_double(statement, column)
    }

    public func string(_ column: CInt) -> String {
        guard let text = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    public func stringOrNil(_ column: CInt) -> String? {
        isNull(column) ? nil : string(column)
    }
}

extension Statement {
    /// Binds the statement's arguments with `bind`, in placeholder order, and runs it to the end.
    ///
    /// A cheaper `execute(arguments:)` for a cached statement that a writer runs for every item,
    /// inside a transaction GRDB opened. It skips GRDB's per-statement bookkeeping, which such a
    /// statement does not need: no observation region (it writes only), no change of autocommit
    /// (never `BEGIN`, `COMMIT` or `SAVEPOINT`). An SQLite error is thrown as a `DatabaseError` with
    /// its code (a full disk is `SQLITE_FULL`), and the transaction is then GRDB's to roll back.
    /// Binding fewer or more values than the statement has placeholders is a bug and traps.
    public func executeDirect(_ bind: (inout DirectArguments) -> Void) throws {
        try fetchDirect(bind) { _ in }
    }

    /// Binds like ``executeDirect(_:)``, then calls `row` for each row the statement yields and
    /// returns what it made.
    @discardableResult
    public func fetchDirect<T>(_ bind: (inout DirectArguments) -> Void, row: (borrowing DirectRow) throws -> T) throws -> [T] {
        let statement = sqliteStatement
        sqlite3_reset(statement)
        var arguments = DirectArguments(statement)
        bind(&arguments)
        precondition(arguments.count == sqlite3_bind_parameter_count(statement),
                     "bound \(arguments.count) values to a statement of \(sqlite3_bind_parameter_count(statement)): \(sql)")
        var rows: [T] = []
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_DONE:
                sqlite3_reset(statement)
                return rows
            case SQLITE_ROW:
                do {
                    rows.append(try row(DirectRow(statement: statement)))
                } catch {
                    sqlite3_reset(statement)
                    throw error
                }
            case let code:
                let connection = sqlite3_db_handle(statement)
                let message = connection.map { String(cString: sqlite3_errmsg($0)) }
                let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
                sqlite3_reset(statement)
                throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: sql)
            }
        }
    }
}
