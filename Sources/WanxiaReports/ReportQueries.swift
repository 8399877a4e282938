import Foundation
import GRDB
import WanxiaContract
import WanxiaRegistrar

/// Every SQL statement of the reports, over the registrar's effective view, in one place.
///
/// Counting follows docs/measures.md and the registrar's rules (docs/registrar.md, "Counting"):
/// effective records and latest event versions as of `asOf`; an event belongs to the period when
/// its start lies in it; person-times once per person per event. On top of those, a report counts
/// retirees and staff (not young people) in person-times, people and hours, and for study classes
/// counts only learners present or late at sessions as taking part. All values are bound
/// parameters (`:from`, `:to`, `:asOf`, `:offset`). Reads run in one snapshot; safe from any task.
///
/// A report of whole months (in the registrar's tally offset) as the book stands now reads the
/// report tally (schema version 4, docs/registrar.md "Report tally") instead of the records: the
/// same figures, in time proportional to the period's events and people rather than its records.
public struct ReportQueries: Sendable {
    public let reader: any DatabaseReader
    /// The bureau's zone: months of the hours chart are cut in it.
    public let timeZone: TimeZone

    public init(reader: any DatabaseReader, timeZone: TimeZone = WanxiaJSON.defaultTimeZone) {
        self.reader = reader
        self.timeZone = timeZone
    }

    /// The stages of a report, for progress lines.
    public static let stages = ["volunteers", "mentoring", "competitions", "classes", "months"]

