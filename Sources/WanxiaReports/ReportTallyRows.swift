import GRDB

/// A report's figures read from the report tally (schema version 4), as rows shaped exactly like
/// the answers of ``ReportQueries``' statements over the records (same column names and types).
///
/// Reads the period's effective events once (grouped by programme and kind), the tally's rows of
/// the period's months once (aggregated here), and two small statements (volunteer teams, pairs
/// active). Needs the arguments `:from`, `:to` (ms) and `:m0`, `:m1` (the first month and the
/// month after the period, `yyyy-MM`); the caller checks the tally answers for them.
struct ReportTallyRows {
    var kinds: [Row]
    var programmes: [Row]
    var teams: Int
    var pairs: Row?
    var mentoring: Row?
    var competitions: Row?
    var classes: Row?
    var overall: Row?
    var months: [Row]

    /// Event-level figures per programme and kind, from the events whose effective start lies in
    /// the period (with or without records, as the reports count them).
    static let eventFigures = """
        SELECT e.programme, e.kind,
               COUNT(CASE WHEN e.programme <> 'classes' OR e.parent IS NULL THEN 1 END) AS events,
               COUNT(CASE WHEN e.programme = 'classes' AND e.parent IS NOT NULL THEN 1 END) AS sessions,
               TOTAL(e.works_submitted) AS works_submitted, TOTAL(e.works_selected) AS works_selected,
               TOTAL(CASE WHEN e.parent IS NULL THEN e.essays END) AS essays,
               TOTAL(CASE WHEN e.parent IS NULL THEN e.suggestions_collected END) AS suggestions_collected,
               TOTAL(CASE WHEN e.parent IS NULL THEN e.suggestions_adopted END) AS suggestions_adopted,
               SUM(CASE WHEN e.programme = 'mentoring'
                        THEN EXISTS (SELECT 1 FROM record_current r WHERE r.event = e.event AND r.status = 'met')
                        ELSE 0 END) AS meetings,
               SUM(CASE WHEN e.programme = 'mentoring' AND e.audience IS NOT NULL
                        THEN EXISTS (SELECT 1 FROM record_current r WHERE r.event = e.event AND r.role = 'speaker')
                        ELSE 0 END) AS talks,
               TOTAL(CASE WHEN e.programme = 'mentoring' AND e.audience IS NOT NULL
                               AND EXISTS (SELECT 1 FROM record_current r WHERE r.event = e.event AND r.role = 'speaker')
                          THEN e.audience END) AS audience
        FROM event e JOIN event_current c ON c.event = e.event AND c.version = e.version
        WHERE e.start >= :from AND e.start < :to
        GROUP BY e.programme, e.kind
        """

    /// The tally's rows of the period's months; `counted` is 1 for retirees and staff.
    static let tallyRows = """
        SELECT t.month, t.programme, t.kind, t.person, t.events_taking, t.hours, t.played, t.judged, t.given,
               t.met_hours, t.marks, t.attended, t.completed, t.not_completed,
               COALESCE(pe.kind <> 'youth', 0) AS counted
        FROM report_tally t LEFT JOIN person pe ON pe.id = t.person
        WHERE t.month >= :m0 AND t.month < :m1 AND t.records > 0
        """

    static let volunteerTeams = """
        SELECT COUNT(DISTINCT t.team) FROM report_team_tally t JOIN person pe ON pe.id = t.person AND pe.kind <> 'youth'
        WHERE t.month >= :m0 AND t.month < :m1 AND t.records > 0
        """

    /// Pairs active, from the current view's `paired`/`closed` rows (found by status, each with
    /// its event's effective start and programme copied in) rather than from every event.
    static let pairsActive = """
        SELECT COUNT(DISTINCT r.event) AS pairs,
               COUNT(DISTINCT CASE WHEN r.role = 'mentor' THEN r.person END) AS mentors,
               COUNT(DISTINCT CASE WHEN r.role = 'mentee' THEN r.person END) AS mentees
        FROM record_current r
        WHERE r.status IN ('paired', 'closed') AND r.programme = 'mentoring'
          AND COALESCE(r.start, r.ev_start) < :to AND (r."end" IS NULL OR r."end" > :from)
        """

