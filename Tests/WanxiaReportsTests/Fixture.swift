import Foundation
import WanxiaContract
import WanxiaRegistrar

/// The fixed data set of the report tests: all four programmes, sent as docs/measures.md says, into
/// a real registrar file through `RegistrarIngest` (times UTC+8).
///
/// Volunteers (team-law 送法律, team-care 送爱心):
/// | V-1 法律援助进社区 2023-03-10 09:00 3h | P-0001 leader 3h (team-law); P-0002 2.5h, corrected at T1 to 3h |
/// | V-2 法律援助进社区 2023-06-30 23:30 2h | P-0001 2h (first half-year in UTC+8) |
/// | V-3 医疗义诊下乡   2023-05-15 08:00 4h | P-0003 4h; P-0004 void |
/// | V-4 法律援助进社区 2023-07-01 07:00 2h | P-0002 2h (still 30 June in UTC: second half only) |
/// Mentoring: pair M-PAIR-1 资助贫困学生 (P-0001, Y-0001) active from 2023-02-01; M-PAIR-2
/// 帮教失足青少年 (P-0002, Y-0002) from 2022-11-01, closed 2023-03-01 at T1; M-PAIR-3 结对帮扶
/// (P-0003, Y-0003) 2022-09-01 to 2022-12-20; meeting M-MEET-1 (2h both), sponsorship M-SPON-1
/// (Y-0001), talks M-TALK-1 (300, P-0002 1.5h) and M-TALK-2 (200, P-0003 1h).
/// Competitions: C-GATE-1 门球赛 (P-0001, P-0002 6h, P-0004 no-show, P-0003 referee 8h), C-GATE-2 门球赛
/// (P-0001, P-0004 4h), C-TT-1 乒乓球赛 (P-0002, P-0003 3h), C-ART-1 书法展 (200 works, 50 selected,
/// P-0004 juror 2h).
/// Classes: cohort CL-READ-1 读书班, two sessions (S1: P-0001 present 2h, P-0002 late 1.5h, P-0003
/// absent; S2: P-0001, P-0003 present 2h, P-0002 excused; S-0001 teaches 2h each), completion
/// P-0001, P-0002 completed, P-0003 not; essays 2 at T0, then at T1 essays 3, suggestions 16/11.
/// Cohort CL-SEC-1 书记培训班, one session 2023-06-29 (P-0004 present 3h).
struct Fixture {
    static let t0 = t("2023-12-01T00:00")
    static let t1 = t("2023-12-15T00:00")
    /// Between the two: before the correction, the closure and the cohort's new counts.
    static let between = t("2023-12-10T00:00")

    let book: Book

