import Foundation
import WanxiaDelivery
import GRDB
import WanxiaContract

/// The registrar's questions, answered from the effective view of the book.
///
/// The effective view as of a time `t`: the participation records recorded on or before `t` that no
/// correction recorded on or before `t` supersedes, joined to the latest version of each event
/// recorded on or before `t` (latest by item time, then arrival). Without `asOf`, `t` is "now".
///
/// Counting rules: an event belongs to a period when its start lies in the period; person-times
/// (人次) count one person once per event; distinct people (人) once overall; records whose status is
/// in ``nonAttendance`` (absent, excused, ...) are listed and their hours summed but they are not
/// counted as taking part. Methods throw ``RegistrarError`` (unknown person, group or period) or
/// wrap SQLite failures with code ``RegistrarError/Code/database``. Safe to use from any task.
public struct RegistrarQueries: Sendable {
    /// Statuses that mean the person did not take part.
    public static let nonAttendance: Set<String> = ["absent", "excused", "cancelled", "void", "no-show"]

    public let reader: any DatabaseReader
    /// The zone in which periods are parsed.
    public let timeZone: TimeZone

    public init(reader: any DatabaseReader, timeZone: TimeZone = WanxiaJSON.defaultTimeZone) {
        self.reader = reader
        self.timeZone = timeZone
    }

    // MARK: - Person history

