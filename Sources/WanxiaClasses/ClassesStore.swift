import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery
import WanxiaSpreadsheet

/// The classes service's SQLite file: the roll, classes and cohorts, sessions, enrolment and
/// lotteries, marks, essays, suggestions, the holiday table and the records sent, with the inbox's
/// and outbox's tables, and the admin operations on them.
///
/// Opening migrates the file (the holiday table is seeded with ``HolidayTable/china``).
/// Operations that derive records (closing a session or a cohort, a mark after a close, essays and
/// suggestions once the cohort event went out) enqueue them in the file's outbox in the same
/// transaction; the running service sends them. Safe to use from any task, and from another
/// process while the service runs (SQLite WAL). Rule refusals are `Rejection`s (code and message,
/// as on the bus); bad arguments and imports throw ``ClassesError``.
public final class ClassesStore: Sendable {
    public let path: String
    public let database: DatabasePool
    public let book: AttendanceBook

    public init(path: String, policy: AttendancePolicy = AttendancePolicy(), producer: TopicID = "classes") throws {
        self.path = path
        do {
            database = try DeliveryDatabase.openPool(at: path)
            var migrator = DatabaseMigrator()
            ClassesSchema.registerMigrations(in: &migrator)
            try migrator.migrate(database)
        } catch {
            throw ClassesError(.database, "\(path): cannot open the classes file", underlying: error)
        }
        book = AttendanceBook(policy: policy, recordsTopic: Topic.records(producer: producer))
    }

    // MARK: The roll

    /// Imports learners and teachers from CSV/TSV: 编号/person, 姓名/name required; 卡号/card,
    /// 原单位/unit, 电话/phone optional. Known people are updated. Good rows go in together.
    public func importRoll(_ data: Data, file: String) throws -> RollImportReport {
        let table: DelimitedText
        do { table = try DelimitedText(data: data) } catch { throw ClassesError(.importFailed, error.message) }
        guard let personColumn = table.column(["编号", "person", "id"]), let nameColumn = table.column(["姓名", "name"]) else {
            throw ClassesError(.importFailed, "\(file): the first line must name the columns 编号/person and 姓名/name")
        }
        let cardColumn = table.column(["卡号", "card"])
        let unitColumn = table.column(["原单位", "单位", "unit"])
        let phoneColumn = table.column(["电话", "phone"])
        var report = RollImportReport(file: file, imported: 0, badRows: [])
        try write { db in
            var cards: [String: Int] = [:]
            for line in table.lines.dropFirst() {
                let field = line.field
                func bad(_ problem: String) { report.badRows.append(.init(line: line.number, problem: problem)) }
                guard let person = field(personColumn), Self.isPlainID(person) else {
                    bad("编号/person \"\(field(personColumn) ?? "")\" is missing or not an id (letters, digits . _ : -)"); continue
                }
                guard let name = field(nameColumn) else { bad("姓名/name is missing for \(person)"); continue }
                let card = field(cardColumn)
                if let card, !Self.isPlainID(card) { bad("卡号/card \"\(card)\" is not an id (letters, digits . _ : -)"); continue }
                if let card, let first = cards[card] { bad("卡号/card \(card) is also on line \(first)"); continue }
                if let card, let holder = try String.fetchOne(db, sql: "SELECT person FROM learner WHERE card = ? AND person <> ?",
                                                               arguments: [card, person]) {
                    bad("卡号/card \(card) already belongs to \(holder)"); continue
                }
                if let card { cards[card] = line.number }
                try db.execute(sql: """
                    INSERT INTO learner (person, name, card, unit, phone) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (person) DO UPDATE SET name = excluded.name, card = excluded.card,
                        unit = excluded.unit, phone = excluded.phone
                    """, arguments: [person, name, card, field(unitColumn), field(phoneColumn)])
                report.imported += 1
            }
        }
        return report
    }

    /// Adds or updates one person on the roll.
    public func addPerson(_ learner: Learner) throws {
        guard Self.isPlainID(learner.person) else { throw ClassesError(.invalidArgument, "person: \"\(learner.person)\" is not an id") }
        if let card = learner.card, !Self.isPlainID(card) { throw ClassesError(.invalidArgument, "card: \"\(card)\" is not an id") }
        try write { db in
            try db.execute(sql: """
                INSERT INTO learner (person, name, card, unit, phone) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (person) DO UPDATE SET name = excluded.name, card = excluded.card, unit = excluded.unit, phone = excluded.phone
                """, arguments: [learner.person, learner.name, learner.card, learner.unit, learner.phone])
        }
    }

