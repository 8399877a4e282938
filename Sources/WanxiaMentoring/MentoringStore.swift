import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery
import WanxiaSpreadsheet

/// The mentoring service's operational SQLite file (`mentoring.sqlite`): mentors, pseudonymous
/// young people, pairs and their lifecycle, meetings, sponsorships, talks, the closure-reason
/// catalogue, with the inbox's and outbox's tables.
///
/// It never holds a young person's real identity (see ``IdentityStore``), so it can be backed up
/// and run like any other service file. Opening migrates the file. Operations that derive records
/// enqueue them in the file's outbox in the same transaction; the running service sends them.
/// Safe to use from any task, and from another process while the service runs (SQLite WAL).
/// Rule refusals are `Rejection`s (code and message, as on the bus); bad arguments and imports
/// throw ``MentoringError``.
public final class MentoringStore: Sendable {
    public let path: String
    public let database: DatabasePool
    public let ledger: MentoringLedger

    public init(path: String, producer: TopicID = "mentoring") throws {
        self.path = path
        do {
            database = try DeliveryDatabase.openPool(at: path)
            var migrator = DatabaseMigrator()
            MentoringSchema.registerMigrations(in: &migrator)
            try migrator.migrate(database)
        } catch {
            throw MentoringError(.database, "\(path): cannot open the mentoring file", underlying: error)
        }
        ledger = MentoringLedger(recordsTopic: Topic.records(producer: producer))
    }

    // MARK: Mentors

    /// Imports mentors (retirees) from CSV/TSV: 编号/person and 姓名/name required, 电话/phone
    /// optional. Known mentors are updated. Good rows go in together.
    public func importMentors(_ data: Data, file: String) throws -> MentoringImportReport {
        let table: DelimitedText
        do { table = try DelimitedText(data: data) } catch { throw MentoringError(.importFailed, "\(file): \(error.message)") }
        guard let personColumn = table.column(["编号", "person", "id"]), let nameColumn = table.column(["姓名", "name"]) else {
            throw MentoringError(.importFailed, "\(file): the first line must name the columns 编号/person and 姓名/name")
        }
        let phoneColumn = table.column(["电话", "phone"])
        var report = MentoringImportReport(file: file, imported: 0, badRows: [])
        try write { db in
            for line in table.lines.dropFirst() {
                let field = { (column: Int?) in Self.field(line, column) }
                guard let person = field(personColumn), Self.isPlainID(person) else {
                    report.badRows.append(.init(line: line.number, problem: "编号/person \"\(field(personColumn) ?? "")\" is missing or not an id"))
                    continue
                }
                guard let name = field(nameColumn) else {
                    report.badRows.append(.init(line: line.number, problem: "姓名/name is missing for \(person)"))
                    continue
                }
                try Self.upsertMentor(person: person, name: name, phone: field(phoneColumn), in: db)
                report.imported += 1
            }
        }
        return report
    }

