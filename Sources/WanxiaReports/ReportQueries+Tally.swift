import Foundation
import GRDB
import WanxiaRegistrar

extension ReportQueries {
    /// The statements of one report, all returning the same columns whichever source they read.
    ///
    /// ``effective(_:)`` reads the registrar's view (current or effective); ``tally`` reads the
    /// report tally (schema version 4) for whole months plus the period's effective events, and
    /// needs the arguments `:m0` and `:m1` (first month and the month after the period, `yyyy-MM`).
    struct Statements {
        var kindRows: String
        var programmeTotals: String
        var overallPeople: String
        var volunteerTeams: String
        var pairsActive: String
        var mentoringFigures: String
        var competitionFigures: String
        var classFigures: String
        var hoursByMonth: String

        static func effective(_ view: String) -> Statements {
            Statements(kindRows: kindRows(view), programmeTotals: programmeTotals(view), overallPeople: overallPeople(view),
                       volunteerTeams: volunteerTeams(view), pairsActive: ReportQueries.pairsActive(view),
                       mentoringFigures: ReportQueries.mentoringFigures(view),
                       competitionFigures: ReportQueries.competitionFigures(view),
                       classFigures: ReportQueries.classFigures(view), hoursByMonth: ReportQueries.hoursByMonth(view))
        }

        static var tally: Statements {
            Statements(kindRows: tallyFigures(by: ["programme", "kind"]), programmeTotals: tallyFigures(by: ["programme"]),
                       overallPeople: tallyOverallPeople, volunteerTeams: tallyTeams,
                       pairsActive: tallyPairs,
                       mentoringFigures: tallyMentoring, competitionFigures: tallyCompetitions,
                       classFigures: tallyClasses, hoursByMonth: tallyHoursByMonth)
        }

        private static func kindRows(_ view: String) -> String { ReportQueries.kindRows(view) }
        private static func programmeTotals(_ view: String) -> String { ReportQueries.programmeTotals(view) }
        private static func overallPeople(_ view: String) -> String { ReportQueries.overallPeople(view) }
        private static func volunteerTeams(_ view: String) -> String { ReportQueries.volunteerTeams(view) }
    }

    /// `evp`: the period's events at their effective version; `tp`: the tally's rows of the
    /// period's months for retirees and staff. Each is worked out once per statement.
    static let tallyBase = """
        WITH evp AS MATERIALIZED (
            SELECT e.* FROM event e JOIN event_current c ON c.event = e.event AND c.version = e.version
            WHERE e.start >= :from AND e.start < :to
        ),
        tp AS MATERIALIZED (
            SELECT t.* FROM report_tally t JOIN person pe ON pe.id = t.person AND pe.kind <> 'youth'
            WHERE t.month >= :m0 AND t.month < :m1 AND t.records > 0
        )

        """

    /// Rows of the period's months, young people included.
    static let tallyAll = "report_tally WHERE month >= :m0 AND month < :m1 AND records > 0"

    /// Events, sessions, person-times, people and hours grouped by `columns`.
    static func tallyFigures(by columns: [String]) -> String {
        let list = columns.joined(separator: ", ")
        return tallyBase + """
            , ek AS (
                SELECT \(list),
                       COUNT(CASE WHEN programme <> 'classes' OR parent IS NULL THEN 1 END) AS events,
                       COUNT(CASE WHEN programme = 'classes' AND parent IS NOT NULL THEN 1 END) AS sessions
                FROM evp GROUP BY \(list)
            ),
            tk AS (
                SELECT \(list), SUM(events_taking) AS person_times,
                       COUNT(DISTINCT CASE WHEN events_taking > 0 THEN person END) AS people, TOTAL(hours) AS hours
                FROM tp GROUP BY \(list)
            )
            SELECT ek.*, COALESCE(tk.person_times, 0) AS person_times, COALESCE(tk.people, 0) AS people,
                   COALESCE(tk.hours, 0.0) AS hours
            FROM ek LEFT JOIN tk USING (\(list))
            """
    }

    /// Pairs active, from the current view's `paired`/`closed` rows (found by status, each with
    /// its event's effective start and programme copied in) rather than from every event.
    static let tallyPairs = """
        SELECT COUNT(DISTINCT r.event) AS pairs,
               COUNT(DISTINCT CASE WHEN r.role = 'mentor' THEN r.person END) AS mentors,
               COUNT(DISTINCT CASE WHEN r.role = 'mentee' THEN r.person END) AS mentees
        FROM record_current r
        WHERE r.status IN ('paired', 'closed') AND r.programme = 'mentoring'
          AND COALESCE(r.start, r.ev_start) < :to AND (r."end" IS NULL OR r."end" > :from)
        """