    // MARK: Classes and cohorts

    /// Adds a class (course), or renames one: `kind` in the bureau's words (读书班), a title.
    public func addCourse(id: String, kind: String, title: String) throws {
        guard Self.isPlainID(id) else { throw ClassesError(.invalidArgument, "id: \"\(id)\" is not an id (letters, digits . _ : -)") }
        guard !kind.isEmpty, kind.count <= 64, !title.isEmpty else { throw ClassesError(.invalidArgument, "kind and title must not be empty (kind at most 64 characters)") }
        try write { db in
            try db.execute(sql: "INSERT INTO course (id, kind, title) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title",
                           arguments: [id, kind, title])
        }
    }

    /// Creates a cohort of a class, or changes its place, teacher, capacity or completion rule.
    public func addCohort(_ cohort: Cohort) throws {
        guard Self.isPlainID(cohort.id), cohort.id.count <= 100 else { throw ClassesError(.invalidArgument, "id: \"\(cohort.id)\" is not an id of at most 100 characters") }
        guard cohort.capacity >= 1 else { throw ClassesError(.invalidArgument, "capacity: \(cohort.capacity) must be at least 1") }
        guard (0...1).contains(cohort.completion.minimumAttendance) else {
            throw ClassesError(.invalidArgument, "minimum attendance: \(cohort.completion.minimumAttendance) must be between 0 and 1")
        }
        let completion = String(decoding: try JSONEncoder().encode(cohort.completion), as: UTF8.self)
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM course WHERE id = ?", arguments: [cohort.course]) != nil else {
                throw ClassesError(.notFound, "class: \"\(cohort.course)\" is not a class; add it first")
            }
            guard try Learner.find(person: cohort.teacher, in: db) != nil else {
                throw ClassesError(.notFound, "teacher: \"\(cohort.teacher)\" is not on the roll; import or add the person first")
            }
            if let closed = try Int64.fetchOne(db, sql: "SELECT closed_at FROM cohort WHERE id = ?", arguments: [cohort.id]), closed > 0 {
                throw ClassesError(.conflict, "cohort: \(cohort.id) is closed")
            }
            try db.execute(sql: """
                INSERT INTO cohort (id, course, name, site, teacher, capacity, completion) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET course = excluded.course, name = excluded.name, site = excluded.site,
                    teacher = excluded.teacher, capacity = excluded.capacity, completion = excluded.completion
                """, arguments: [cohort.id, cohort.course, cohort.name, cohort.site.rawValue, cohort.teacher, cohort.capacity, completion])
        }
    }

    /// Every cohort.
    public func cohorts() throws -> [Cohort] { try read { db in try Cohort.all(in: db) } }

    /// The cohort with this id, or nil.
    public func cohort(_ id: String) throws -> Cohort? { try read { db in try Cohort.find(id, in: db) } }

    // MARK: Sessions

    /// Plans a cohort's sessions from a rule over the file's holiday table, replacing the sessions
    /// not yet closed; refused once a session was closed. Returns the sessions and the skipped days.
    @discardableResult
    public func planSessions(cohort id: String, rule: RecurrenceRule) throws -> RecurrenceRule.Expansion {
        try rule.validate()
        return try write { db in
            guard let cohort = try Cohort.find(id, in: db) else { throw ClassesError(.notFound, "cohort: \"\(id)\" is not a cohort") }
            if let held = try String.fetchOne(db, sql: "SELECT id FROM session WHERE cohort = ? AND closed_at IS NOT NULL LIMIT 1", arguments: [id]) {
                throw ClassesError(.conflict, "cohort: session \(held) of \(cohort.id) was already held; sessions can no longer be re-planned")
            }
            let expansion = rule.expand(holidays: try Self.holidays(in: db))
            guard !expansion.occurrences.isEmpty else { throw ClassesError(.invalidArgument, "rule: \(rule) gives no session") }
            try db.execute(sql: "DELETE FROM mark WHERE session IN (SELECT id FROM session WHERE cohort = ?)", arguments: [id])
            try db.execute(sql: "DELETE FROM session WHERE cohort = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM skipped WHERE cohort = ?", arguments: [id])
            for occurrence in expansion.occurrences {
                try db.execute(sql: """
                    INSERT INTO session (id, cohort, number, start, "end", make_up_day) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [ClassSession.id(cohort: id, number: occurrence.number), id, occurrence.number,
                                     occurrence.start.unixMilliseconds, occurrence.end.unixMilliseconds, occurrence.onMakeUpDay])
            }
            for skipped in expansion.skipped {
                try db.execute(sql: "INSERT INTO skipped (cohort, date, reason, name) VALUES (?, ?, ?, ?)",
                               arguments: [id, skipped.date.description, skipped.reason, skipped.name])
            }
            let text = String(decoding: try JSONEncoder().encode(rule), as: UTF8.self)
            try db.execute(sql: "UPDATE cohort SET recurrence = ? WHERE id = ?", arguments: [text, id])
            return expansion
        }
    }

    /// The cohort's sessions, by number.
    public func sessions(cohort: String) throws -> [ClassSession] { try read { db in try ClassSession.all(cohort: cohort, in: db) } }

    /// The days the cohort's rule picked that hold no session.
    public func skipped(cohort: String) throws -> [RecurrenceRule.Skipped] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM skipped WHERE cohort = ? ORDER BY date", arguments: [cohort]).compactMap { row in
                LocalDate(row["date"] as String).map { RecurrenceRule.Skipped(date: $0, reason: row["reason"], name: row["name"]) }
            }
        }
    }

    // MARK: Enrolment

    /// Applies for a place before a lottery (摇号): the person waits in state `applied`.
    public func apply(cohort: String, person: String, at: Date = Date()) throws {
        try write { db in
            let (cohort, learner) = try enrolmentCheck(cohort: cohort, person: person, in: db)
            if let state = try String.fetchOne(db, sql: "SELECT state FROM enrolment WHERE cohort = ? AND person = ?",
                                               arguments: [cohort.id, learner.person]), state != "withdrawn" {
                throw ClassesError(.conflict, "person: \(learner.person) is already \(state) in \(cohort.id)")
            }
            try db.execute(sql: """
                INSERT INTO enrolment (cohort, person, state, applied_at) VALUES (?, ?, 'applied', ?)
                ON CONFLICT (cohort, person) DO UPDATE SET state = 'applied', position = NULL, applied_at = excluded.applied_at,
                    enrolled_at = NULL, withdrawn_at = NULL
                """, arguments: [cohort.id, learner.person, at.unixMilliseconds])
            try log(cohort.id, learner.person, "applied", at: at, in: db)
        }
    }

    /// Enrols a person at once if a place is free (first come), else puts them at the end of the
    /// waiting list. Returns the state reached.
    @discardableResult
    public func enrol(cohort: String, person: String, at: Date = Date()) throws -> Enrolment.State {
        try write { db in
            let (cohort, learner) = try enrolmentCheck(cohort: cohort, person: person, in: db)
            if let state = try String.fetchOne(db, sql: "SELECT state FROM enrolment WHERE cohort = ? AND person = ?",
                                               arguments: [cohort.id, learner.person]), state == "enrolled" || state == "waiting" {
                throw ClassesError(.conflict, "person: \(learner.person) is already \(state) in \(cohort.id)")
            }
            let taken = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM enrolment WHERE cohort = ? AND state = 'enrolled'", arguments: [cohort.id]) ?? 0
            let state: Enrolment.State = taken < cohort.capacity ? .enrolled : .waiting
            let position = state == .waiting ? try nextPosition(cohort.id, in: db) : nil
            try db.execute(sql: """
                INSERT INTO enrolment (cohort, person, state, position, applied_at, enrolled_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (cohort, person) DO UPDATE SET state = excluded.state, position = excluded.position,
                    enrolled_at = excluded.enrolled_at, withdrawn_at = NULL
                """, arguments: [cohort.id, learner.person, state.rawValue, position, at.unixMilliseconds,
                                 state == .enrolled ? at.unixMilliseconds : nil])
            try log(cohort.id, learner.person, state == .enrolled ? "enrolled" : "waitlisted", at: at, in: db)
            return state
        }
    }

    /// Withdraws a person (退学); if they held a place, the first on the waiting list gets it (补录).
    /// Returns the person promoted, if any.
    @discardableResult
    public func withdraw(cohort: String, person: String, at: Date = Date()) throws -> String? {
        try write { db in
            let (cohort, learner) = try enrolmentCheck(cohort: cohort, person: person, in: db)
            guard let state = try String.fetchOne(db, sql: "SELECT state FROM enrolment WHERE cohort = ? AND person = ?",
                                                  arguments: [cohort.id, learner.person]), state != "withdrawn" else {
                throw ClassesError(.notFound, "person: \(learner.person) has no place in \(cohort.id) to withdraw from")
            }
            try db.execute(sql: "UPDATE enrolment SET state = 'withdrawn', position = NULL, withdrawn_at = ? WHERE cohort = ? AND person = ?",
                           arguments: [at.unixMilliseconds, cohort.id, learner.person])
            try log(cohort.id, learner.person, "withdrawn", at: at, in: db)
            guard state == "enrolled" else { return nil }
            guard let next = try String.fetchOne(db, sql: """
                SELECT person FROM enrolment WHERE cohort = ? AND state = 'waiting' ORDER BY position LIMIT 1
                """, arguments: [cohort.id]) else { return nil }
            try db.execute(sql: "UPDATE enrolment SET state = 'enrolled', position = NULL, enrolled_at = ? WHERE cohort = ? AND person = ?",
                           arguments: [at.unixMilliseconds, cohort.id, next])
            try log(cohort.id, next, "promoted", at: at, detail: "place freed by \(learner.person)", in: db)
            return next
        }
    }

    /// Everyone with a place or on the list of a cohort; waiting positions numbered from 1.
    public func enrolments(cohort: String) throws -> [Enrolment] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.cohort, e.person, l.name, e.state, e.applied_at, e.enrolled_at, e.withdrawn_at,
                    CASE WHEN e.state = 'waiting' THEN ROW_NUMBER() OVER (PARTITION BY e.state ORDER BY e.position) END AS position
                FROM enrolment e JOIN learner l ON l.person = e.person WHERE e.cohort = ?
                ORDER BY CASE e.state WHEN 'enrolled' THEN 0 WHEN 'waiting' THEN 1 WHEN 'applied' THEN 2 ELSE 3 END, e.position, e.person
                """, arguments: [cohort]).map(Enrolment.init(row:))
        }
    }

    /// Every step of a cohort's enrolment (applied, enrolled, waitlisted, drawn, promoted, withdrawn), oldest first.
    public func enrolmentLog(cohort: String) throws -> [(person: String, step: String, at: Date, detail: String?)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM enrolment_log WHERE cohort = ? ORDER BY id", arguments: [cohort]).map { row in
                (person: row["person"], step: row["step"], at: Date(unixMilliseconds: row["at"]), detail: row["detail"])
            }
        }
    }

    /// Draws the lottery among those who applied: places = capacity minus those already enrolled;
    /// the first in the drawn order get them, the others join the waiting list in drawn order.
    /// One lottery per cohort; the seed and the order are stored for ``lottery(cohort:)``.
    @discardableResult
    public func drawLottery(cohort id: String, seed: UInt64, at: Date = Date()) throws -> LotteryDraw {
        try write { db in
            guard let cohort = try Cohort.find(id, in: db) else { throw ClassesError(.notFound, "cohort: \"\(id)\" is not a cohort") }
            guard cohort.closedAt == nil else { throw ClassesError(.conflict, "cohort: \(id) is closed") }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM lottery WHERE cohort = ?", arguments: [id]) == nil else {
                throw ClassesError(.conflict, "cohort: the lottery of \(id) was drawn already; see `lottery show`")
            }
            let applicants = try String.fetchAll(db, sql: "SELECT person FROM enrolment WHERE cohort = ? AND state = 'applied' ORDER BY person",
                                                 arguments: [id])
            guard !applicants.isEmpty else { throw ClassesError(.conflict, "cohort: nobody has applied to \(id)") }
            let taken = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM enrolment WHERE cohort = ? AND state = 'enrolled'", arguments: [id]) ?? 0
            var generator = SplitMix64(seed: seed)
            let draw = LotteryDraw(cohort: id, seed: seed, places: max(0, cohort.capacity - taken), applicants: applicants,
                                   drawn: generator.shuffled(applicants), at: at)
            let encoder = JSONEncoder()
            try db.execute(sql: "INSERT INTO lottery (cohort, seed, places, applicants, drawn, at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, String(seed), draw.places, String(decoding: try encoder.encode(applicants), as: UTF8.self),
                                       String(decoding: try encoder.encode(draw.drawn), as: UTF8.self), at.unixMilliseconds])
            for (index, person) in draw.drawn.enumerated() {
                let detail = "lottery seed \(seed), drawn #\(index + 1) of \(draw.drawn.count)"
                if index < draw.places {
                    try db.execute(sql: "UPDATE enrolment SET state = 'enrolled', enrolled_at = ? WHERE cohort = ? AND person = ?",
                                   arguments: [at.unixMilliseconds, id, person])
                    try log(id, person, "enrolled", at: at, detail: detail, in: db)
                } else {
                    try db.execute(sql: "UPDATE enrolment SET state = 'waiting', position = ? WHERE cohort = ? AND person = ?",
                                   arguments: [try nextPosition(id, in: db), id, person])
                    try log(id, person, "waitlisted", at: at, detail: detail, in: db)
                }
            }
            return draw
        }
    }

    /// The cohort's stored lottery (``LotteryDraw/verifies`` re-derives the order), or nil.
    public func lottery(cohort: String) throws -> LotteryDraw? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM lottery WHERE cohort = ?", arguments: [cohort]) else { return nil }
            let decoder = JSONDecoder()
            guard let seed = UInt64(row["seed"] as String) else { throw ClassesError(.database, "lottery of \(cohort): the stored seed is not a number") }
            return LotteryDraw(cohort: cohort, seed: seed, places: row["places"],
                               applicants: try decoder.decode([String].self, from: Data((row["applicants"] as String).utf8)),
                               drawn: try decoder.decode([String].self, from: Data((row["drawn"] as String).utf8)),
                               at: Date(unixMilliseconds: row["at"]))
        }
    }

    // MARK: Attendance, essays, suggestions

    /// A teacher's mark entered at the desk (same rules as from the phone).
    @discardableResult
    public func mark(_ mark: AttendanceMark, at: Date = Date()) throws -> MessageID? {
        try write { db in try book.mark(mark, at: at, in: db) }
    }

    /// A kiosk check-in entered by hand (same rules as from the kiosk).
    @discardableResult
    public func checkIn(card: String, session: String, at: Date) throws -> MessageID? {
        try write { db in try book.checkIn(card: card, session: session, at: at, in: db) }
    }

    /// An essay handed in on paper.
    public func essay(_ essay: Essay, at: Date = Date()) throws {
        try write { db in try book.essay(essay, at: at, in: db) }
    }

    /// Collects a suggestion (建议) from a cohort; returns its number.
    @discardableResult
    public func addSuggestion(cohort: String, person: String?, text: String, at: Date = Date()) throws -> Int64 {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ClassesError(.invalidArgument, "text: the suggestion is empty") }
        return try write { db in
            guard let found = try Cohort.find(cohort, in: db) else { throw ClassesError(.notFound, "cohort: \"\(cohort)\" is not a cohort") }
            try db.execute(sql: "INSERT INTO suggestion (cohort, person, text, at) VALUES (?, ?, ?, ?)",
                           arguments: [cohort, person, text, at.unixMilliseconds])
            let id = db.lastInsertedRowID
            try book.syncCohortEvent(found, at: at, in: db)
            return id
        }
    }

    /// Marks a suggestion adopted (采纳).
    public func adoptSuggestion(_ id: Int64, at: Date = Date()) throws {
        try write { db in
            guard let cohort = try String.fetchOne(db, sql: "SELECT cohort FROM suggestion WHERE id = ?", arguments: [id]),
                  let found = try Cohort.find(cohort, in: db) else {
                throw ClassesError(.notFound, "suggestion: there is no suggestion \(id)")
            }
            try db.execute(sql: "UPDATE suggestion SET adopted = 1 WHERE id = ?", arguments: [id])
            try book.syncCohortEvent(found, at: at, in: db)
        }
    }

    /// The cohort's suggestions: number, person, text, adopted.
    public func suggestions(cohort: String) throws -> [(id: Int64, person: String?, text: String, adopted: Bool)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM suggestion WHERE cohort = ? ORDER BY id", arguments: [cohort]).map {
                (id: $0["id"], person: $0["person"], text: $0["text"], adopted: $0["adopted"])
            }
        }
    }

    // MARK: Closing and completion

    /// Closes a session now (see ``AttendanceBook/close(session:now:in:)``).
    @discardableResult
    public func closeSession(_ id: String, now: Date = Date()) throws -> [MessageID] {
        try write { db in try book.close(session: id, now: now, in: db) }
    }

    /// Closes every session that ended the policy's grace before `now`.
    @discardableResult
    public func sweep(now: Date = Date()) throws -> [MessageID] {
        try write { db in try book.sweep(now: now, in: db) }
    }

    /// Closes a cohort with its completion records (see ``AttendanceBook/closeCohort(_:now:in:)``).
    @discardableResult
    public func closeCohort(_ id: String, now: Date = Date()) throws -> [AttendanceSummary] {
        try write { db in try book.closeCohort(id, now: now, in: db) }
    }

    /// Each learner's attendance in a cohort so far, by its completion rule.
    public func attendance(cohort id: String) throws -> [AttendanceSummary] {
        try read { db in
            guard let cohort = try Cohort.find(id, in: db) else { throw ClassesError(.notFound, "cohort: \"\(id)\" is not a cohort") }
            return try book.summaries(cohort: cohort, in: db)
        }
    }

    /// The certificates of completion (结业证书) of a closed cohort: number, person, name.
    public func certificates(cohort: String) throws -> [(number: String, person: String, name: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.person, l.name FROM record r JOIN learner l ON l.person = r.person
                WHERE r.event = ? AND r.status = 'completed' AND r.superseded_by IS NULL ORDER BY r.person
                """, arguments: [cohort]).enumerated().map { index, row in
                (number: "\(cohort)-" + String(format: "%03d", index + 1), person: row["person"], name: row["name"])
            }
        }
    }

    /// The records the service made for a session or cohort event: person, role, status, hours, superseded.
    public func records(event: String) throws -> [(id: String, person: String, role: String, status: String, hours: Double, superseded: Bool)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM record WHERE event = ? ORDER BY at, id", arguments: [event]).map {
                (id: $0["id"], person: $0["person"], role: $0["role"], status: $0["status"], hours: $0["hours"],
                 superseded: ($0["superseded_by"] as String?) != nil)
            }
        }
    }

    // MARK: Holidays

    /// The holiday table as stored in the file.
    public func holidays() throws -> HolidayTable { try read { db in try Self.holidays(in: db) } }

    /// Adds or replaces a holiday or make-up working day (for next year's State Council notice).
    public func setHoliday(_ entry: HolidayTable.Entry) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO holiday (date, kind, name) VALUES (?, ?, ?) ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name",
                           arguments: [entry.date.description, entry.kind.rawValue, entry.name])
        }
    }

    /// Removes a day from the holiday table; false if it was not listed.
    @discardableResult
    public func removeHoliday(_ date: LocalDate) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM holiday WHERE date = ?", arguments: [date.description])
            return db.changesCount > 0
        }
    }

    static func holidays(in db: Database) throws -> HolidayTable {
        HolidayTable(try Row.fetchAll(db, sql: "SELECT * FROM holiday").compactMap { row in
            guard let date = LocalDate(row["date"] as String), let kind = HolidayTable.Kind(rawValue: row["kind"]) else { return nil }
            return HolidayTable.Entry(date: date, kind: kind, name: row["name"])
        })
    }

    // MARK: Rosters

    /// The rosters to publish: for every site with a cohort, the sessions ending after `now - behind`
    /// and starting before `now + ahead`, and the learners enrolled in them (with a card or their
    /// person id), names masked. Only rosters that differ from the last one taken are returned
    /// (every site's if `all`); call ``forgetRoster(site:)`` if publishing one fails.
    public func takeRosters(now: Date, ahead: TimeInterval = 14 * 86_400, behind: TimeInterval = 86_400, all: Bool = false) throws -> [Roster] {
        try write { db in
            var rosters: [Roster] = []
            for site in try String.fetchAll(db, sql: "SELECT DISTINCT site FROM cohort ORDER BY site") {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT s.*, c.id AS cohort_id FROM session s JOIN cohort c ON c.id = s.cohort
                    WHERE c.site = ? AND s."end" >= ? AND s.start <= ? ORDER BY s.start, s.id
                    """, arguments: [site, now.addingTimeInterval(-behind).unixMilliseconds, now.addingTimeInterval(ahead).unixMilliseconds])
                var activities: [Roster.Activity] = []
                var people: [String: Roster.Person] = [:]
                for row in rows {
                    let session = ClassSession(row: row)
                    guard let cohort = try Cohort.find(session.cohort, in: db) else { continue }
                    activities.append(.init(activity: session.id, title: "\(cohort.fullTitle) 第\(session.number)次课",
                                            start: session.start, end: session.end))
                    let learners = try Row.fetchAll(db, sql: """
                        SELECT l.* FROM enrolment e JOIN learner l ON l.person = e.person
                        WHERE e.cohort = ? AND e.state = 'enrolled' ORDER BY l.person
                        """, arguments: [cohort.id]).map(Learner.init(row:))
                    for learner in learners {
                        people[learner.person, default: Roster.Person(card: learner.card ?? learner.person, person: learner.person,
                                                                      displayName: learner.maskedName, activities: [])]
                            .activities.append(session.id)
                    }
                }
                let siteID = try TopicID(validating: site)
                let roster = Roster(programme: .classes, site: siteID, updatedAt: now, activities: activities,
                                    people: people.values.sorted { $0.person < $1.person })
                var comparable = roster
                comparable.updatedAt = Date(timeIntervalSince1970: 0)
                let body = String(decoding: try WanxiaJSON.encode(comparable), as: UTF8.self)
                let last = try String.fetchOne(db, sql: "SELECT body FROM roster_state WHERE site = ?", arguments: [site])
                guard all || last != body else { continue }
                try db.execute(sql: "INSERT INTO roster_state (site, body) VALUES (?, ?) ON CONFLICT (site) DO UPDATE SET body = excluded.body",
                               arguments: [site, body])
                rosters.append(roster)
            }
            return rosters
        }
    }

    /// Forgets the roster last taken for a site, so the next ``takeRosters(now:ahead:behind:all:)`` returns it again.
    public func forgetRoster(site: TopicID) throws {
        try write { db in try db.execute(sql: "DELETE FROM roster_state WHERE site = ?", arguments: [site.rawValue]) }
    }

    // MARK: Helpers

    /// Whether `text` is a plain id: 1-128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit.
    static func isPlainID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, (1...128).contains(text.utf8.count) else { return false }
        func allowed(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) }
        return allowed(first) && text.unicodeScalars.allSatisfy { allowed($0) || ".-_:".unicodeScalars.contains($0) }
    }

    private func enrolmentCheck(cohort id: String, person: String, in db: Database) throws -> (Cohort, Learner) {
        guard let cohort = try Cohort.find(id, in: db) else { throw ClassesError(.notFound, "cohort: \"\(id)\" is not a cohort") }
        guard cohort.closedAt == nil else { throw ClassesError(.conflict, "cohort: \(id) is closed") }
        guard let learner = try Learner.find(card: person, in: db) else {
            throw ClassesError(.notFound, "person: \"\(person)\" is not on the roll; import the roll first")
        }
        return (cohort, learner)
    }

    private func nextPosition(_ cohort: String, in db: Database) throws -> Int {
        (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM enrolment WHERE cohort = ?", arguments: [cohort]) ?? 0) + 1
    }

    private func log(_ cohort: String, _ person: String, _ step: String, at: Date, detail: String? = nil, in db: Database) throws {
        try db.execute(sql: "INSERT INTO enrolment_log (cohort, person, step, at, detail) VALUES (?, ?, ?, ?, ?)",
                       arguments: [cohort, person, step, at.unixMilliseconds, detail])
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as Rejection {
            throw error
        } catch let error as ClassesError {
            throw error
        } catch {
            throw ClassesError(.database, "\(path): the change could not be stored", underlying: error)
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as Rejection {
            throw error
        } catch let error as ClassesError {
            throw error
        } catch {
            throw ClassesError(.database, "\(path): could not be read", underlying: error)
        }
    }
}
