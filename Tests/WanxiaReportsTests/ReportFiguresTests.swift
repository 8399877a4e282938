import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaRegistrar
@testable import WanxiaReports

/// The report's figures on the fixed data set: counted by hand, and against hand-written SQL.
@Suite struct ReportFiguresTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture() }

    func report(_ period: String, asOf: Date? = nil) throws -> ParticipationReport {
        try ReportQueries(reader: fixture.book.store.database).report(period: try Period(parsing: period), asOf: asOf)
    }

    @Test func firstHalfYearCountedByHand() throws {
        let report = try report("2023上半年")
        #expect(report.period == "2023H1")
        let v = report.volunteers
        #expect([v.activities, v.teams, v.volunteers, v.personTimes] == [3, 2, 3, 4] as [Int])
        #expect(v.hours == 12)
        #expect(v.kinds.map(\.kind) == ["法律援助进社区", "医疗义诊下乡"])
        #expect(v.kinds.map(\.events) == [2, 1])
        let m = report.mentoring
        #expect([m.pairsActive, m.mentors, m.youngPeople, m.studentsSponsored, m.meetings, m.talks, m.audience] == [2, 2, 2, 1, 1, 2, 500] as [Int])
        #expect([m.personTimes, m.people] == [5, 3] as [Int])
        #expect(m.meetingHours == 2 && m.hours == 4.5)
        let c = report.competitions
        #expect([c.competitions, c.personTimes, c.people, c.players, c.officials, c.worksSubmitted, c.worksSelected] == [4, 8, 4, 4, 2, 200, 50] as [Int])
        #expect(c.selectionRate == 25 && c.hours == 36)
        #expect(c.kinds.first { $0.kind == "门球赛" }?.events == 2)
        let s = report.classes
        #expect([s.cohorts, s.sessions, s.trainedPersonTimes, s.learners, s.completed, s.notCompleted] == [2, 3, 5, 4, 2, 1] as [Int])
        #expect(s.attendanceRate == 71.4 && s.completionRate == 66.7)
        #expect([s.essays, s.suggestionsCollected, s.suggestionsAdopted] == [3, 16, 11] as [Int])
        #expect(s.adoptionRate == 68.8 && s.hours == 14.5)
        #expect([report.personTimes, report.people] == [22, 4] as [Int])
        #expect(report.hours == 67)
        #expect(report.hoursByMonth.map(\.month) == ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06"])
        #expect(report.hoursByMonth.map(\.hours) == [0, 0, 19.5, 21.5, 11, 15])
    }

    @Test func eventAt2330On30JuneUTC8BelongsToTheFirstHalfYear() throws {
        // V-2 starts 2023-06-30 23:30 +08:00 (15:30 UTC); V-4 starts 2023-07-01 07:00 +08:00 (still 30 June in UTC).
        let first = try report("2023H1"), second = try report("2023H2"), june = try report("2023-06"), july = try report("2023年7月")
        #expect(first.volunteers.kinds.first { $0.kind == "法律援助进社区" }?.events == 2)
        #expect(june.volunteers.activities == 1 && june.volunteers.hours == 2)
        #expect(second.volunteers.activities == 1 && second.volunteers.volunteers == 1 && second.volunteers.hours == 2)
        #expect(july.volunteers.activities == 1)
        let day = try report("2023-06-30")
        #expect(day.volunteers.activities == 1)
    }

    @Test func asOfReproducesTheBookBeforeTheCorrections() throws {
        let then = try report("2023H1", asOf: Fixture.between)
        let now = try report("2023H1")
        #expect(then.volunteers.hours == 11.5 && now.volunteers.hours == 12)
        #expect(then.classes.essays == 2 && then.classes.suggestionsCollected == 0 && then.classes.adoptionRate == nil)
        #expect(then.asOf == Fixture.between && now.asOf == nil)
        // M-PAIR-2 was still open then; closed on 1 March it still overlaps the half-year.
        #expect(then.mentoring.pairsActive == 2 && now.mentoring.pairsActive == 2)
        let before = try report("2023-01-01..2023-02-15", asOf: Fixture.between)
        let after = try report("2023-03-02..2023-03-31")
        #expect(before.mentoring.pairsActive == 2 && after.mentoring.pairsActive == 1)
    }

    @Test(arguments: ["2023H1", "2023", "2023Q2", "2023-03", "2023-03-01..2023-04-30", "2023H2", "2022"], [false, true])
    func figuresEqualIndependentSQLCounts(period text: String, beforeCorrections: Bool) throws {
        let asOf = beforeCorrections ? Fixture.between : nil
        let period = try Period(parsing: text)
        let report = try report(text, asOf: asOf)
        let sql = IndependentCounts(book: fixture.book, period: period, asOf: asOf)

        let events = "SELECT COUNT(*) FROM ev WHERE programme = :programme AND start >= :from AND start < :to"
        let attending = """
            FROM pa JOIN ev ON ev.event = pa.event JOIN person ON person.id = pa.person
            WHERE ev.programme = :programme AND ev.start >= :from AND ev.start < :to AND person.kind != 'youth'
              AND pa.status NOT IN ('absent', 'excused', 'cancelled', 'void', 'no-show')
            """
        #expect(report.volunteers.activities == (try sql.int(events, "volunteers")))
        #expect(report.volunteers.volunteers == (try sql.int("SELECT COUNT(DISTINCT pa.person) " + attending, "volunteers")))
        #expect(report.volunteers.personTimes == (try sql.int("SELECT COUNT(*) FROM (SELECT DISTINCT pa.person, pa.event " + attending + ")", "volunteers")))
        #expect(report.volunteers.teams == (try sql.int("SELECT COUNT(DISTINCT IFNULL(pa.team, ev.parent)) " + attending, "volunteers")))
        for programme in Programme.allCases {
            let hours = try sql.double("""
                SELECT SUM(pa.hours) FROM pa JOIN ev ON ev.event = pa.event JOIN person ON person.id = pa.person
                WHERE ev.programme = :programme AND ev.start >= :from AND ev.start < :to AND person.kind != 'youth'
                """, programme.rawValue)
            let reported = [Programme.volunteers: report.volunteers.hours, .mentoring: report.mentoring.hours,
                            .competitions: report.competitions.hours, .classes: report.classes.hours][programme]
            #expect(reported == (hours * 100).rounded() / 100, "hours of \(programme)")
        }

        #expect(report.mentoring.pairsActive == (try sql.int("""
            SELECT COUNT(DISTINCT pa.event) FROM pa JOIN ev ON ev.event = pa.event
            WHERE ev.programme = :programme AND pa.status IN ('paired', 'closed') AND pa.start < :to AND (pa."end" IS NULL OR pa."end" > :from)
            """, "mentoring")))
        #expect(report.mentoring.youngPeople == (try sql.int("""
            SELECT COUNT(DISTINCT pa.person) FROM pa JOIN ev ON ev.event = pa.event
            WHERE ev.programme = :programme AND pa.role = 'mentee' AND pa.status IN ('paired', 'closed')
              AND pa.start < :to AND (pa."end" IS NULL OR pa."end" > :from)
            """, "mentoring")))
        #expect(report.mentoring.studentsSponsored == (try sql.int("""
            SELECT COUNT(DISTINCT pa.person) FROM pa JOIN ev ON ev.event = pa.event
            WHERE ev.programme = :programme AND ev.start >= :from AND ev.start < :to AND pa.role = 'sponsored'
            """, "mentoring")))
        #expect(report.mentoring.talks == (try sql.int("""
            SELECT COUNT(*) FROM ev WHERE programme = :programme AND start >= :from AND start < :to AND audience IS NOT NULL
              AND event IN (SELECT event FROM pa WHERE role = 'speaker')
            """, "mentoring")))
        #expect(report.mentoring.audience == (try sql.int("""
            SELECT IFNULL(SUM(audience), 0) FROM ev WHERE programme = :programme AND start >= :from AND start < :to
              AND event IN (SELECT event FROM pa WHERE role = 'speaker')
            """, "mentoring")))
        #expect(report.mentoring.meetings == (try sql.int("""
            SELECT COUNT(*) FROM ev WHERE programme = :programme AND start >= :from AND start < :to
              AND event IN (SELECT event FROM pa WHERE status = 'met')
            """, "mentoring")))

        #expect(report.competitions.competitions == (try sql.int(events, "competitions")))
        #expect(report.competitions.personTimes == (try sql.int("SELECT COUNT(*) FROM (SELECT DISTINCT pa.person, pa.event " + attending + ")", "competitions")))
        #expect(report.competitions.people == (try sql.int("SELECT COUNT(DISTINCT pa.person) " + attending, "competitions")))
        #expect(report.competitions.players == (try sql.int("SELECT COUNT(DISTINCT pa.person) " + attending + " AND pa.role = 'player'", "competitions")))
        #expect(report.competitions.worksSubmitted == (try sql.int(
            "SELECT IFNULL(SUM(works_submitted), 0) FROM ev WHERE programme = :programme AND start >= :from AND start < :to", "competitions")))

        let sessions = "FROM pa JOIN ev ON ev.event = pa.event WHERE ev.programme = :programme AND ev.parent IS NOT NULL AND ev.start >= :from AND ev.start < :to AND pa.role = 'learner'"
        #expect(report.classes.cohorts == (try sql.int(events + " AND parent IS NULL", "classes")))
        #expect(report.classes.sessions == (try sql.int(events + " AND parent IS NOT NULL", "classes")))
        #expect(report.classes.trainedPersonTimes == (try sql.int(
            "SELECT COUNT(*) FROM (SELECT DISTINCT pa.person, pa.event " + sessions + " AND pa.status IN ('present', 'late'))", "classes")))
        let marks = try sql.int("SELECT COUNT(*) " + sessions, "classes")
        let attended = try sql.int("SELECT COUNT(*) " + sessions + " AND pa.status IN ('present', 'late')", "classes")
        #expect(report.classes.attendanceRate == (marks == 0 ? nil : (Double(attended) / Double(marks) * 1000).rounded() / 10))
        #expect(report.classes.essays == (try sql.int(
            "SELECT IFNULL(SUM(essays), 0) FROM ev WHERE programme = :programme AND parent IS NULL AND start >= :from AND start < :to", "classes")))
        #expect(report.classes.suggestionsAdopted == (try sql.int(
            "SELECT IFNULL(SUM(suggestions_adopted), 0) FROM ev WHERE programme = :programme AND parent IS NULL AND start >= :from AND start < :to", "classes")))
    }
}

/// Hand-written SQL over the registrar's tables, written apart from the report's own: the effective
/// view by window function and `NOT IN`, not by the registrar's `NOT EXISTS` CTEs.
struct IndependentCounts {
    let book: Book
    let period: Period
    let asOf: Date?

    private var prefix: String {
        """
        WITH ev AS (SELECT * FROM (SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.event ORDER BY e.at DESC, e.version DESC) AS newest
                                   FROM event e WHERE e.recorded_at <= :asOf) WHERE newest = 1),
        pa AS (SELECT * FROM participation WHERE recorded_at <= :asOf
               AND record NOT IN (SELECT supersedes FROM participation WHERE supersedes IS NOT NULL AND recorded_at <= :asOf))

        """
    }

    private func arguments(_ programme: String) -> StatementArguments {
        let ms = { (date: Date) in Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
        return ["programme": programme, "asOf": asOf.map(ms) ?? Int64.max, "from": ms(period.from), "to": ms(period.to)]
    }

    func int(_ sql: String, _ programme: String) throws -> Int {
        try book.store.database.read { db in try Int.fetchOne(db, sql: prefix + sql, arguments: arguments(programme)) ?? 0 }
    }

    func double(_ sql: String, _ programme: String) throws -> Double {
        try book.store.database.read { db in try Double.fetchOne(db, sql: prefix + sql, arguments: arguments(programme)) ?? 0 }
    }
}