    static let tallyOverallPeople = tallyBase + """
        SELECT COUNT(DISTINCT person) AS people FROM tp WHERE events_taking > 0
        """

    static let tallyTeams = """
        SELECT COUNT(DISTINCT t.team) FROM report_team_tally t JOIN person pe ON pe.id = t.person AND pe.kind <> 'youth'
        WHERE t.month >= :m0 AND t.month < :m1 AND t.records > 0
        """

    static let tallyMentoring = tallyBase + """
        SELECT
            (SELECT COUNT(DISTINCT person) FROM \(tallyAll) AND programme = 'mentoring' AND given > 0) AS sponsored,
            (SELECT COUNT(*) FROM evp WHERE evp.programme = 'mentoring'
               AND EXISTS (SELECT 1 FROM record_current r WHERE r.event = evp.event AND r.status = 'met')) AS meetings,
            (SELECT TOTAL(met_hours) FROM \(tallyAll) AND programme = 'mentoring') AS meeting_hours,
            (SELECT COUNT(*) FROM evp WHERE evp.programme = 'mentoring' AND evp.audience IS NOT NULL
               AND EXISTS (SELECT 1 FROM record_current r WHERE r.event = evp.event AND r.role = 'speaker')) AS talks,
            (SELECT TOTAL(evp.audience) FROM evp WHERE evp.programme = 'mentoring' AND evp.audience IS NOT NULL
               AND EXISTS (SELECT 1 FROM record_current r WHERE r.event = evp.event AND r.role = 'speaker')) AS audience
        """

    static let tallyCompetitions = tallyBase + """
        SELECT
            (SELECT COUNT(DISTINCT person) FROM tp WHERE programme = 'competitions' AND played > 0) AS players,
            (SELECT COUNT(DISTINCT person) FROM tp WHERE programme = 'competitions' AND judged > 0) AS officials,
            (SELECT TOTAL(works_submitted) FROM evp WHERE programme = 'competitions') AS works_submitted,
            (SELECT TOTAL(works_selected) FROM evp WHERE programme = 'competitions') AS works_selected
        """

    static let tallyClasses = tallyBase + """
        SELECT
            (SELECT COALESCE(SUM(marks), 0) FROM \(tallyAll) AND programme = 'classes') AS marks,
            (SELECT COALESCE(SUM(attended), 0) FROM \(tallyAll) AND programme = 'classes') AS attended,
            (SELECT COALESCE(SUM(completed), 0) FROM \(tallyAll) AND programme = 'classes') AS completed,
            (SELECT COALESCE(SUM(not_completed), 0) FROM \(tallyAll) AND programme = 'classes') AS not_completed,
            (SELECT TOTAL(essays) FROM evp WHERE programme = 'classes' AND parent IS NULL) AS essays,
            (SELECT TOTAL(suggestions_collected) FROM evp WHERE programme = 'classes' AND parent IS NULL) AS suggestions_collected,
            (SELECT TOTAL(suggestions_adopted) FROM evp WHERE programme = 'classes' AND parent IS NULL) AS suggestions_adopted
        """

    static let tallyHoursByMonth = tallyBase + """
        SELECT month, TOTAL(hours) AS hours FROM tp GROUP BY month
        """

    /// The first month of `period` and the month after it (`yyyy-MM`) when the tally can answer
    /// the report: the file has it, the book has not changed since `asOf`, the period is whole
    /// months in the tally's offset, and that offset is the report zone's at both ends.
    func tallyMonths(_ db: Database, period: Period, asOf: Int64?) throws -> (first: String, after: String)? {
        guard try db.tableExists("tally_zone"), try RegistrarQueries.currentViewAnswers(db, asOf: asOf),
              let offset = try Int64.fetchOne(db, sql: "SELECT offset_ms FROM tally_zone WHERE id = 1"),
              offset % 1000 == 0, let zone = TimeZone(secondsFromGMT: Int(offset / 1000)) else { return nil }
        guard Int64(timeZone.secondsFromGMT(for: period.from)) * 1000 == offset,
              Int64(timeZone.secondsFromGMT(for: period.to)) * 1000 == offset,
              let first = Self.monthStart(period.from, zone), let after = Self.monthStart(period.to, zone),
              first < after else { return nil }
        return (first, after)
    }

    /// `yyyy-MM` when `date` is the first instant (to the millisecond) of a month in `zone`.
    static func monthStart(_ date: Date, _ zone: TimeZone) -> String? {
        let ms = milliseconds(date)
        guard ms % 1000 == 0 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                            from: Date(timeIntervalSince1970: TimeInterval(ms / 1000)))
        guard parts.day == 1, parts.hour == 0, parts.minute == 0, parts.second == 0,
              let year = parts.year, let month = parts.month, (1...9999).contains(year) else { return nil }
        return String(format: "%04d-%02d", year, month)
    }
}
