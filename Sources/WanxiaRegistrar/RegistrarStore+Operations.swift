import Foundation
import WanxiaDelivery
import GRDB
import WanxiaContract

extension RegistrarStore {
    /// Imports the people in a CSV/TSV file (see ``PeopleImport``): the good rows together in one
    /// transaction, upserting by id; the report lists every bad row with its line number.
    ///
    /// Throws ``RegistrarError/Code/importFailed`` for a file that cannot be read at all (nothing is
    /// imported then) and ``RegistrarError/Code/database`` if SQLite fails.
    public func importPeople(_ data: Data, file: String, now: Date = Date()) throws -> PeopleImportReport {
        let parsed = try PeopleImport(data: data)
        do {
            try database.write { db in
                for person in parsed.people {
                    try db.execute(sql: """
                        INSERT INTO person (id, kind, name, unit, age_band, updated_at, source)
                        VALUES (?, ?, ?, ?, ?, ?, 'import')
                        ON CONFLICT (id) DO UPDATE SET
                            kind = excluded.kind, name = excluded.name, unit = excluded.unit,
                            age_band = excluded.age_band, updated_at = excluded.updated_at, source = 'import'
                        """, arguments: [person.person, person.kind.rawValue, person.name, person.unit, person.ageBand,
                                         now.unixMilliseconds])
                }
                try db.execute(sql: "INSERT INTO person_import (file, imported_at, imported, rejected) VALUES (?, ?, ?, ?)",
                               arguments: [file, now.unixMilliseconds, parsed.people.count, parsed.badRows.count])
            }
        } catch {
            throw RegistrarError(.database, "\(path): could not store the imported people", underlying: error)
        }
        return PeopleImportReport(imported: parsed.people.count, badRows: parsed.badRows)
    }

    /// Writes a consistent copy of the database to `destination` with SQLite's online backup,
    /// while the registrar keeps writing (the copy is the book as of one read transaction).
    ///
    /// Refuses to overwrite an existing file. Throws ``RegistrarError/Code/database`` on failure,
    /// leaving no partial file behind.
    public func backup(to destination: String) throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw RegistrarError(.invalidArgument, "backup: \(destination) already exists; choose a new file name")
        }
        do {
            let copy = try DatabaseQueue(path: destination)
            try database.backup(to: copy)
            try copy.close()
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: destination + suffix)
            }
            throw RegistrarError(.database, "backup to \(destination) failed", underlying: error)
        }
    }

    /// Runs `PRAGMA integrity_check` and checks the book's own rules: every record's person and
    /// event exist, every correction names an existing record, and no record is corrected twice.
    public func integrityCheck() throws -> IntegrityReport {
        do {
            return try database.read { db in
                var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                problems += try String.fetchAll(db, sql: "PRAGMA foreign_key_check").map { "foreign key: \($0)" }
                let rules = [
                    "SELECT 'participation ' || record || ' names unknown person ' || person FROM participation WHERE person NOT IN (SELECT id FROM person)",
                    "SELECT 'participation ' || record || ' names unknown event ' || event FROM participation WHERE event NOT IN (SELECT event FROM event)",
                    "SELECT 'participation ' || record || ' supersedes unknown record ' || supersedes FROM participation WHERE supersedes IS NOT NULL AND supersedes NOT IN (SELECT record FROM participation)",
                    "SELECT 'participation ' || supersedes || ' is corrected more than once' FROM participation WHERE supersedes IS NOT NULL GROUP BY supersedes HAVING COUNT(*) > 1",
                    "SELECT 'person ' || id || ' is a young person with a name or unit' FROM person WHERE kind = 'youth' AND (name IS NOT NULL OR unit IS NOT NULL)",
                ]
                for sql in rules {
                    problems += try String.fetchAll(db, sql: sql)
                }
                return IntegrityReport(problems: problems)
            }
        } catch {
            throw RegistrarError(.database, "\(path): the integrity check could not run", underlying: error)
        }
    }

    /// Counts for an operator: people, events, records, corrections, rejects and the file size.
    public func statistics() throws -> RegistrarStatistics {
        do {
            var statistics = try database.read { db in
                RegistrarStatistics(
                    people: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person") ?? 0,
                    youth: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person WHERE kind = 'youth'") ?? 0,
                    events: try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT event) FROM event") ?? 0,
                    eventVersions: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? 0,
                    records: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM participation") ?? 0,
                    corrections: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM participation WHERE supersedes IS NOT NULL") ?? 0,
                    rejects: try db.tableExists("inbox_reject") ? try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox_reject") : nil,
                    fileBytes: 0)
            }
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let wal = try? FileManager.default.attributesOfItem(atPath: path + "-wal")
            statistics.fileBytes = ((attributes?[.size] as? NSNumber)?.int64Value ?? 0) + ((wal?[.size] as? NSNumber)?.int64Value ?? 0)
            return statistics
        } catch {
            throw RegistrarError(.database, "\(path): statistics could not be read", underlying: error)
        }
    }
}