    init() throws {
        let book = try Book(now: Self.t0)
        self.book = book
        for (id, name, unit) in [("P-0001", "张三", "县财政局"), ("P-0002", "李四", "县教育局"), ("P-0003", "王五", "县公安局"), ("P-0004", "赵六", "县卫生局")] {
            try book.apply(.person(PersonRecord(person: id, kind: .retiree, name: name, unit: unit, ageBand: "65-74")), producer: "volunteers")
        }
        try book.apply(.person(PersonRecord(person: "S-0001", kind: .staff, name: "刘老师", unit: "老年大学")), producer: "classes")
        for id in ["Y-0001", "Y-0002", "Y-0003"] {
            try book.apply(.person(PersonRecord(person: id, kind: .youth, ageBand: "15-17")), producer: "mentoring")
        }

        // Volunteers.
        try event("V-1", .volunteers, "法律援助进社区", "法律援助进社区（东城）", site: "dongcheng-centre", parent: "team-law", "2023-03-10T09:00", hours: 3)
        try event("V-2", .volunteers, "法律援助进社区", "法律援助进社区（西城）", site: "xicheng-hall", parent: "team-law", "2023-06-30T23:30", hours: 2)
        try event("V-3", .volunteers, "医疗义诊下乡", "医疗义诊进乡镇", site: "town-clinic", parent: "team-care", "2023-05-15T08:00", hours: 4)
        try event("V-4", .volunteers, "法律援助进社区", "法律援助进社区（东城）", site: "dongcheng-centre", parent: "team-law", "2023-07-01T07:00", hours: 2)
        try took("P-0001", "V-1", "leader", 3, "served", team: "team-law")
        let lateSignOut = try took("P-0002", "V-1", "volunteer", 2.5, "served", team: "team-law")
        try took("P-0001", "V-2", "volunteer", 2, "served", team: "team-law")
        try took("P-0003", "V-3", "volunteer", 4, "served")
        try took("P-0004", "V-3", "volunteer", 0, "void")
        try took("P-0002", "V-4", "volunteer", 2, "served", team: "team-law")

        // Mentoring.
        try pair("M-PAIR-1", "资助贫困学生", mentor: "P-0001", mentee: "Y-0001", from: "2023-02-01T10:00")
        let pair2 = try pair("M-PAIR-2", "帮教失足青少年", mentor: "P-0002", mentee: "Y-0002", from: "2022-11-01T10:00")
        let pair3 = try pair("M-PAIR-3", "结对帮扶", mentor: "P-0003", mentee: "Y-0003", from: "2022-09-01T10:00")
        try close(pair3, from: "2022-09-01T10:00", to: "2022-12-20T10:00", reason: "学生毕业")
        try event("M-MEET-1", .mentoring, "结对帮扶活动", "结对帮扶活动", site: "school-1", parent: "M-PAIR-1", "2023-03-05T14:00", hours: 2)
        try took("P-0001", "M-MEET-1", "mentor", 2, "met")
        try took("Y-0001", "M-MEET-1", "mentee", 2, "met")
        try event("M-SPON-1", .mentoring, "资助", "春季学期资助", parent: "M-PAIR-1", "2023-03-01T09:00", hours: 0.5)
        try took("P-0001", "M-SPON-1", "sponsor", 0, "given")
        try took("Y-0001", "M-SPON-1", "sponsored", 0, "given")
        try event("M-TALK-1", .mentoring, "法治教育报告会", "法治进校园", site: "school-1", "2023-04-20T10:00", hours: 1.5, counts: .init(audience: 300))
        try took("P-0002", "M-TALK-1", "speaker", 1.5, "spoke")
        try event("M-TALK-2", .mentoring, "宣讲", "传承红色基因", site: "school-2", "2023-05-10T15:00", hours: 1, counts: .init(audience: 200))
        try took("P-0003", "M-TALK-2", "speaker", 1, "spoke")

        // Competitions.
        try event("C-GATE-1", .competitions, "门球赛", "春季门球邀请赛", site: "gateball-court", "2023-04-01T08:00", hours: 33)
        try took("P-0001", "C-GATE-1", "player", 6, "played", team: "gate-team-a")
        try took("P-0002", "C-GATE-1", "player", 6, "played", team: "gate-team-a")
        try took("P-0004", "C-GATE-1", "player", 0, "no-show", team: "gate-team-b")
        try took("P-0003", "C-GATE-1", "referee", 8, "judged")
        try event("C-GATE-2", .competitions, "门球赛", "夏季门球友谊赛", site: "gateball-court", "2023-06-10T08:00", hours: 8)
        try took("P-0001", "C-GATE-2", "player", 4, "played")
        try took("P-0004", "C-GATE-2", "player", 4, "played")
        try event("C-TT-1", .competitions, "乒乓球赛", "乒乓球比赛", site: "senior-university", "2023-05-20T09:00", hours: 6)
        try took("P-0002", "C-TT-1", "player", 3, "played")
        try took("P-0003", "C-TT-1", "player", 3, "played")
        try event("C-ART-1", .competitions, "书法展", "\"翰墨夕阳\"书法展 <2023>", site: "senior-university", "2023-06-01T09:00", hours: 8,
                  counts: .init(worksSubmitted: 200, worksSelected: 50))
        try took("P-0004", "C-ART-1", "juror", 2, "judged")

        // Classes.
        try event("CL-READ-1", .classes, "读书班", "理论读书班第一期", site: "senior-university", "2023-03-02T09:00", hours: 338, counts: .init(essays: 2))
        try event("CL-READ-1-S1", .classes, "读书班", "读书班第1课", site: "senior-university", parent: "CL-READ-1", "2023-03-02T09:00", hours: 2)
        try took("P-0001", "CL-READ-1-S1", "learner", 2, "present")
        try took("P-0002", "CL-READ-1-S1", "learner", 1.5, "late")
        try took("P-0003", "CL-READ-1-S1", "learner", 0, "absent")
        try took("S-0001", "CL-READ-1-S1", "teacher", 2, "taught")
        try event("CL-READ-1-S2", .classes, "读书班", "读书班第2课", site: "senior-university", parent: "CL-READ-1", "2023-03-16T09:00", hours: 2)
        try took("P-0001", "CL-READ-1-S2", "learner", 2, "present")
        try took("P-0002", "CL-READ-1-S2", "learner", 0, "excused")
        try took("P-0003", "CL-READ-1-S2", "learner", 2, "present")
        try took("S-0001", "CL-READ-1-S2", "teacher", 2, "taught")
        try took("P-0001", "CL-READ-1", "learner", 0, "completed")
        try took("P-0002", "CL-READ-1", "learner", 0, "completed")
        try took("P-0003", "CL-READ-1", "learner", 0, "not-completed")
        try event("CL-SEC-1", .classes, "书记培训班", "支部书记培训班", site: "senior-university", "2023-06-29T14:00", hours: 3)
        try event("CL-SEC-1-S1", .classes, "书记培训班", "书记培训班第1课", site: "senior-university", parent: "CL-SEC-1", "2023-06-29T14:00", hours: 3)
        try took("P-0004", "CL-SEC-1-S1", "learner", 3, "present")

        // Two weeks later: a leader's correction, a pair closed, the cohort's counts updated.
        book.clock.set(Self.t1)
        try took("P-0002", "V-1", "volunteer", 3, "served", team: "team-law",
                 supersedes: lateSignOut, correction: .init(by: "leader-1", reason: "签退漏记"))
        try close(pair2, from: "2022-11-01T10:00", to: "2023-03-01T10:00", reason: "帮教期满")
        try event("CL-READ-1", .classes, "读书班", "理论读书班第一期", site: "senior-university", "2023-03-02T09:00", hours: 338,
                  counts: .init(suggestionsCollected: 16, suggestionsAdopted: 11, essays: 3))
    }

