import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaDelivery
import WanxiaRegistrar
import WanxiaReports
import WanxiaTesting

/// The current view (schema version 3, kept by triggers) answers exactly as the effective view
/// worked out from the append-only tables, on random books full of awkward histories.
///
/// Each book: people (some young), events with up to three versions arriving out of `at` order
/// (start, programme, kind and parent change between versions), records arriving before their
/// event, chains of corrections. Part is written before the version 3 migration (which fills the
/// view), the rest after (the triggers keep it). A copy without `book_clock` answers through the
/// effective view; every registrar query and the report must agree with it.
@Suite("Current view equals the effective view")
struct CurrentViewEquivalenceTests {
    static let seeds: [UInt64] = [0x5EED_0001, 0x5EED_0002, 0x5EED_0003]

    @Test("every query answers the same from the current view", arguments: seeds)
    func sameAnswers(seed: UInt64) throws {
        print("current-view book seed: 0x\(String(seed, radix: 16))")
        let folder = try TemporaryDirectory.make(prefix: "wanxia-current-view")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("registrar.sqlite").path
        let slowPath = folder.appendingPathComponent("effective.sqlite").path
        var generator = CurrentViewBookGenerator(seed: seed)

        // Before the migration: the file as schema version 2 left it.
        do {
            let queue = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            RegistrarSchema.registerMigrations(in: &migrator)
            try migrator.migrate(queue, upTo: RegistrarSchema.migrationIdentifiers[1])
            try queue.write { db in try generator.write(steps: 120, in: db, people: true) }
            try queue.close()
        }
        let store = try RegistrarStore(path: path)
        try store.database.write { db in try generator.write(steps: 240, in: db, people: false) }
        let stored = try store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record_current") ?? 0
        }
        #expect(stored > 50)

        try store.backup(to: slowPath)
        try DatabaseQueue(path: slowPath).write { db in try db.execute(sql: "DROP TABLE book_clock") }
        let slow = try RegistrarStore(path: slowPath, configuration: .init(readOnly: true))
        let fast = store
        let last = try fast.database.read { db in try Int64.fetchOne(db, sql: "SELECT last_recorded_at FROM book_clock") ?? 0 }
        let after = Date(unixMilliseconds: last)
        let answers = try fast.database.read { db in
            [try RegistrarQueries.currentViewAnswers(db, asOf: nil), try RegistrarQueries.currentViewAnswers(db, asOf: last),
             try RegistrarQueries.currentViewAnswers(db, asOf: last - 1)]
        }
        #expect(answers == [true, true, false])
        let slowAnswers = try slow.database.read { db in try RegistrarQueries.currentViewAnswers(db, asOf: nil) }
        #expect(!slowAnswers)

        let periods: [Period?] = [nil] + (try ["2023", "2023H1", "2023Q3", "2023-05", "2023-02-10..2023-08-20"].map { try Period(parsing: $0) })
        for asOf in [nil, after] {
            for person in generator.people {
                for period in periods {
                    for programme in [nil, Programme.volunteers, .classes] {
                        let expected = try slow.queries.personHistory(person: person, period: period, programme: programme, asOf: asOf)
                        let actual = try fast.queries.personHistory(person: person, period: period, programme: programme, asOf: asOf)
                        #expect(actual == expected, "person \(person) period \(period?.canonical ?? "-") programme \(programme?.rawValue ?? "-")")
                    }
                }
            }
            for case let period? in periods {
                #expect(try fast.queries.periodTotals(period: period, asOf: asOf) == slow.queries.periodTotals(period: period, asOf: asOf))
                #expect(try ReportQueries(reader: fast.database).report(period: period, asOf: asOf)
                        == ReportQueries(reader: slow.database).report(period: period, asOf: asOf), "report \(period.canonical)")
            }
            let groups = generator.groups
            for group in groups {
                for period in periods.prefix(3) {
                    let expected = Result { try slow.queries.groupParticipation(group: group, period: period, asOf: asOf) }
                    let actual = Result { try fast.queries.groupParticipation(group: group, period: period, asOf: asOf) }
                    switch (expected, actual) {
                    case let (.success(a), .success(b)): #expect(a == b, "group \(group.kind.rawValue) \(group.id)")
                    case let (.failure(a as RegistrarError), .failure(b as RegistrarError)): #expect(a.code == b.code)
                    default: Issue.record("group \(group.id): \(expected) versus \(actual)")
                    }
                }
            }
        }

        // A past date before the latest change reads the append-only tables, and still agrees.
        let middle = Date(unixMilliseconds: generator.firstRecordedAt + (last - generator.firstRecordedAt) / 2)
        let half = try Period(parsing: "2023H1")
        #expect(try ReportQueries(reader: fast.database).report(period: half, asOf: middle)
                == ReportQueries(reader: slow.database).report(period: half, asOf: middle))
        for person in generator.people.prefix(5) {
            #expect(try fast.queries.personHistory(person: person, asOf: middle) == slow.queries.personHistory(person: person, asOf: middle))
        }
    }
}
