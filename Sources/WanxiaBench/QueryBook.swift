import Foundation
import GRDB
import WanxiaDelivery
import WanxiaRegistrar

/// A registrar file holding millions of participation records, made with direct SQL in the
/// registrar's own schema and cached between runs.
///
/// The book: 2,000 retirees; one event every ~3 minutes from 2021-01-01 to 2023-12-31 (China
/// Standard Time), round-robin over the four programmes with three kinds each, teams, pairs and
/// cohorts as parents, 30 sites; 20 records per event (distinct people); one event in 100 has a
/// second version (a retitling) and one record in 200 a correcting record, so the effective view
/// has real work to do. The file is `registrar.sqlite` in a folder named after the record count
/// and a hash of the schema a fresh registrar creates, so a new migration builds a new book.
enum QueryBook {
    /// Bump when the generated content changes.
    static let generatorVersion = 2
    static let people = 2_000
    static let recordsPerEvent = 20
    /// 2021-01-01 00:00 +08:00 and three years later, in Unix ms.
    static let firstMillisecond: Int64 = 1_609_430_400_000
    static let lastMillisecond: Int64 = 1_704_038_400_000

    /// The folder holding the book's `registrar.sqlite`, built first if it is missing or stale.
    static func prepare(records: Int, cache: URL, scratch: URL) throws -> URL {
        let key = try schemaKey(records: records, scratch: scratch)
        let folder = cache.appendingPathComponent("book-\(records)-\(key)")
        let done = folder.appendingPathComponent("complete")
        if FileManager.default.fileExists(atPath: done.path) {
            BenchReport.note("query book: cached in \(folder.path)")
            return folder
        }
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let started = ContinuousClock.now
        try build(records: records, path: folder.appendingPathComponent("registrar.sqlite").path)
        try Data().write(to: done)
        BenchReport.note(String(format: "query book: %d records built in %.0f s in %@", records,
                                (ContinuousClock.now - started).timeInterval, folder.path))
        return folder
    }