    /// One person's effective records and hours, optionally limited to a period and a programme.
    public func personHistory(person: String, period: Period? = nil, programme: Programme? = nil,
                              asOf: Date? = nil) throws -> PersonHistory {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM person WHERE id = ?", arguments: [person]) != nil else {
                throw RegistrarError(.unknownPerson, "person: \"\(person)\" is not on the roll")
            }
            var arguments = Self.arguments(period: period, asOf: asOf)
            arguments += ["person": person, "programme": programme?.rawValue]
            let sql: String
            if try Self.currentViewAnswers(db, asOf: asOf?.unixMilliseconds) {
                // One range read of the person's rows in the current view, already in order.
                sql = """
                    SELECT record, event, title, programme, kind, role, hours, ledger, status, start, "end", site
                    FROM record_current
                    WHERE person = :person AND ev_start >= :from AND ev_start < :to
                      AND (:programme IS NULL OR programme = :programme)
                    ORDER BY ev_start, record
                    """
            } else {
                sql = Self.effective + """
                    SELECT pa.record, pa.event, ev.title, ev.programme, ev.kind, pa.role, pa.hours, pa.ledger,
                           pa.status, pa.start, pa."end", ev.site
                    FROM pa JOIN ev ON ev.event = pa.event
                    WHERE pa.person = :person AND ev.start >= :from AND ev.start < :to
                      AND (:programme IS NULL OR ev.programme = :programme)
                    ORDER BY ev.start, pa.record
                    """
            }
            var entries: [PersonHistory.Entry] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                let start: Int64? = row[9]
                let end: Int64? = row[10]
                let site: String? = row[11]
                entries.append(PersonHistory.Entry(
                    record: try MessageID(validating: row[0] as String), event: row[1], title: row[2],
                    programme: try Self.programme(row[3]), kind: row[4], role: row[5],
                    hours: row[6], ledger: Ledger(rawValue: row[7]) ?? .backfilled, status: row[8],
                    start: start.map(Date.init(unixMilliseconds:)), end: end.map(Date.init(unixMilliseconds:)),
                    site: site.flatMap { try? TopicID(validating: $0) }))
            }
            let byProgramme = Programme.allCases.compactMap { programme -> PersonHistory.ProgrammeTotal? in
                let mine = entries.filter { $0.programme == programme }
                guard !mine.isEmpty else { return nil }
                let events = Set(mine.filter { !Self.nonAttendance.contains($0.status) }.map(\.event))
                return .init(programme: programme, hours: Self.round(mine.reduce(0) { $0 + $1.hours }), personTimes: events.count)
            }
            return PersonHistory(person: person, period: period?.canonical,
                                 totalHours: Self.round(entries.reduce(0) { $0 + $1.hours }),
                                 byProgramme: byProgramme, records: entries)
        }
    }

    // MARK: - Group participation

    /// A team's, cohort's, competition's, site's or event's events, person-times, people and hours.
    ///
    /// A team is `participation.team`, or for a volunteer event without one, the event's `parent`;
    /// a cohort or competition is the event's `parent`; a site the event's `site`. Throws
    /// ``RegistrarError/Code/unknownGroup`` (or `unknownEvent`) when nothing ever belonged to it.
    public func groupParticipation(group: GroupRef, period: Period? = nil, asOf: Date? = nil) throws -> GroupParticipation {
        let eventCondition: String
        let rowCondition: String
        switch group.kind {
        case .team:
            eventCondition = "ev.programme = 'volunteers' AND ev.parent = :id"
            rowCondition = "COALESCE(pa.team, CASE WHEN ev.programme = 'volunteers' THEN ev.parent END) = :id"
        case .cohort, .competition:
            eventCondition = "ev.parent = :id"
            rowCondition = eventCondition
        case .site:
            eventCondition = "ev.site = :id"
            rowCondition = eventCondition
        case .event:
            eventCondition = "ev.event = :id"
            rowCondition = eventCondition
        }
        return try read { db in
            let view = try Self.view(db, asOf: asOf?.unixMilliseconds)
            var everything = Self.arguments(period: nil, asOf: asOf)
            everything += ["id": group.id]
            let known = try Int.fetchOne(db, sql: view + """
                SELECT (SELECT COUNT(*) FROM ev WHERE \(eventCondition))
                     + (SELECT COUNT(*) FROM pa JOIN ev ON ev.event = pa.event WHERE \(rowCondition))
                """, arguments: everything) ?? 0
            guard known > 0 else {
                if group.kind == .event {
                    throw RegistrarError(.unknownEvent, "group.id: event \"\(group.id)\" has not been recorded")
                }
                throw RegistrarError(.unknownGroup, "group.id: no events or records belong to \(group.kind.rawValue) \"\(group.id)\"")
            }

            var arguments = Self.arguments(period: period, asOf: asOf)
            arguments += ["id": group.id]
            let events = try Int.fetchOne(db, sql: view + """
                SELECT COUNT(*) FROM (
                    SELECT ev.event FROM ev WHERE \(eventCondition) AND ev.start >= :from AND ev.start < :to
                    UNION
                    SELECT pa.event FROM pa JOIN ev ON ev.event = pa.event
                    WHERE \(rowCondition) AND ev.start >= :from AND ev.start < :to)
                """, arguments: arguments) ?? 0
            let members = try Row.fetchAll(db, sql: view + """
                SELECT pa.person,
                       COUNT(DISTINCT CASE WHEN pa.status NOT IN \(Self.nonAttendanceList) THEN pa.event END) AS person_times,
                       TOTAL(pa.hours) AS hours
                FROM pa JOIN ev ON ev.event = pa.event
                WHERE \(rowCondition) AND ev.start >= :from AND ev.start < :to
                GROUP BY pa.person
                ORDER BY pa.person
                """, arguments: arguments).map { row in
                GroupParticipation.Member(person: row["person"], personTimes: row["person_times"], hours: Self.round(row["hours"]))
            }
            return GroupParticipation(
                group: group, period: period?.canonical, events: events,
                personTimes: members.reduce(0) { $0 + $1.personTimes },
                distinctPeople: members.filter { $0.personTimes > 0 }.count,
                hours: Self.round(members.reduce(0) { $0 + $1.hours }), people: members)
        }
    }

    // MARK: - Period totals

    /// A period's figures by programme and event kind, for the bureau's work summaries.
    ///
    /// Events held, audience and works come from the events whose start lies in the period (with or
    /// without participation records); person-times, distinct people and hours from their records.
    public func periodTotals(period: Period, programme: Programme? = nil, asOf: Date? = nil) throws -> PeriodTotals {
        try read { db in
            let view = try Self.view(db, asOf: asOf?.unixMilliseconds)
            var arguments = Self.arguments(period: period, asOf: asOf)
            arguments += ["programme": programme?.rawValue]
            let selected = """
                , evp AS (SELECT * FROM ev WHERE ev.start >= :from AND ev.start < :to
                                            AND (:programme IS NULL OR ev.programme = :programme))
                """
            let eventRows = try Row.fetchAll(db, sql: view + selected + """
                SELECT programme, kind, COUNT(*) AS events,
                       TOTAL(audience) AS audience, TOTAL(works_submitted) AS works_submitted,
                       TOTAL(works_selected) AS works_selected, TOTAL(essays) AS essays,
                       TOTAL(suggestions_collected) AS suggestions_collected,
                       TOTAL(suggestions_adopted) AS suggestions_adopted
                FROM evp GROUP BY programme, kind
                """, arguments: arguments)
            let peopleRows = try Row.fetchAll(db, sql: view + selected + """
                SELECT evp.programme, evp.kind,
                       COUNT(DISTINCT CASE WHEN pa.status NOT IN \(Self.nonAttendanceList)
                                           THEN pa.person || char(31) || pa.event END) AS person_times,
                       COUNT(DISTINCT CASE WHEN pa.status NOT IN \(Self.nonAttendanceList) THEN pa.person END) AS people,
                       TOTAL(pa.hours) AS hours
                FROM pa JOIN evp ON evp.event = pa.event
                GROUP BY evp.programme, evp.kind
                """, arguments: arguments)
            struct Key: Hashable { var programme: String; var kind: String }
            var people: [Key: Row] = [:]
            for row in peopleRows {
                people[Key(programme: row["programme"], kind: row["kind"])] = row
            }
            let order = Dictionary(uniqueKeysWithValues: Programme.allCases.enumerated().map { ($1.rawValue, $0) })
            let rows = try eventRows.map { row in
                let key = Key(programme: row["programme"], kind: row["kind"])
                let participation = people[key]
                return PeriodTotals.Row(
                    programme: try Self.programme(key.programme), kind: key.kind, events: row["events"],
                    personTimes: participation?["person_times"] ?? 0, distinctPeople: participation?["people"] ?? 0,
                    hours: Self.round(participation?["hours"] ?? 0),
                    audience: Int(row["audience"] as Double), worksSubmitted: Int(row["works_submitted"] as Double),
                    worksSelected: Int(row["works_selected"] as Double), essays: Int(row["essays"] as Double),
                    suggestionsCollected: Int(row["suggestions_collected"] as Double),
                    suggestionsAdopted: Int(row["suggestions_adopted"] as Double))
            }.sorted { ((order[$0.programme.rawValue] ?? 0), $0.kind) < ((order[$1.programme.rawValue] ?? 0), $1.kind) }
            return PeriodTotals(period: period.canonical, from: period.from, to: period.to, rows: rows)
        }
    }

    // MARK: - Requests

    /// Answers a bus request: never throws; a failure becomes an `ok: false` reply whose code is
    /// `unknown-person`, `unknown-event`, `unknown-group`, `invalid-field` or `internal-error`.
    public func answer(_ request: QueryRequest) -> QueryReply {
        do {
            let period = try request.period.map { try Period(parsing: $0, timeZone: timeZone) }
            switch request.query {
            case .personHistory:
                guard let person = request.person else {
                    throw RegistrarError(.invalidArgument, "person: is required for a person-history query")
                }
                return try QueryReply(requestId: request.requestId, result: personHistory(
                    person: person, period: period, programme: request.programme, asOf: request.asOf))
            case .groupParticipation:
                guard let group = request.group else {
                    throw RegistrarError(.invalidArgument, "group: is required for a group-participation query")
                }
                return try QueryReply(requestId: request.requestId, result: groupParticipation(
                    group: group, period: period, asOf: request.asOf))
            case .periodTotals:
                guard let period else {
                    throw RegistrarError(.invalidArgument, "period: is required for a period-totals query")
                }
                return try QueryReply(requestId: request.requestId, result: periodTotals(
                    period: period, programme: request.programme, asOf: request.asOf))
            }
        } catch let error as RegistrarError {
            return QueryReply(requestId: request.requestId, error: .init(code: error.rejectCode, message: error.message))
        } catch {
            return QueryReply(requestId: request.requestId, error: .init(code: "internal-error", message: "the registrar could not answer: \(error)"))
        }
    }

    // MARK: - SQL

    /// The effective view as CTEs `ev` (effective event versions) and `pa` (effective records),
    /// bound to `:asOf` (Unix ms). Append `, more AS (...)` or the final `SELECT`. Public so that
    /// reports count from exactly the same view as the registrar's own queries.
    public static let effective = """
        WITH ev AS (
            SELECT e.* FROM event e
            WHERE e.recorded_at <= :asOf
              AND NOT EXISTS (SELECT 1 FROM event n
                              WHERE n.event = e.event AND n.recorded_at <= :asOf
                                AND (n.at > e.at OR (n.at = e.at AND n.version > e.version)))
        ),
        pa AS (
            SELECT p.* FROM participation p
            WHERE p.recorded_at <= :asOf
              AND NOT EXISTS (SELECT 1 FROM participation c WHERE c.supersedes = p.record AND c.recorded_at <= :asOf)
        )

        """

    /// The same CTEs `ev` and `pa` read from the current view (`event_current`, `record_current`,
    /// schema version 3): exact only when ``currentViewAnswers(_:asOf:)`` says so. `pa` has the
    /// columns record, person, event, role, hours, ledger, status, start, end and team.
    public static let current = """
        WITH ev AS (
            SELECT e.* FROM event_current c JOIN event e ON e.version = c.version
        ),
        pa AS (
            SELECT record, person, event, role, hours, ledger, status, start, "end", team FROM record_current
        )

        """

    /// Whether the current view gives the effective view as of `asOf` (Unix ms; nil: now): the
    /// file has it (schema version 3) and nothing in the book was recorded after `asOf`.
    public static func currentViewAnswers(_ db: Database, asOf: Int64?) throws -> Bool {
        guard try db.tableExists("book_clock") else { return false }
        guard let asOf else { return true }
        let last = try Int64.fetchOne(db, sql: "SELECT last_recorded_at FROM book_clock WHERE id = 1") ?? Int64.max
        return asOf >= last
    }

    /// ``current`` when it answers as of `asOf`, else ``effective``.
    public static func view(_ db: Database, asOf: Int64?) throws -> String {
        try currentViewAnswers(db, asOf: asOf) ? current : effective
    }

    /// ``nonAttendance`` as an SQL list literal, `('absent', ...)`, for `status NOT IN` clauses.
    public static let nonAttendanceList = "(" + nonAttendance.sorted().map { "'\($0)'" }.joined(separator: ", ") + ")"

    static func arguments(period: Period?, asOf: Date?) -> StatementArguments {
        [
            "asOf": asOf?.unixMilliseconds ?? Int64.max,
            "from": period?.from.unixMilliseconds ?? Int64.min,
            "to": period?.to.unixMilliseconds ?? Int64.max,
        ]
    }

    static func programme(_ text: String) throws -> Programme {
        guard let programme = Programme(rawValue: text) else {
            throw RegistrarError(.database, "the book holds an unknown programme \"\(text)\"")
        }
        return programme
    }

    /// Hours to 1/100: sums of binary fractions would otherwise print as 7.499999999.
    static func round(_ hours: Double) -> Double {
        (hours * 100).rounded() / 100
    }

    private func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do {
            return try reader.read(body)
        } catch let error as RegistrarError {
            throw error
        } catch {
            throw RegistrarError(.database, "the registrar database could not be read", underlying: error)
        }
    }
}
