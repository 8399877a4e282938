import Foundation
import Testing
import WanxiaContract
@testable import WanxiaRegistrar

@Suite("Queries against a hand-counted book")
struct RegistrarQueriesTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture() }

    func period(_ text: String) throws -> Period { try Period(parsing: text) }

    @Test("a person's whole history: corrections applied, one person-time per event")
    func personHistory() throws {
        let history = try fixture.queries.personHistory(person: "P-0001")
        #expect(history.totalHours == 10)
        #expect(history.records.map(\.record) == ["R1", "R12", "R7", "R4", "R3"].map { fixture.records[$0]! })
        #expect(history.byProgramme == [
            .init(programme: .volunteers, hours: 5, personTimes: 2),
            .init(programme: .competitions, hours: 3, personTimes: 1),
            .init(programme: .classes, hours: 2, personTimes: 1),
        ])
        #expect(history.records.last?.title == "法律援助进社区（西城）")
        #expect(history.records.last?.site == "xicheng-hall")
        #expect(try fixture.queries.personHistory(person: "P-0001", period: period("2023H2")).records.isEmpty)
    }

    @Test("as of a past date the correction and the new event title are not yet there")
    func personHistoryAsOf() throws {
        let now = try fixture.queries.personHistory(person: "P-0002", period: period("2023上半年"))
        #expect(now.totalHours == 7)
        #expect(now.period == "2023H1")
        #expect(now.records.map(\.record).contains(fixture.records["R11"]!))
        #expect(!now.records.map(\.record).contains(fixture.records["R2"]!))
        #expect(now.byProgramme.first { $0.programme == .classes } == .init(programme: .classes, hours: 0, personTimes: 0))
        #expect(now.records.first { $0.event == "E-3" }?.title == "门球友谊赛")

        let before = try fixture.queries.personHistory(person: "P-0002", period: period("2023H1"), asOf: Fixture.between)
        #expect(before.totalHours == 6.5)
        #expect(before.records.map(\.record).contains(fixture.records["R2"]!))
        #expect(before.records.first { $0.event == "E-3" }?.title == "门球赛")

        let whole = try fixture.queries.personHistory(person: "P-0002")
        #expect(whole.totalHours == 9)
        let volunteering = try fixture.queries.personHistory(person: "P-0002", programme: .volunteers)
        #expect(volunteering.totalHours == 5)
        #expect(volunteering.byProgramme == [.init(programme: .volunteers, hours: 5, personTimes: 2)])

        let error = #expect(throws: RegistrarError.self) { try fixture.queries.personHistory(person: "P-9999") }
        #expect(error?.code == .unknownPerson)
    }

    struct GroupCase: Sendable, CustomTestStringConvertible {
        var group: GroupRef
        var period: String?
        var asOf: Date? = nil
        var events: Int
        var personTimes: Int
        var people: Int
        var hours: Double
        var members: [GroupParticipation.Member]
        var testDescription: String { "\(group.kind) \(group.id) \(period ?? "all")\(asOf == nil ? "" : " as of before the correction")" }
    }

    static let groups: [GroupCase] = [
        .init(group: .init(kind: .team, id: "team-law"), period: nil, events: 3, personTimes: 4, people: 2, hours: 10,
              members: [.init(person: "P-0001", personTimes: 2, hours: 5), .init(person: "P-0002", personTimes: 2, hours: 5)]),
        .init(group: .init(kind: .team, id: "team-law"), period: "2023H1", events: 2, personTimes: 3, people: 2, hours: 8,
              members: [.init(person: "P-0001", personTimes: 2, hours: 5), .init(person: "P-0002", personTimes: 1, hours: 3)]),
        .init(group: .init(kind: .team, id: "team-law"), period: "2023H1", asOf: Fixture.between, events: 2, personTimes: 3, people: 2, hours: 7.5,
              members: [.init(person: "P-0001", personTimes: 2, hours: 5), .init(person: "P-0002", personTimes: 1, hours: 2.5)]),
        .init(group: .init(kind: .cohort, id: "cohort-2023-1"), period: "2023Q2", events: 1, personTimes: 1, people: 1, hours: 2,
              members: [.init(person: "P-0001", personTimes: 1, hours: 2), .init(person: "P-0002", personTimes: 0, hours: 0)]),
        .init(group: .init(kind: .competition, id: "comp-gateball-2023"), period: "2023", events: 1, personTimes: 3, people: 3, hours: 9,
              members: [.init(person: "P-0001", personTimes: 1, hours: 3), .init(person: "P-0002", personTimes: 1, hours: 3),
                        .init(person: "P-0003", personTimes: 1, hours: 3)]),
        .init(group: .init(kind: .competition, id: "exhibit-2023"), period: "2023", events: 1, personTimes: 0, people: 0, hours: 0, members: []),
        .init(group: .init(kind: .site, id: "dongcheng-centre"), period: nil, events: 2, personTimes: 3, people: 2, hours: 8,
              members: [.init(person: "P-0001", personTimes: 1, hours: 3), .init(person: "P-0002", personTimes: 2, hours: 5)]),
        .init(group: .init(kind: .event, id: "E-5"), period: "2023-05", events: 1, personTimes: 2, people: 2, hours: 2,
              members: [.init(person: "P-0002", personTimes: 1, hours: 1), .init(person: "Y-7f3a", personTimes: 1, hours: 1)]),
        .init(group: .init(kind: .site, id: "dongcheng-centre"), period: "2023年5月", events: 0, personTimes: 0, people: 0, hours: 0, members: []),
    ]

    @Test("group participation", arguments: groups)
    func group(_ expected: GroupCase) throws {
        let result = try fixture.queries.groupParticipation(group: expected.group, period: expected.period.map(period), asOf: expected.asOf)
        #expect(result.events == expected.events)
        #expect(result.personTimes == expected.personTimes)
        #expect(result.distinctPeople == expected.people)
        #expect(result.hours == expected.hours)
        #expect(result.people == expected.members)
    }

    @Test("a group nobody belongs to is an error, not zeros", arguments: [
        (GroupRef(kind: .team, id: "team-nobody"), RegistrarError.Code.unknownGroup),
        (GroupRef(kind: .event, id: "E-404"), RegistrarError.Code.unknownEvent),
        (GroupRef(kind: .team, id: "comp-gateball-2023"), RegistrarError.Code.unknownGroup),
    ])
    func unknownGroup(_ group: GroupRef, _ code: RegistrarError.Code) throws {
        let error = #expect(throws: RegistrarError.self) { try fixture.queries.groupParticipation(group: group) }
        #expect(error?.code == code)
        #expect(error?.message.contains(group.id) == true)
    }

    @Test("half-year totals by programme and kind; the 23:30 event of 30 June is in H1, 07:00 on 1 July is not")
    func halfYearTotals() throws {
        let totals = try fixture.queries.periodTotals(period: period("2023上半年"))
        #expect(totals.period == "2023H1")
        #expect(totals.from == t("2023-01-01T00:00"))
        #expect(totals.to == t("2023-07-01T00:00"))
        #expect(totals.rows == [
            .init(programme: .volunteers, kind: "法律援助进社区", events: 2, personTimes: 3, distinctPeople: 2, hours: 8),
            .init(programme: .mentoring, kind: "进校园宣讲", events: 1, personTimes: 2, distinctPeople: 2, hours: 2, audience: 300),
            .init(programme: .competitions, kind: "门球赛", events: 1, personTimes: 3, distinctPeople: 3, hours: 9),
            .init(programme: .classes, kind: "书记培训班", events: 1, personTimes: 1, distinctPeople: 1, hours: 2,
                  essays: 2, suggestionsCollected: 16, suggestionsAdopted: 11),
        ])
    }

    @Test("year totals, one programme, and as-of")
    func otherTotals() throws {
        let year = try fixture.queries.periodTotals(period: period("2023年"))
        #expect(year.rows.first { $0.kind == "法律援助进社区" } ==
                .init(programme: .volunteers, kind: "法律援助进社区", events: 3, personTimes: 4, distinctPeople: 2, hours: 10))
        #expect(year.rows.first { $0.kind == "书画摄影展" } ==
                .init(programme: .competitions, kind: "书画摄影展", events: 1, personTimes: 0, distinctPeople: 0, hours: 0,
                      worksSubmitted: 200, worksSelected: 50))
        #expect(year.rows.count == 5)

        let h2 = try fixture.queries.periodTotals(period: period("2023H2"), programme: .volunteers)
        #expect(h2.rows == [.init(programme: .volunteers, kind: "法律援助进社区", events: 1, personTimes: 1, distinctPeople: 1, hours: 2)])

        let before = try fixture.queries.periodTotals(period: period("2023H1"), programme: .volunteers, asOf: Fixture.between)
        #expect(before.rows.map(\.hours) == [7.5])
        let beforeAnything = try fixture.queries.periodTotals(period: period("2023"), asOf: t("2023-11-01T00:00"))
        #expect(beforeAnything.rows.isEmpty)
    }

    @Test("in UTC instead of UTC+8, the 07:00 1 July event falls in the first half")
    func otherZone() throws {
        let utc = RegistrarQueries(reader: fixture.book.store.database, timeZone: TimeZone(identifier: "UTC")!)
        let totals = try utc.periodTotals(period: Period(parsing: "2023H1", timeZone: TimeZone(identifier: "UTC")!), programme: .volunteers)
        #expect(totals.rows.map(\.events) == [3])
    }

    @Test("answers requests, with failures as ok:false replies")
    func answers() throws {
        let ok = fixture.queries.answer(QueryRequest(requestId: "r-1", query: .periodTotals, period: "2023H1", programme: .mentoring))
        #expect(ok.ok)
        #expect(try ok.result(as: PeriodTotals.self).rows.map(\.audience) == [300])
        let unknown = fixture.queries.answer(QueryRequest(requestId: "r-2", query: .personHistory, person: "P-9999"))
        #expect(!unknown.ok)
        #expect(unknown.error?.code == .unknownPerson)
        #expect(unknown.requestId == "r-2")
        let missing = fixture.queries.answer(QueryRequest(requestId: "r-3", query: .groupParticipation))
        #expect(missing.error?.code == .invalidField)
        let badPeriod = fixture.queries.answer(QueryRequest(requestId: "r-4", query: .periodTotals, period: "2023-02-30..2023-03-01"))
        #expect(badPeriod.error?.code == .invalidField)
        #expect(badPeriod.error?.message.contains("period") == true)
    }
}