    /// Person-times, people and hours of one group of tally rows (retirees and staff only).
    private struct Taking {
        var personTimes = 0
        var people: Set<String> = []
        var hours = 0.0

        mutating func add(person: String, events: Int, hours: Double) {
            personTimes += events
            if events > 0 { people.insert(person) }
            self.hours += hours
        }
    }

    private struct KindKey: Hashable {
        var programme: String
        var kind: String
    }

    init(_ db: Database, arguments: StatementArguments) throws {
        let events = try Row.fetchAll(db, sql: Self.eventFigures, arguments: arguments)

        var byKind: [KindKey: Taking] = [:]
        var byProgramme: [String: Taking] = [:]
        var everyone: Set<String> = []
        var players: Set<String> = []
        var officials: Set<String> = []
        var sponsored: Set<String> = []
        var meetingHours = 0.0
        var marks = 0, attended = 0, completed = 0, notCompleted = 0
        var monthHours: [String: Double] = [:]
        let cursor = try Row.fetchCursor(db, sql: Self.tallyRows, arguments: arguments)
        while let row = try cursor.next() {
            let month: String = row[0]
            let programme: String = row[1]
            let person: String = row[3]
            if row[14] as Bool {
                let taking: Int = row[4]
                let hours: Double = row[5]
                byKind[KindKey(programme: programme, kind: row[2]), default: Taking()].add(person: person, events: taking, hours: hours)
                byProgramme[programme, default: Taking()].add(person: person, events: taking, hours: hours)
                if taking > 0 { everyone.insert(person) }
                if (row[6] as Int) > 0 && programme == "competitions" { players.insert(person) }
                if (row[7] as Int) > 0 && programme == "competitions" { officials.insert(person) }
                monthHours[month, default: 0] += hours
            }
            if programme == "mentoring" {
                if (row[8] as Int) > 0 { sponsored.insert(person) }
                meetingHours += row[9] as Double
            }
            if programme == "classes" {
                marks += row[10] as Int
                attended += row[11] as Int
                completed += row[12] as Int
                notCompleted += row[13] as Int
            }
        }

        func figures(_ rows: [Row], _ taking: Taking?, keys: [String: (any DatabaseValueConvertible)?]) -> Row {
            var values = keys
            values["events"] = rows.reduce(0) { $0 + ($1["events"] as Int) }
            values["sessions"] = rows.reduce(0) { $0 + ($1["sessions"] as Int) }
            values["person_times"] = taking?.personTimes ?? 0
            values["people"] = taking?.people.count ?? 0
            values["hours"] = taking?.hours ?? 0.0
            return Row(values)
        }
        kinds = events.map { row in
            let key = KindKey(programme: row["programme"], kind: row["kind"])
            return figures([row], byKind[key], keys: ["programme": key.programme, "kind": key.kind])
        }
        let grouped = Dictionary(grouping: events) { $0["programme"] as String }
        programmes = grouped.map { programme, rows in figures(rows, byProgramme[programme], keys: ["programme": programme]) }
        func total(_ programme: String, _ column: String) -> Double {
            (grouped[programme] ?? []).reduce(0.0) { $0 + ($1[column] as Double) }
        }
        func count(_ programme: String, _ column: String) -> Int {
            (grouped[programme] ?? []).reduce(0) { $0 + ($1[column] as Int) }
        }

        teams = try Int.fetchOne(db, sql: Self.volunteerTeams, arguments: arguments) ?? 0
        pairs = try Row.fetchOne(db, sql: Self.pairsActive, arguments: arguments)
        mentoring = Row(["sponsored": sponsored.count, "meetings": count("mentoring", "meetings"),
                         "meeting_hours": meetingHours, "talks": count("mentoring", "talks"),
                         "audience": total("mentoring", "audience")])
        competitions = Row(["players": players.count, "officials": officials.count,
                            "works_submitted": total("competitions", "works_submitted"),
                            "works_selected": total("competitions", "works_selected")])
        classes = Row(["marks": marks, "attended": attended, "completed": completed, "not_completed": notCompleted,
                       "essays": total("classes", "essays"), "suggestions_collected": total("classes", "suggestions_collected"),
                       "suggestions_adopted": total("classes", "suggestions_adopted")])
        overall = Row(["people": everyone.count])
        months = monthHours.map { Row(["month": $0.key, "hours": $0.value]) }
    }
}