    // MARK: - Sending, as the services do

    private func producer(_ programme: Programme) throws -> TopicID {
        try TopicID(validating: programme.rawValue)
    }

    private func event(_ id: String, _ programme: Programme, _ kind: String, _ title: String, site: TopicID? = nil,
                       parent: String? = nil, _ start: String, hours: Double, counts: EventRecord.Counts? = nil) throws {
        let begin = t(start)
        try book.apply(.event(EventRecord(event: id, programme: programme, kind: kind, title: title, site: site,
                                          organiser: programme == .volunteers ? "送法律志愿服务队" : nil, parent: parent,
                                          start: begin, end: begin.addingTimeInterval(hours * 3600), counts: counts)),
                       producer: try producer(programme))
    }

    @discardableResult
    private func took(_ person: String, _ event: String, _ role: String, _ hours: Double, _ status: String, team: String? = nil,
                      start: Date? = nil, end: Date? = nil, supersedes: MessageID? = nil,
                      correction: ParticipationRecord.Correction? = nil) throws -> MessageID {
        let programme: Programme = event.hasPrefix("V-") ? .volunteers : event.hasPrefix("M-") ? .mentoring
            : event.hasPrefix("C-") ? .competitions : .classes
        return try book.apply(.participation(ParticipationRecord(
            person: person, event: event, role: role, hours: hours, ledger: supersedes == nil ? .clocked : .backfilled,
            status: status, start: start, end: end, team: team, supersedes: supersedes, correction: correction)),
            producer: try producer(programme))
    }

    /// A pair becoming active: its event and a `paired` record for each member.
    @discardableResult
    private func pair(_ id: String, _ kind: String, mentor: String, mentee: String, from: String) throws -> (String, MessageID, MessageID, String, String) {
        try event(id, .mentoring, kind, kind, from, hours: 0)
        let first = try took(mentor, id, "mentor", 0, "paired", start: t(from))
        let second = try took(mentee, id, "mentee", 0, "paired", start: t(from))
        return (id, first, second, mentor, mentee)
    }

    /// A pair closed: a correcting `closed` record for each member.
    private func close(_ pair: (String, MessageID, MessageID, String, String), from: String, to: String, reason: String) throws {
        try took(pair.3, pair.0, "mentor", 0, "closed", start: t(from), end: t(to), supersedes: pair.1, correction: .init(by: "staff-1", reason: reason))
        try took(pair.4, pair.0, "mentee", 0, "closed", start: t(from), end: t(to), supersedes: pair.2, correction: .init(by: "staff-1", reason: reason))
    }
}