    /// A short hash of the schema (every table, index and trigger) a fresh registrar creates.
    static func schemaKey(records: Int, scratch: URL) throws -> String {
        let empty = scratch.appendingPathComponent("schema-probe")
        try? FileManager.default.removeItem(at: empty)
        let schema: String = try {
            let store = try RegistrarService.openStore(.init(dataDirectory: empty))
            return try store.database.read { db in
                try String.fetchAll(db, sql: "SELECT type || name || COALESCE(sql, '') FROM sqlite_master ORDER BY name")
                    .joined(separator: "\n")
            }
        }()
        try? FileManager.default.removeItem(at: empty)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in "\(generatorVersion)\n\(records)\n\(schema)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    static func build(records: Int, path: String) throws {
        // The registrar's first two migrations make the tables; the bulk load goes into them; then
        // the registrar opens the file as in service and runs the rest (the current view is filled
        // by its migration, exactly as when an existing book is upgraded), plus the inbox's.
        var options = GRDB.Configuration()
        options.foreignKeysEnabled = false  // the generator's ids are consistent by construction
        let database = try DatabaseQueue(path: path, configuration: options)
        var migrator = DatabaseMigrator()
        RegistrarSchema.registerMigrations(in: &migrator)
        try migrator.migrate(database, upTo: RegistrarSchema.migrationIdentifiers[1])
        try database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000")
            // Secondary indexes are dropped and recreated (same SQL) after the load: sorting once is far
            // faster than 10 million scattered B-tree inserts.
            let indexes = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master
                WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('participation', 'event')
                """)
            for index in indexes { try db.execute(sql: "DROP INDEX \(index["name"] as String)") }
            let events = (records + recordsPerEvent - 1) / recordsPerEvent
            let step = (lastMillisecond - firstMillisecond) / Int64(events)
            let arguments: StatementArguments = [
                "events": events, "records": records, "people": people, "per": recordsPerEvent,
                "t0": firstMillisecond, "step": step,
            ]
            try db.inTransaction {
                try db.execute(sql: "INSERT INTO person(id, kind, name, unit, updated_at, source) " + Self.people_, arguments: arguments)
                try db.execute(sql: Self.eventInsert, arguments: arguments)
                try db.execute(sql: Self.eventRevisions, arguments: arguments)
                try db.execute(sql: Self.participationInsert, arguments: arguments)
                try db.execute(sql: Self.corrections, arguments: arguments)
                return .commit
            }
            for index in indexes { try db.execute(sql: index["sql"] as String) }
        }
        // The remaining migrations on the same connection (its 1 GB cache speeds their sorts).
        try migrator.migrate(database)
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try database.close()
        _ = try RegistrarService.openStore(.init(dataDirectory: URL(fileURLWithPath: path).deletingLastPathComponent()))
    }

    // MARK: - SQL

    static let people_ = """
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :people)
        SELECT printf('r-%04d', i), 'retiree', '老干部' || i, '原单位' || (i % 50), :t0, 'import' FROM n
        """

    /// Columns of event `e` (an integer column in scope), shared by the event and record inserts.
    static let programme = "CASE e % 4 WHEN 0 THEN 'volunteers' WHEN 1 THEN 'mentoring' WHEN 2 THEN 'competitions' ELSE 'classes' END"
    static let kind = """
        CASE e % 4
            WHEN 0 THEN CASE (e / 4) % 3 WHEN 0 THEN '法律援助进社区' WHEN 1 THEN '环境保护宣传' ELSE '义务理发' END
            WHEN 1 THEN CASE (e / 4) % 3 WHEN 0 THEN '结对帮扶活动' WHEN 1 THEN '资助' ELSE '法治教育报告会' END
            WHEN 2 THEN CASE (e / 4) % 3 WHEN 0 THEN '门球赛' WHEN 1 THEN '乒乓球赛' ELSE '书法展' END
            ELSE CASE (e / 4) % 3 WHEN 0 THEN '读书班' WHEN 1 THEN '书记培训班' ELSE '太极拳培训' END
        END
        """
    static let parent = """
        CASE e % 4 WHEN 0 THEN 'team-' || ((e / 4) % 40) WHEN 1 THEN 'pair-' || ((e / 4) % 500)
                   WHEN 2 THEN NULL ELSE 'cohort-' || (e / 200) END
        """
    static let start = ":t0 + e * :step"

    /// A UUIDv7 text whose time is `ms` and whose last 48 bits are `serial`, with variant nibble `variant`.
    static func uuid(_ ms: String, _ serial: String, variant: Character) -> String {
        "printf('%08x-%04x-7000-\(variant)000-%012x', (\(ms)) >> 16, (\(ms)) & 65535, \(serial))"
    }

    static let eventInsert = """
        WITH RECURSIVE n(e) AS (SELECT 0 UNION ALL SELECT e + 1 FROM n WHERE e + 1 < :events)
        INSERT INTO event(version, item_id, event, programme, kind, title, site, organiser, parent, start, "end",
                          audience, producer, at, recorded_at)
        SELECT e + 1, \(uuid("\(start) + 10800000 + 60000", "e", variant: "9")), 'ev-' || e, \(programme), \(kind),
               \(kind) || ' 第' || e || '场', 'site-' || (e % 30), NULL, \(parent), \(start), \(start) + 10800000,
               CASE WHEN e % 4 = 1 AND (e / 4) % 3 = 2 THEN 120 END, \(programme), \(start), \(start) + 10800000 + 60000
        FROM n
        """

    /// One event in 100 is retitled a day later: a second version with a later `at`.
    static let eventRevisions = """
        WITH RECURSIVE n(e) AS (SELECT 0 UNION ALL SELECT e + 100 FROM n WHERE e + 100 < :events)
        INSERT INTO event(version, item_id, event, programme, kind, title, site, organiser, parent, start, "end",
                          audience, producer, at, recorded_at)
        SELECT :events + 1 + e / 100, \(uuid("\(start) + 86400000", "e", variant: "a")), 'ev-' || e, \(programme), \(kind),
               \(kind) || ' 第' || e || '场（更正）', 'site-' || (e % 30), NULL, \(parent), \(start), \(start) + 10800000,
               CASE WHEN e % 4 = 1 AND (e / 4) % 3 = 2 THEN 120 END, \(programme), \(start) + 86400000, \(start) + 86400000
        FROM n
        """

    static let recordColumns = """
        INSERT INTO participation(record, person, event, role, hours, ledger, status, start, "end", team, producer,
                                  at, recorded_at, supersedes, corrected_by, correction_reason)
        """

    static let participationInsert = """
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :records),
        r AS (SELECT i, i / :per AS e, i % :per AS k FROM n)
        \(recordColumns)
        SELECT \(uuid("\(start) + 10800000 + 60000 + k", "i", variant: "8")),
               printf('r-%04d', (e * 7 + k * 101) % :people), 'ev-' || e,
               CASE e % 4 WHEN 0 THEN CASE WHEN k = 0 THEN 'leader' ELSE 'volunteer' END
                          WHEN 1 THEN 'mentor' WHEN 2 THEN 'player' ELSE 'learner' END,
               CASE WHEN e % 4 = 3 AND k % 10 = 9 THEN 0 ELSE 1.5 + (k % 3) * 0.5 END, 'clocked',
               CASE e % 4 WHEN 0 THEN 'served' WHEN 1 THEN 'met' WHEN 2 THEN 'played'
                          ELSE CASE k % 10 WHEN 9 THEN 'absent' WHEN 8 THEN 'late' ELSE 'present' END END,
               \(start), \(start) + 10800000, CASE WHEN e % 4 = 0 THEN 'team-' || ((e / 4) % 40) END, \(programme),
               \(start) + 10800000, \(start) + 10800000 + 60000 + k, NULL, NULL, NULL
        FROM r
        """

    /// One record in 200 corrected two days later by its leader: fewer hours, the old one superseded.
    static let corrections = """
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 200 FROM n WHERE i + 200 < :records),
        r AS (SELECT i, i / :per AS e, i % :per AS k FROM n)
        \(recordColumns)
        SELECT \(uuid("\(start) + 172800000 + k", "i", variant: "b")),
               printf('r-%04d', (e * 7 + k * 101) % :people), 'ev-' || e,
               CASE e % 4 WHEN 0 THEN CASE WHEN k = 0 THEN 'leader' ELSE 'volunteer' END
                          WHEN 1 THEN 'mentor' WHEN 2 THEN 'player' ELSE 'learner' END,
               1.0, 'clocked',
               CASE e % 4 WHEN 0 THEN 'served' WHEN 1 THEN 'met' WHEN 2 THEN 'played' ELSE 'present' END,
               \(start), \(start) + 10800000, CASE WHEN e % 4 = 0 THEN 'team-' || ((e / 4) % 40) END, \(programme),
               \(start) + 172800000, \(start) + 172800000 + k,
               \(uuid("\(start) + 10800000 + 60000 + k", "i", variant: "8")), 'r-0000', '补录更正'
        FROM r
        """
}
