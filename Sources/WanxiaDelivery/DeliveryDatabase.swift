import CSQLiteTuning
import Foundation
import GRDB

/// Opening the SQLite files of Wanxia's components the same way everywhere.
public enum DeliveryDatabase {
    /// Opens (creating if needed) a WAL database with `synchronous=FULL`, so that a commit that
    /// returned survives a crash or a power cut. GRDB sets NORMAL when it turns WAL on; FULL is
    /// therefore set again after opening, on the writer connection. The writer's page cache holds
    /// up to `pageCacheMegabytes` (nil: SQLite's default 2 MB, for a site agent on a small box,
    /// whose outbox writes are small).
    public static func openPool(at path: String, readonly: Bool = false, pageCacheMegabytes: Int? = 16) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        if !readonly {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        if !readonly {
            try pool.writeWithoutTransaction { db in try configureWriter(db, pageCacheMegabytes: pageCacheMegabytes) }
        }
        return pool
    }

    /// The settings of a writer connection (the registrar's too): `synchronous=FULL`, a page
    /// cache of `pageCacheMegabytes` (nil: SQLite's 2 MB), temporary data in memory.
    public static func configureWriter(_ db: Database, pageCacheMegabytes: Int? = 16) throws {
        try db.execute(sql: "PRAGMA synchronous = FULL")
        // A group commit of a few thousand items (a service's scans, state, ledger and outbox
        // rows; the registrar's records) dirties more pages than SQLite's default 2 MB cache
        // holds; a spill writes them to the WAL mid-transaction. 16 MB keeps a whole commit in memory.
        if let pageCacheMegabytes {
            try db.execute(sql: "PRAGMA cache_size = \(-1024 * pageCacheMegabytes)")
        }
        // An inbox may apply each item in a savepoint, whose undo copies of pages SQLite writes to
        // a temporary file past 64 kB unless told to keep them in memory.
        try db.execute(sql: "PRAGMA temp_store = MEMORY")
    }

    /// Process-wide SQLite settings for a long-running component; call first thing in `main`,
    /// before any database is opened (later, SQLite refuses them and this returns false).
    ///
    /// Turns SQLite's memory statistics off: they take one global mutex around every allocation,
    /// which a writer thread running triggers contends for with every reader. Nothing in Wanxia
    /// reads those statistics. Measured: registrar ingest ~10% faster (docs/performance.md).
    @discardableResult
    public static func configureProcess() -> Bool {
        wanxia_sqlite_disable_memory_statistics() == 0
    }

    /// The current `synchronous` setting of the writer connection (2 = FULL).
    public static func synchronousLevel(of writer: some DatabaseWriter) throws -> Int {
        try writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }
}