    /// Computes the report of `period` as the book stood at `asOf` (now when nil).
    ///
    /// `progress` is called with the number of stages done (0...``stages``.count) and their total,
    /// from the calling task. Throws ``ReportError`` with code ``ReportError/Code/database`` when
    /// the file cannot be read.
    public func report(period: Period, asOf: Date? = nil,
                       progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> ParticipationReport {
        var arguments: StatementArguments = [
            "asOf": asOf.map(Self.milliseconds) ?? Int64.max,
            "from": Self.milliseconds(period.from),
            "to": Self.milliseconds(period.to),
            "offset": Int64(timeZone.secondsFromGMT(for: period.from)) * 1000,
        ]
        let months = monthList(period)
        do {
            return try reader.read { db in
                // Whole months as the book stands now: every figure from the tally, at once.
                var tally: ReportTallyRows?
                var view = ""
                if let months = try tallyMonths(db, period: period, asOf: asOf.map(Self.milliseconds)) {
                    arguments += ["m0": months.first, "m1": months.after]
                    tally = try ReportTallyRows(db, arguments: arguments)
                } else {
                    view = try RegistrarQueries.view(db, asOf: asOf.map(Self.milliseconds))
                }
                let total = Self.stages.count
                progress(0, total)
                let kinds = try tally?.kinds ?? Row.fetchAll(db, sql: Self.kindRows(view), arguments: arguments)
                let programmes = try tally?.programmes ?? Row.fetchAll(db, sql: Self.programmeTotals(view), arguments: arguments)
                func rows(_ programme: Programme) -> [ParticipationReport.KindRow] {
                    kinds.filter { ($0["programme"] as String) == programme.rawValue }.map { row in
                        .init(kind: row["kind"], events: row["events"], sessions: row["sessions"],
                              personTimes: row["person_times"], people: row["people"], hours: Self.round(row["hours"]))
                    }
                    .sorted { ($1.events, $0.kind) < ($0.events, $1.kind) }
                }
                func figure(_ programme: Programme, _ column: String) -> Int {
                    programmes.first { ($0["programme"] as String) == programme.rawValue }?[column] ?? 0
                }
                func hours(_ programme: Programme) -> Double {
                    Self.round(programmes.first { ($0["programme"] as String) == programme.rawValue }?["hours"] ?? 0)
                }

                let teams = try tally?.teams ?? Int.fetchOne(db, sql: Self.volunteerTeams(view), arguments: arguments) ?? 0
                let volunteers = ParticipationReport.Volunteers(
                    activities: figure(.volunteers, "events"), teams: teams, volunteers: figure(.volunteers, "people"),
                    personTimes: figure(.volunteers, "person_times"), hours: hours(.volunteers), kinds: rows(.volunteers))
                progress(1, total)

                let pairs = try tally?.pairs ?? Row.fetchOne(db, sql: Self.pairsActive(view), arguments: arguments)
                let mentoringRow = try tally?.mentoring ?? Row.fetchOne(db, sql: Self.mentoringFigures(view), arguments: arguments)
                let mentoring = ParticipationReport.Mentoring(
                    pairsActive: pairs?["pairs"] ?? 0, mentors: pairs?["mentors"] ?? 0, youngPeople: pairs?["mentees"] ?? 0,
                    studentsSponsored: mentoringRow?["sponsored"] ?? 0, meetings: mentoringRow?["meetings"] ?? 0,
                    meetingHours: Self.round(mentoringRow?["meeting_hours"] ?? 0),
                    talks: mentoringRow?["talks"] ?? 0, audience: Int(mentoringRow?["audience"] ?? 0.0),
                    personTimes: figure(.mentoring, "person_times"), people: figure(.mentoring, "people"),
                    hours: hours(.mentoring), kinds: rows(.mentoring))
                progress(2, total)

                let contest = try tally?.competitions ?? Row.fetchOne(db, sql: Self.competitionFigures(view), arguments: arguments)
                let submitted = Int(contest?["works_submitted"] ?? 0.0)
                let selected = Int(contest?["works_selected"] ?? 0.0)
                let competitions = ParticipationReport.Competitions(
                    competitions: figure(.competitions, "events"), personTimes: figure(.competitions, "person_times"),
                    people: figure(.competitions, "people"), players: contest?["players"] ?? 0,
                    officials: contest?["officials"] ?? 0, worksSubmitted: submitted, worksSelected: selected,
                    selectionRate: Self.rate(selected, submitted), hours: hours(.competitions), kinds: rows(.competitions))
                progress(3, total)

                let study = try tally?.classes ?? Row.fetchOne(db, sql: Self.classFigures(view), arguments: arguments)
                let marks: Int = study?["marks"] ?? 0
                let attended: Int = study?["attended"] ?? 0
                let completed: Int = study?["completed"] ?? 0
                let notCompleted: Int = study?["not_completed"] ?? 0
                let collected = Int(study?["suggestions_collected"] ?? 0.0)
                let adopted = Int(study?["suggestions_adopted"] ?? 0.0)
                let classes = ParticipationReport.Classes(
                    cohorts: figure(.classes, "events"), sessions: figure(.classes, "sessions"),
                    trainedPersonTimes: figure(.classes, "person_times"), learners: figure(.classes, "people"),
                    attendanceRate: Self.rate(attended, marks), completed: completed, notCompleted: notCompleted,
                    completionRate: Self.rate(completed, completed + notCompleted), essays: Int(study?["essays"] ?? 0.0),
                    suggestionsCollected: collected, suggestionsAdopted: adopted, adoptionRate: Self.rate(adopted, collected),
                    hours: hours(.classes), kinds: rows(.classes))
                progress(4, total)

                let overall = try tally?.overall ?? Row.fetchOne(db, sql: Self.overallPeople(view), arguments: arguments)
                var byMonth: [String: Double] = [:]
                for row in try tally?.months ?? Row.fetchAll(db, sql: Self.hoursByMonth(view), arguments: arguments) {
                    byMonth[row["month"]] = row["hours"]
                }
                progress(5, total)
                return ParticipationReport(
                    period: period.canonical, from: period.from, to: period.to, asOf: asOf,
                    volunteers: volunteers, mentoring: mentoring, competitions: competitions, classes: classes,
                    personTimes: volunteers.personTimes + mentoring.personTimes + competitions.personTimes + classes.trainedPersonTimes,
                    people: overall?["people"] ?? 0,
                    hours: Self.round(volunteers.hours + mentoring.hours + competitions.hours + classes.hours),
                    hoursByMonth: months.map { .init(month: $0, hours: Self.round(byMonth[$0] ?? 0)) })
            }
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError(.database, "the registrar file could not be read", underlying: error)
        }
    }

    // MARK: - SQL

    /// The registrar's effective view plus `evp`: effective events whose start lies in the period,
    /// and `tp`: effective records of retirees and staff joined to those events, with `taking` = 1
    /// when the record counts as taking part.
    static func base(_ view: String) -> String { view + """
        , evp AS (SELECT * FROM ev WHERE ev.start >= :from AND ev.start < :to),
        tp AS (
            SELECT pa.*, evp.programme AS programme, evp.kind AS kind, evp.parent AS parent, evp.start AS event_start,
                   CASE WHEN evp.programme = 'classes'
                        THEN pa.role = 'learner' AND pa.status IN ('present', 'late') AND evp.parent IS NOT NULL
                        ELSE pa.status NOT IN \(RegistrarQueries.nonAttendanceList) END AS taking
            FROM pa JOIN evp ON evp.event = pa.event
                    JOIN person pe ON pe.id = pa.person AND pe.kind <> 'youth'
        )

        """ }

    /// Per programme and kind: events (cohorts for classes), sessions, person-times, people, hours.
    static func kindRows(_ view: String) -> String { base(view) + """
        SELECT evp.programme, evp.kind,
               COUNT(DISTINCT CASE WHEN evp.programme <> 'classes' OR evp.parent IS NULL THEN evp.event END) AS events,
               COUNT(DISTINCT CASE WHEN evp.programme = 'classes' AND evp.parent IS NOT NULL THEN evp.event END) AS sessions,
               COUNT(DISTINCT CASE WHEN tp.taking THEN tp.person || char(31) || tp.event END) AS person_times,
               COUNT(DISTINCT CASE WHEN tp.taking THEN tp.person END) AS people,
               TOTAL(tp.hours) AS hours
        FROM evp LEFT JOIN tp ON tp.event = evp.event
        GROUP BY evp.programme, evp.kind
        """ }

    /// Per programme: the same figures, with people distinct over the whole programme.
    static func programmeTotals(_ view: String) -> String { base(view) + """
        SELECT evp.programme,
               COUNT(DISTINCT CASE WHEN evp.programme <> 'classes' OR evp.parent IS NULL THEN evp.event END) AS events,
               COUNT(DISTINCT CASE WHEN evp.programme = 'classes' AND evp.parent IS NOT NULL THEN evp.event END) AS sessions,
               COUNT(DISTINCT CASE WHEN tp.taking THEN tp.person || char(31) || tp.event END) AS person_times,
               COUNT(DISTINCT CASE WHEN tp.taking THEN tp.person END) AS people,
               TOTAL(tp.hours) AS hours
        FROM evp LEFT JOIN tp ON tp.event = evp.event
        GROUP BY evp.programme
        """ }

    /// Distinct people taking part in any programme.
    static func overallPeople(_ view: String) -> String { base(view) + """
        SELECT COUNT(DISTINCT person) AS people FROM tp WHERE taking
        """ }

    /// Volunteer teams active: distinct team (the record's, else the event's parent) of records taking part.
    static func volunteerTeams(_ view: String) -> String { base(view) + """
        SELECT COUNT(DISTINCT COALESCE(tp.team, tp.parent)) FROM tp
        WHERE tp.programme = 'volunteers' AND tp.taking
        """ }

    /// Pairs active: pair events with a `paired` or `closed` record whose [start, end) overlaps the
    /// period (no end: still open), whatever the pair event's own start.
    static func pairsActive(_ view: String) -> String { view + """
        SELECT COUNT(DISTINCT pa.event) AS pairs,
               COUNT(DISTINCT CASE WHEN pa.role = 'mentor' THEN pa.person END) AS mentors,
               COUNT(DISTINCT CASE WHEN pa.role = 'mentee' THEN pa.person END) AS mentees
        FROM pa JOIN ev ON ev.event = pa.event
        WHERE ev.programme = 'mentoring' AND pa.status IN ('paired', 'closed')
          AND COALESCE(pa.start, ev.start) < :to AND (pa."end" IS NULL OR pa."end" > :from)
        """ }

    /// Students sponsored, meetings and mentors' meeting hours, talks and their audience.
    static func mentoringFigures(_ view: String) -> String { view + """
        , evp AS (SELECT * FROM ev WHERE ev.start >= :from AND ev.start < :to AND ev.programme = 'mentoring')
        SELECT
            (SELECT COUNT(DISTINCT pa.person) FROM pa JOIN evp ON evp.event = pa.event
             WHERE pa.role = 'sponsored' AND pa.status = 'given') AS sponsored,
            (SELECT COUNT(DISTINCT pa.event) FROM pa JOIN evp ON evp.event = pa.event
             WHERE pa.status = 'met') AS meetings,
            (SELECT TOTAL(pa.hours) FROM pa JOIN evp ON evp.event = pa.event
             WHERE pa.status = 'met' AND pa.role = 'mentor') AS meeting_hours,
            (SELECT COUNT(*) FROM evp WHERE evp.audience IS NOT NULL
               AND EXISTS (SELECT 1 FROM pa WHERE pa.event = evp.event AND pa.role = 'speaker')) AS talks,
            (SELECT TOTAL(evp.audience) FROM evp WHERE evp.audience IS NOT NULL
               AND EXISTS (SELECT 1 FROM pa WHERE pa.event = evp.event AND pa.role = 'speaker')) AS audience
        """ }

    /// Players, officials, works submitted and selected.
    static func competitionFigures(_ view: String) -> String { base(view) + """
        SELECT
            (SELECT COUNT(DISTINCT person) FROM tp WHERE programme = 'competitions'
               AND role = 'player' AND status = 'played') AS players,
            (SELECT COUNT(DISTINCT person) FROM tp WHERE programme = 'competitions'
               AND role IN ('referee', 'judge', 'juror') AND status = 'judged') AS officials,
            (SELECT TOTAL(works_submitted) FROM evp WHERE programme = 'competitions') AS works_submitted,
            (SELECT TOTAL(works_selected) FROM evp WHERE programme = 'competitions') AS works_selected
        """ }

    /// Learner marks at sessions, completion on cohorts, and the cohorts' latest counts.
    static func classFigures(_ view: String) -> String { view + """
        , evp AS (SELECT * FROM ev WHERE ev.start >= :from AND ev.start < :to AND ev.programme = 'classes')
        SELECT
            (SELECT COUNT(*) FROM pa JOIN evp ON evp.event = pa.event
             WHERE evp.parent IS NOT NULL AND pa.role = 'learner') AS marks,
            (SELECT COUNT(*) FROM pa JOIN evp ON evp.event = pa.event
             WHERE evp.parent IS NOT NULL AND pa.role = 'learner' AND pa.status IN ('present', 'late')) AS attended,
            (SELECT COUNT(*) FROM pa JOIN evp ON evp.event = pa.event
             WHERE evp.parent IS NULL AND pa.role = 'learner' AND pa.status = 'completed') AS completed,
            (SELECT COUNT(*) FROM pa JOIN evp ON evp.event = pa.event
             WHERE evp.parent IS NULL AND pa.role = 'learner' AND pa.status = 'not-completed') AS not_completed,
            (SELECT TOTAL(essays) FROM evp WHERE parent IS NULL) AS essays,
            (SELECT TOTAL(suggestions_collected) FROM evp WHERE parent IS NULL) AS suggestions_collected,
            (SELECT TOTAL(suggestions_adopted) FROM evp WHERE parent IS NULL) AS suggestions_adopted
        """ }

    /// Hours of every programme by the month (in the bureau's zone) of the event's start.
    static func hoursByMonth(_ view: String) -> String { base(view) + """
        SELECT strftime('%Y-%m', (event_start + :offset) / 1000, 'unixepoch') AS month, TOTAL(hours) AS hours
        FROM tp GROUP BY month
        """ }

    // MARK: - Helpers

    /// `date` as the registrar stores it: Unix milliseconds, rounded down.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Hours to 1/100, as the registrar shows them.
    static func round(_ hours: Double) -> Double {
        (hours * 100).rounded() / 100
    }

    /// `part / whole` in percent to one decimal, or nil when `whole` is 0.
    static func rate(_ part: Int, _ whole: Int) -> Double? {
        guard whole > 0 else { return nil }
        return (Double(part) * 1000 / Double(whole)).rounded() / 10
    }

    /// The months `yyyy-MM` that the period touches, in the bureau's zone.
    func monthList(_ period: Period) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var months: [String] = []
        let first = calendar.dateComponents([.year, .month], from: period.from)
        var start = calendar.date(from: first)
        while let month = start, month < period.to, months.count < 1200 {
            let components = calendar.dateComponents([.year, .month], from: month)
            months.append(String(format: "%04d-%02d", components.year ?? 0, components.month ?? 0))
            start = calendar.date(byAdding: .month, value: 1, to: month)
        }
        return months
    }
}
