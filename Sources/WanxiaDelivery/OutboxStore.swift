import Foundation
import GRDB
import WanxiaContract

/// The outbox table and every statement on it.
///
/// A row is an item waiting for its consumer's acknowledgement. `seq` (an AUTOINCREMENT rowid, so
/// never reused) is the per-producer sequence number; `id` the item's UUIDv7. An acknowledged row
/// is deleted and counted in `outbox_meta`; a rejected row stays, with the consumer's reason, for
/// people to look at.
enum OutboxStore {
    enum State: Int {
        case pending = 0
        case rejected = 2
    }

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("outbox-v1") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    topic TEXT NOT NULL,
                    type TEXT NOT NULL,
                    at INTEGER NOT NULL,          -- unix ms, when the observation or record was made
                    body BLOB NOT NULL,           -- the item body, canonical JSON
                    state INTEGER NOT NULL DEFAULT 0,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    reject_code TEXT,
                    reject_message TEXT,
                    rejected_at INTEGER
                );
                CREATE INDEX outbox_due ON outbox(state, next_attempt, seq);
                CREATE TABLE outbox_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                INSERT INTO outbox_meta(key, value) VALUES ('delivered', 0);
                """)
        }
        // `due` walks pending rows in `seq` order and stops at its limit; without this index it
        // sorted every due row (the whole backlog) to take the first few thousand. `attempts` and
        // `at` let `status` count from the index alone, without reading every pending row.
        migrator.registerMigration("outbox-v2-pending-by-seq") { db in
            try db.execute(sql: "CREATE INDEX outbox_pending ON outbox(state, seq, next_attempt, attempts, at)")
        }
    }

    static func insert(topic: String, type: String, at: Date, body: Data, now: Date, in db: Database) throws -> (MessageID, Int64) {
        let id = MessageIDGenerator.shared.next(now: now)
        try db.cachedStatement(sql: "INSERT INTO outbox(id, topic, type, at, body, created_at) VALUES (?, ?, ?, ?, ?, ?)").executeDirect {
            $0.bind(id.description)
            $0.bind(topic)
            $0.bind(type)
            $0.bind(at.unixMilliseconds)
            $0.bind(body)
            $0.bind(now.unixMilliseconds)
        }
        return (id, db.lastInsertedRowID)
    }

    struct Row: Sendable {
        var seq: Int64
        var id: MessageID
        var topic: String
        var type: String
        var at: Date
        var body: Data
        var attempts: Int
    }

    /// The statement of `due`: arguments now (unix ms) and the limit.
    static let dueSQL = """
        SELECT seq, id, topic, type, at, body, attempts FROM outbox
        WHERE state = 0 AND +next_attempt <= ? ORDER BY seq LIMIT ?
        """

    /// Pending rows due for (re)sending, oldest first.
    ///
    /// Walks `outbox_pending` in `seq` order (the unary `+` keeps SQLite from choosing `outbox_due`
    /// and sorting), skipping rows in flight by the index alone.
    static func due(now: Date, limit: Int, in db: Database) throws -> [Row] {
        try Array(GRDB.Row.fetchCursor(db.cachedStatement(sql: dueSQL), arguments: [now.unixMilliseconds, limit]).map { row in
            Row(seq: row["seq"], id: try MessageID(validating: row["id"]), topic: row["topic"], type: row["type"],
                at: Date(unixMilliseconds: row["at"]), body: row["body"], attempts: row["attempts"])
        })
    }

    static func markSent(_ seqs: [Int64], nextAttempt: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE outbox SET attempts = attempts + 1, next_attempt = ? WHERE seq IN (SELECT value FROM json_each(?))
            """).execute(arguments: [nextAttempt.unixMilliseconds, jsonArray(seqs)])
    }

    /// Deletes the acknowledged rows, given by key (`seqs`) or by item id, and counts them;
    /// returns how many were still pending.
    static func acknowledge(seqs: [Int64], ids: [MessageID], in db: Database) throws -> Int {
        // One cached statement for any number of rows: a list of `?` would be a new statement,
        // parsed and planned, for every answer.
        var removed = 0
        if !seqs.isEmpty {
            try db.cachedStatement(sql: "DELETE FROM outbox WHERE seq IN (SELECT value FROM json_each(?)) AND state = 0")
                .execute(arguments: [jsonArray(seqs)])
            removed += db.changesCount
        }
        if !ids.isEmpty {
            try db.cachedStatement(sql: "DELETE FROM outbox WHERE state = 0 AND id IN (SELECT value FROM json_each(?))")
                .execute(arguments: [String(decoding: try WanxiaJSON.encode(ids.map(\.description)), as: UTF8.self)])
            removed += db.changesCount
        }
        if removed > 0 {
            try db.cachedStatement(sql: "UPDATE outbox_meta SET value = value + ? WHERE key = 'delivered'").execute(arguments: [removed])
        }
        return removed
    }

    /// `[1,2,3]`: whole numbers as a JSON array, for `json_each`.
    static func jsonArray(_ numbers: [Int64]) -> String {
        var text = "["
        text.reserveCapacity(numbers.count * 8 + 2)
        for (index, number) in numbers.enumerated() {
            if index > 0 { text += "," }
            text += String(number)
        }
        return text + "]"
    }

    static func reject(_ entry: Reject.Entry, consumer: String, at: Date, in db: Database) throws -> Bool {
        guard let id = entry.id else { return false }
        try db.execute(sql: """
            UPDATE outbox SET state = 2, reject_code = ?, reject_message = ?, rejected_at = ?
            WHERE state = 0 AND id = ?
            """, arguments: [entry.code.rawValue, "\(consumer): \(entry.message)", at.unixMilliseconds, id.description])
        return db.changesCount > 0
    }

    /// Makes every pending row due now: after a restart or a reconnect nothing waits for a timeout.
    static func makeAllDue(in db: Database) throws {
        try db.execute(sql: "UPDATE outbox SET next_attempt = 0 WHERE state = 0 AND next_attempt > 0")
    }

    static func earliestDue(in db: Database) throws -> Date? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MIN(next_attempt) FROM outbox WHERE state = 0")).map(Date.init(unixMilliseconds:))
    }

    /// Whether nothing waits for an answer: one index probe, where `status` counts every pending row.
    static func isDrained(in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT NOT EXISTS (SELECT 1 FROM outbox WHERE state = 0)")) ?? true
    }

    static func status(in db: Database) throws -> OutboxStatus {
        let row = try GRDB.Row.fetchOne(db.cachedStatement(sql: """
            SELECT
              (SELECT COUNT(*) FROM outbox WHERE state = 0) AS pending,
              (SELECT COUNT(*) FROM outbox INDEXED BY outbox_pending WHERE state = 0 AND attempts > 0) AS sent,
              (SELECT COUNT(*) FROM outbox WHERE state = 2) AS rejected,
              (SELECT MIN(at) FROM outbox INDEXED BY outbox_pending WHERE state = 0) AS oldest,
              (SELECT value FROM outbox_meta WHERE key = 'delivered') AS delivered
            """))!
        let oldest: Int64? = row["oldest"]
        return OutboxStatus(
            pending: row["pending"], sentAwaitingAck: row["sent"], rejected: row["rejected"],
            delivered: row["delivered"], oldestPending: oldest.map(Date.init(unixMilliseconds:)))
    }

    static func rejected(limit: Int, in db: Database) throws -> [OutboxStatus.RejectedItem] {
        try GRDB.Row.fetchAll(db, sql: """
            SELECT id, seq, type, reject_code, reject_message, rejected_at FROM outbox
            WHERE state = 2 ORDER BY seq DESC LIMIT ?
            """, arguments: [limit]).map { row in
            OutboxStatus.RejectedItem(
                id: row["id"], seq: row["seq"], type: row["type"], code: row["reject_code"] ?? "",
                message: row["reject_message"] ?? "", at: Date(unixMilliseconds: row["rejected_at"] ?? 0))
        }
    }
}

/// What an outbox holds.
public struct OutboxStatus: Sendable, Hashable, Codable {
    /// Items not yet acknowledged by their consumer (including those sent and awaiting an answer).
    public var pending: Int
    /// Of those, the items sent at least once.
    public var sentAwaitingAck: Int
    /// Items the consumer refused; kept with the reason, never resent.
    public var rejected: Int
    /// Items acknowledged since the outbox was created.
    public var delivered: Int
    /// When the oldest pending item was made.
    public var oldestPending: Date?

    public struct RejectedItem: Sendable, Hashable, Codable {
        public var id: String
        public var seq: Int64
        public var type: String
        public var code: String
        public var message: String
        public var at: Date
    }
}

extension Date {
    /// Milliseconds since 1970, cut down to a whole millisecond: how every Wanxia file stores times.
    public var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
    public init(unixMilliseconds: Int64) { self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000) }

    /// The same instant cut to whole milliseconds: what the outbox stores and sends.
    var wholeMilliseconds: Date { Date(unixMilliseconds: unixMilliseconds) }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
