import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaRegistrar
@testable import WanxiaReports
import WanxiaTesting

/// The report tally (schema version 4, kept by triggers) gives exactly the report the records give,
/// and always equals a recomputation from the current view, on random books full of awkward histories.
///
/// Each book (``CurrentViewBookGenerator``): people (some young), events whose versions arrive out
/// of `at` order and move them across months, programmes, kinds and parents, records arriving before
/// their event, several records per person and event, chains of corrections. Part is written before
/// the version 4 migration (which fills the tally), the rest after in batches (the triggers keep
/// it), checking the tally against a from-scratch count after each batch. A copy without
/// `book_clock` computes every report from the records; the tally's must be identical.
@Suite("Report tally equals the records")
struct ReportTallyEquivalenceTests {
    static let seeds: [UInt64] = [0x7A11_0001, 0x7A11_0002, 0x7A11_0003, 0x7A11_0004]

    @Test("whole-month reports from the tally equal reports from the records", arguments: seeds)
    func sameReports(seed: UInt64) throws {
        print("report-tally book seed: 0x\(String(seed, radix: 16))")
        let folder = try TemporaryDirectory.make(prefix: "wanxia-report-tally")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("registrar.sqlite").path
        let slowPath = folder.appendingPathComponent("records.sqlite").path
        var generator = CurrentViewBookGenerator(seed: seed)

        // Before the migration: the file as schema version 3 left it (its triggers keep the current view).
        do {
            let queue = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            RegistrarSchema.registerMigrations(in: &migrator)
            try migrator.migrate(queue, upTo: RegistrarSchema.migrationIdentifiers[2])
            try queue.write { db in try generator.write(steps: 200, in: db, people: true) }
            try queue.close()
        }
        let store = try RegistrarStore(path: path)
        try store.database.read { db in try Self.expectTallyMatchesRecount(db, after: "migration") }
        for batch in 1...5 {
            try store.database.write { db in try generator.write(steps: 80, in: db, people: false) }
            try store.database.read { db in try Self.expectTallyMatchesRecount(db, after: "batch \(batch)") }
        }
        // A person turns out to be young: excluded at read time, from both sources alike.
        try store.database.write { db in
            try db.execute(sql: "UPDATE person SET kind = 'youth', name = NULL, unit = NULL WHERE id = 'P-003'")
        }

        try store.backup(to: slowPath)
        try DatabaseQueue(path: slowPath).write { db in try db.execute(sql: "DROP TABLE book_clock") }
        let slow = ReportQueries(reader: try RegistrarStore(path: slowPath, configuration: .init(readOnly: true)).database)
        let fast = ReportQueries(reader: store.database)
        let last = try store.database.read { db in
            try Int64.fetchOne(db, sql: "SELECT last_recorded_at FROM book_clock") ?? 0
        }

        let whole = ["2023", "2023H1", "2023H2", "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2023-03-01..2023-05-31",
                     "2022-12-01..2024-01-31"] + (1...12).map { String(format: "2023-%02d", $0) }
        var figures = 0
        for text in whole {
            let period = try Period(parsing: text)
            for asOf in [nil, Date(unixMilliseconds: last)] {
                let usesTally = try store.database.read { db in
                    try fast.tallyMonths(db, period: period, asOf: asOf.map(ReportQueries.milliseconds)) != nil
                }
                #expect(usesTally, "period \(text) should read the tally")
                let expected = try slow.report(period: period, asOf: asOf)
                #expect(try fast.report(period: period, asOf: asOf) == expected, "report \(text) asOf \(asOf.map { "\($0)" } ?? "now")")
                figures += expected.personTimes + expected.classes.completed + expected.mentoring.studentsSponsored
            }
        }
        #expect(figures > 0, "the books must give something to count")

        // Periods the tally cannot answer take the records' path, and still agree.
        for text in ["2023-02-10..2023-08-20", "2023-01-01..2023-01-15"] {
            let period = try Period(parsing: text)
            let usesTally = try store.database.read { db in try fast.tallyMonths(db, period: period, asOf: nil) != nil }
            #expect(!usesTally, "period \(text) is not whole months")
            #expect(try fast.report(period: period) == slow.report(period: period))
        }
        let utc = ReportQueries(reader: store.database, timeZone: TimeZone(secondsFromGMT: 0)!)
        let utcHalf = try Period(parsing: "2023H1", timeZone: TimeZone(secondsFromGMT: 0)!)
        #expect(try store.database.read { db in try utc.tallyMonths(db, period: utcHalf, asOf: nil) } == nil)
        #expect(try utc.report(period: utcHalf)
                == ReportQueries(reader: slow.reader, timeZone: TimeZone(secondsFromGMT: 0)!).report(period: utcHalf))
        let middle = Date(unixMilliseconds: generator.firstRecordedAt + (last - generator.firstRecordedAt) / 2)
        let half = try Period(parsing: "2023H1")
        #expect(try store.database.read { db in
            try fast.tallyMonths(db, period: half, asOf: ReportQueries.milliseconds(middle))
        } == nil)
        #expect(try fast.report(period: half, asOf: middle) == slow.report(period: half, asOf: middle))
    }

    /// Recounts both tallies from `record_current` in Swift and expects the stored ones to match.
    static func expectTallyMatchesRecount(_ db: Database, after stage: String) throws {
        let recount = try ReportTallyRecount(db)
        var stored: [ReportTallyRecount.Key: ReportTallyRecount.Figures] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM report_tally") {
            let figures = ReportTallyRecount.Figures(
                records: row["records"], hours: row["hours"], eventsTaking: row["events_taking"], played: row["played"],
                judged: row["judged"], given: row["given"], metHours: row["met_hours"], marks: row["marks"],
                attended: row["attended"], completed: row["completed"], notCompleted: row["not_completed"])
            if figures.records == 0 {
                #expect(figures.isEmpty, "\(stage): a row without records holds figures: \(row)")
                continue
            }
            stored[.init(month: row["month"], programme: row["programme"], kind: row["kind"], person: row["person"])] = figures
        }
        #expect(!recount.tally.isEmpty, "\(stage): nothing to count")
        #expect(Set(stored.keys) == Set(recount.tally.keys), "\(stage): tally keys differ")
        for (key, expected) in recount.tally {
            guard let actual = stored[key] else { continue }
            #expect(actual.matches(expected), "\(stage): \(key): stored \(actual) recounted \(expected)")
        }
        var teams: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT month, team, person, records FROM report_team_tally WHERE records <> 0") {
            teams["\(row["month"] as String)|\(row["team"] as String)|\(row["person"] as String)"] = row["records"]
        }
        #expect(teams == recount.teams, "\(stage): team tally differs")
    }
}
