import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaDelivery
@testable import WanxiaRegistrar
import WanxiaTesting

@Suite("The registrar's SQLite file")
struct RegistrarStoreTests {
    @Test("commits with synchronous=FULL on WAL, and records applied migrations")
    func durableSettings() throws {
        let book = try Book()
        let (journal, synchronous, migrations) = try book.store.database.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"))
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL
        #expect(migrations == RegistrarSchema.migrationIdentifiers)
    }

    @Test("opening a file left by schema version 1 keeps its rows and adds the new column and table")
    func upgradeFromVersion1() async throws {
        try await TemporaryDirectory.with { folder in
            let path = folder.appendingPathComponent("old.sqlite").path
            // A file exactly as a version-1 registrar left it: its schema, its migration row, data.
            let old = try DatabaseQueue(path: path)
            try old.write { db in
                try db.execute(sql: RegistrarSchema.version1)
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v1-people-events-participation')")
                try db.execute(sql: "INSERT INTO person (id, kind, name, unit, updated_at) VALUES ('P-0001', 'retiree', '张三', '县财政局', 1)")
                try db.execute(sql: """
                    INSERT INTO event (item_id, event, programme, kind, title, start, "end", producer, at, recorded_at)
                    VALUES ('019e19b2-b250-7420-a03c-fde6f1c26b30', 'E-1', 'volunteers', '法律援助进社区', '普法', 1678410000000, 1678420800000, 'volunteers', 1, 1)
                    """)
                try db.execute(sql: """
                    INSERT INTO participation (record, person, event, role, hours, ledger, status, producer, at, recorded_at)
                    VALUES ('019e19b2-b250-7420-a03c-fde6f1c26b31', 'P-0001', 'E-1', 'volunteer', 3, 'clocked', 'served', 'volunteers', 1, 1)
                    """)
            }
            try old.close()

            let store = try RegistrarStore(path: path)
            try store.database.read { db in
                let person = try Row.fetchOne(db, sql: "SELECT name, unit, source FROM person WHERE id = 'P-0001'")
                #expect(person?["name"] == "张三")
                #expect(person?["unit"] == "县财政局")
                #expect(person?["source"] == "bus")
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM participation") == 1)
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") == 1)
                #expect(try db.tableExists("person_import"))
                #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") == RegistrarSchema.migrationIdentifiers)
            }
            let history = try store.queries.personHistory(person: "P-0001")
            #expect(history.totalHours == 3)
        }
    }

    @Test("read-only opening refuses a missing file, a foreign file and a newer schema")
    func readOnlyRefusals() async throws {
        try await TemporaryDirectory.with { folder in
            let missing = folder.appendingPathComponent("missing.sqlite").path
            #expect(throws: RegistrarError.self) { try RegistrarStore(path: missing, configuration: .init(readOnly: true)) }
            #expect(!FileManager.default.fileExists(atPath: missing))

            let foreign = folder.appendingPathComponent("foreign.sqlite").path
            try DatabaseQueue(path: foreign).write { db in try db.execute(sql: "CREATE TABLE t (x)") }
            let error = #expect(throws: RegistrarError.self) { try RegistrarStore(path: foreign, configuration: .init(readOnly: true)) }
            #expect(error?.code == .notARegistrarDatabase)

            let newer = folder.appendingPathComponent("newer.sqlite").path
            _ = try RegistrarStore(path: newer)
            try DatabaseQueue(path: newer).write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v9-future')") }
            let newerError = #expect(throws: RegistrarError.self) { try RegistrarStore(path: newer) }
            #expect(newerError?.message.contains("newer Wanxia") == true)
        }
    }

    @Test("participation rows and event versions cannot be edited or deleted")
    func appendOnly() throws {
        let book = try Book()
        try book.apply(.retiree("P-0001", "张三"))
        try book.apply(.event("E-1", .volunteers, "法律援助进社区", "普法", "2023-03-10T09:00", hours: 3))
        try book.apply(.took("P-0001", "E-1", hours: 3))
        for sql in ["UPDATE participation SET hours = 1", "DELETE FROM participation", "UPDATE event SET title = 'x'", "DELETE FROM event"] {
            #expect(throws: DatabaseError.self, "\(sql)") {
                try book.store.database.write { db in try db.execute(sql: sql) }
            }
        }
        #expect(try book.count("participation") == 1)
    }

    @Test("the store works with the inbox's migrations added")
    func withInboxMigrations() throws {
        let book = try Book(configuration: .init(additionalMigrations: { Inbox.registerMigrations(in: &$0) }))
        #expect(try book.store.database.read { try $0.tableExists("inbox_reject") })
    }
}
