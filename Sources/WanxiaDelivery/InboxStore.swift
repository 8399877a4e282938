import Foundation
import GRDB
import WanxiaContract

/// The inbox tables: one row per item ever received (the idempotency book), and every refused
/// message or item with its raw bytes and the reason.
enum InboxStore {
    enum Status: Int {
        case accepted = 1
        case rejected = 2
    }

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("inbox-v1") { db in
            try db.execute(sql: """
                CREATE TABLE inbox_item (
                    id TEXT PRIMARY KEY NOT NULL,     -- the item's UUIDv7
                    producer TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    digest INTEGER NOT NULL,          -- FNV-1a 64 of the item's canonical JSON
                    status INTEGER NOT NULL,
                    code TEXT,
                    message TEXT,
                    received_at INTEGER NOT NULL,
                    clock_skew INTEGER            -- seconds the producer's clock was off, when over the tolerance
                ) WITHOUT ROWID;
                CREATE TABLE inbox_reject (
                    rowid INTEGER PRIMARY KEY,
                    received_at INTEGER NOT NULL,
                    topic TEXT NOT NULL,
                    producer TEXT,
                    item_id TEXT,
                    code TEXT NOT NULL,
                    message TEXT NOT NULL,
                    raw BLOB NOT NULL
                );
                CREATE INDEX inbox_reject_time ON inbox_reject(received_at);
                """)
        }
    }

    struct Seen {
        var status: Status
        var digest: Int64
        var code: String?
        var message: String?
    }

    static func seen(_ id: MessageID, in db: Database) throws -> Seen? {
        let statement = try db.cachedStatement(sql: "SELECT status, digest, code, message FROM inbox_item WHERE id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id.description]) else { return nil }
        return Seen(status: Status(rawValue: row["status"]) ?? .rejected, digest: row["digest"], code: row["code"], message: row["message"])
    }

    /// Records a new item as accepted; false, writing nothing, if its id is in the book already.
    static func claim(id: MessageID, producer: TopicID, seq: Int64, type: String, digest: Int64, clockSkew: Int64?,
                      now: Date, in db: Database) throws -> Bool {
        try db.cachedStatement(sql: """
            INSERT INTO inbox_item(id, producer, seq, type, digest, status, received_at, clock_skew)
            VALUES (?, ?, ?, ?, ?, \(Status.accepted.rawValue), ?, ?)
            ON CONFLICT (id) DO NOTHING
            """).executeDirect {
            $0.bind(id.description)
            $0.bind(producer.description)
            $0.bind(seq)
            $0.bind(type)
            $0.bind(digest)
            $0.bind(now.unixMilliseconds)
            $0.bind(clockSkew)
        }
        return db.changesCount > 0
    }

    /// Turns a claimed item's line into a refusal, kept so that a resent copy gets the same answer.
    static func markRejected(_ id: MessageID, rejection: Rejection, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE inbox_item SET status = \(Status.rejected.rawValue), code = ?, message = ? WHERE id = ?")
            .execute(arguments: [rejection.code.rawValue, rejection.message, id.description])
    }

    /// Takes a claimed item's line back: the item was refused for now only and may come again.
    static func forget(_ id: MessageID, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM inbox_item WHERE id = ?").execute(arguments: [id.description])
    }

    static func keepRejected(topic: String, producer: TopicID?, itemID: MessageID?, rejection: Rejection,
                             raw: Data, now: Date, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO inbox_reject(received_at, topic, producer, item_id, code, message, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [now.unixMilliseconds, topic, producer?.description, itemID?.description,
                             rejection.code.rawValue, rejection.message, raw])
    }
}

/// FNV-1a, 64 bits: a content fingerprint to tell a resent copy from a conflicting one.
/// Only items with the same id are ever compared, so collisions don't matter in practice.
enum Fingerprint {
    static func of(_ data: Data) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