    /// Adds a mentor, or updates the name and phone of a known one.
    public func addMentor(person: String, name: String, phone: String? = nil) throws {
        guard Self.isPlainID(person) else { throw MentoringError(.invalidArgument, "person: \"\(person)\" is not an id (letters, digits . _ : -)") }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw MentoringError(.invalidArgument, "name: must not be empty") }
        try write { db in try Self.upsertMentor(person: person, name: name, phone: phone, in: db) }
    }

    /// Every mentor: (person, name).
    public func mentors() throws -> [(person: String, name: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT person, name FROM mentor ORDER BY person").map { (person: $0["person"], name: $0["name"]) }
        }
    }

    private static func upsertMentor(person: String, name: String, phone: String?, in db: Database) throws {
        // A changed name is announced again.
        try db.execute(sql: """
            INSERT INTO mentor (person, name, phone) VALUES (?, ?, ?)
            ON CONFLICT (person) DO UPDATE SET name = excluded.name, phone = excluded.phone,
                announced = CASE WHEN mentor.name = excluded.name THEN mentor.announced ELSE 0 END
            """, arguments: [person, name, phone])
    }

    // MARK: Young people (pseudonymous)

    /// Registers a pseudonym with an age band; called by ``IdentityOffice`` after it stored the
    /// real identity in the identity file.
    public func enrolYouth(pseudonym: String, ageBand: String?, at: Date) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO youth (pseudonym, age_band, enrolled_at) VALUES (?, ?, ?)",
                           arguments: [pseudonym, ageBand, at.unixMilliseconds])
        }
    }

    /// Notes that consent was recorded (by a guardian, or the young person from 14) on `at`.
    public func noteConsent(pseudonym: String, by: String, at: Date) throws {
        guard by == "guardian" || by == "self" else { throw MentoringError(.invalidArgument, "by: \"\(by)\" must be guardian or self") }
        try write { db in
            try db.execute(sql: "UPDATE youth SET consent_at = ?, consent_by = ? WHERE pseudonym = ?",
                           arguments: [at.unixMilliseconds, by, pseudonym])
            guard db.changesCount == 1 else { throw MentoringError(.notFound, "youth: \"\(pseudonym)\" is not enrolled") }
        }
    }

    /// Notes that the young person's identity was deleted on request: the pseudonym and the
    /// records already sent stay valid; open pairs must be closed separately.
    public func noteIdentityDeleted(pseudonym: String, at: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE youth SET identity_deleted_at = ? WHERE pseudonym = ?", arguments: [at.unixMilliseconds, pseudonym])
        }
    }

    /// Forgets a pseudonym that was never used (an enrolment whose identity could not be stored).
    func forgetYouth(pseudonym: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM youth WHERE pseudonym = ? AND announced = 0", arguments: [pseudonym]) }
    }

    /// Every young person, by pseudonym: never a real identity.
    public func youth() throws -> [YouthSummary] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM youth ORDER BY pseudonym").map(YouthSummary.init(row:)) }
    }

    /// One young person's summary, or nil.
    public func youth(_ pseudonym: String) throws -> YouthSummary? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM youth WHERE pseudonym = ?", arguments: [pseudonym]).map(YouthSummary.init(row:)) }
    }

    // MARK: Pairs

    /// Proposes a pair (see ``MentoringLedger/propose(id:mentor:youth:kind:actor:reason:at:in:)``).
    @discardableResult
    public func propose(id: String? = nil, mentor: String, youth: String, kind: PairKind, actor: String, reason: String,
                        at: Date = Date()) throws -> Pair {
        try write { db in try ledger.propose(id: id, mentor: mentor, youth: youth, kind: kind, actor: actor, reason: reason, at: at, in: db) }
    }

    /// proposed/paused -> active; consent must be on record.
    @discardableResult
    public func activate(pair: String, actor: String, reason: String, at: Date = Date()) throws -> Pair {
        try write { db in try ledger.move(pair: pair, to: .active, actor: actor, reason: reason, at: at, in: db) }
    }

    /// active -> paused.
    @discardableResult
    public func pause(pair: String, actor: String, reason: String, at: Date = Date()) throws -> Pair {
        try write { db in try ledger.move(pair: pair, to: .paused, actor: actor, reason: reason, at: at, in: db) }
    }

    /// paused -> active.
    @discardableResult
    public func resume(pair: String, actor: String, reason: String, at: Date = Date()) throws -> Pair {
        try activate(pair: pair, actor: actor, reason: reason, at: at)
    }

    /// proposed/active/paused -> closed, with a reason code from the catalogue and a note that stays here.
    @discardableResult
    public func close(pair: String, reason code: String, note: String, actor: String, at: Date = Date()) throws -> Pair {
        try write { db in try ledger.move(pair: pair, to: .closed, actor: actor, reason: note, closureReason: code, at: at, in: db) }
    }

    /// Every pair, by id; `state` filters.
    public func pairs(state: PairState? = nil) throws -> [Pair] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM pair WHERE ? IS NULL OR state = ? ORDER BY proposed_at, id",
                             arguments: [state?.rawValue, state?.rawValue]).map(Pair.init(row:))
        }
    }

    /// The pair with this id, or nil.
    public func pair(_ id: String) throws -> Pair? {
        try read { db in try Pair.find(id, in: db) }
    }

    /// Every lifecycle step of the pair.
    public func history(pair: String) throws -> [PairTransition] {
        try read { db in try ledger.history(pair: pair, in: db) }
    }

    // MARK: Closure reasons

    /// The catalogue, by code.
    public func closureReasons() throws -> [ClosureReason] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM closure_reason ORDER BY rowid").map {
                ClosureReason(code: $0["code"], label: $0["label"], planned: $0["planned"])
            }
        }
    }

    /// Adds a closure reason (or changes the words of one).
    public func addClosureReason(_ reason: ClosureReason) throws {
        guard reason.code.range(of: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$", options: .regularExpression) != nil, reason.code.count <= 32 else {
            throw MentoringError(.invalidArgument, "code: \"\(reason.code)\" must be lowercase words joined by - (e.g. changed-school)")
        }
        guard !reason.label.trimmingCharacters(in: .whitespaces).isEmpty else { throw MentoringError(.invalidArgument, "label: must not be empty") }
        try write { db in
            try db.execute(sql: """
                INSERT INTO closure_reason (code, label, planned) VALUES (?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET label = excluded.label, planned = excluded.planned
                """, arguments: [reason.code, reason.label, reason.planned])
        }
    }

    // MARK: Meetings, sponsorships, talks

    /// Logs a meeting from the CLI (a phone sends a `meeting-log` observation instead).
    @discardableResult
    public func logMeeting(pair: String, mentor: String, minutes: Int, mode: MeetingLog.Mode = .visit, end: Date) throws -> String {
        try write { db in
            try ledger.logMeeting(pair: pair, mentor: mentor, minutes: minutes, mode: mode, end: end, id: MessageID.make(now: end),
                                  site: nil, source: "cli", in: db)
        }
    }

    /// Records a sponsorship handed over.
    @discardableResult
    public func sponsor(pair: String, what: String, amount: Double? = nil, actor: String, at: Date) throws -> String {
        try write { db in try ledger.sponsor(pair: pair, what: what, amount: amount, actor: actor, at: at, in: db) }
    }

    /// Records a school talk.
    @discardableResult
    public func recordTalk(_ talk: Talk) throws -> String {
        try write { db in try ledger.recordTalk(talk, in: db) }
    }

    /// Meetings of a pair (or all): (event, pair, mentor, minutes, start, source).
    public func meetings(pair: String? = nil) throws -> [(event: String, pair: String, mentor: String, minutes: Int, start: Date, source: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM meeting WHERE ? IS NULL OR pair = ? ORDER BY start, event",
                             arguments: [pair, pair]).map {
                (event: $0["event"], pair: $0["pair"], mentor: $0["mentor"], minutes: $0["minutes"],
                 start: Date(unixMilliseconds: $0["start"]), source: $0["source"])
            }
        }
    }

    // MARK: Figures

    /// The figures for [from, to) (see ``MentoringFigures``).
    public func figures(from: Date, to: Date) throws -> MentoringFigures {
        let a = from.unixMilliseconds, b = to.unixMilliseconds
        return try read { db in
            // Pairs whose [activation, closure) overlaps [from, to): no closure means still open.
            let overlapping = "FROM pair WHERE activated_at IS NOT NULL AND activated_at < :to AND (closed_at IS NULL OR closed_at > :from)"
            let period: StatementArguments = ["from": a, "to": b]
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql, arguments: period) ?? 0 }
            var closed: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT closure_reason, COUNT(*) AS n FROM pair WHERE closed_at >= ? AND closed_at < ? GROUP BY closure_reason
                """, arguments: [a, b]) {
                closed[row["closure_reason"] ?? "", default: 0] += row["n"] as Int
            }
            return MentoringFigures(
                from: from, to: to,
                mentorsActive: try count("SELECT COUNT(DISTINCT mentor) \(overlapping)"),
                pairsActive: try count("SELECT COUNT(*) \(overlapping)"),
                pairsOpened: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pair WHERE activated_at >= ? AND activated_at < ?",
                                              arguments: [a, b]) ?? 0,
                pairsClosed: closed,
                youngPeopleHelped: try count("SELECT COUNT(DISTINCT youth) \(overlapping)"),
                studentsSponsored: try Int.fetchOne(db, sql: """
                    SELECT COUNT(DISTINCT p.youth) FROM sponsorship s JOIN pair p ON p.id = s.pair WHERE s.given_at >= ? AND s.given_at < ?
                    """, arguments: [a, b]) ?? 0,
                sponsorships: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sponsorship WHERE given_at >= ? AND given_at < ?",
                                               arguments: [a, b]) ?? 0,
                meetings: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM meeting WHERE start >= ? AND start < ?", arguments: [a, b]) ?? 0,
                meetingHours: (try Double.fetchOne(db, sql: "SELECT TOTAL(minutes) FROM meeting WHERE start >= ? AND start < ?",
                                                   arguments: [a, b]) ?? 0) / 60,
                talksHeld: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM talk WHERE start >= ? AND start < ?", arguments: [a, b]) ?? 0,
                audienceReached: try Int.fetchOne(db, sql: "SELECT TOTAL(audience) FROM talk WHERE start >= ? AND start < ?",
                                                  arguments: [a, b]).map { Int($0) } ?? 0,
                speakers: try Int.fetchOne(db, sql: """
                    SELECT COUNT(DISTINCT s.person) FROM talk_speaker s JOIN talk t ON t.event = s.talk WHERE t.start >= ? AND t.start < ?
                    """, arguments: [a, b]) ?? 0)
        }
    }

    // MARK: Helpers

    /// Whether `text` is a plain id: 1-128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit.
    public static func isPlainID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, (1...128).contains(text.utf8.count) else { return false }
        func allowed(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) }
        return allowed(first) && text.unicodeScalars.allSatisfy { allowed($0) || ".-_:".unicodeScalars.contains($0) }
    }

    static func field(_ line: DelimitedText.Line, _ column: Int?) -> String? {
        guard let column, column < line.fields.count else { return nil }
        let value = line.fields[column].trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as Rejection {
            throw error
        } catch let error as MentoringError {
            throw error
        } catch {
            throw MentoringError(.database, "\(path): the change could not be stored", underlying: error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as Rejection {
            throw error
        } catch {
            throw MentoringError(.database, "\(path): could not be read", underlying: error)
        }
    }
}
