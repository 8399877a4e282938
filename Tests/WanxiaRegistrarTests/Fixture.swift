import Foundation
import WanxiaContract
@testable import WanxiaRegistrar

/// The small fixed data set every query test counts by hand (times in UTC+8).
///
/// | event | programme    | kind           | start             | h | parent / site                    | counts |
/// | E-1   | volunteers   | 法律援助进社区 | 2023-03-10 09:00  | 3 | team-law / dongcheng-centre      |        |
/// | E-2   | volunteers   | 法律援助进社区 | 2023-06-30 23:30  | 2 | team-law / xicheng-hall          |        |
/// | E-3   | competitions | 门球赛         | 2023-05-20 08:00  | 3 | comp-gateball-2023 / gateball-court | (retitled at T1) |
/// | E-4   | classes      | 书记培训班     | 2023-04-06 14:00  | 2 | cohort-2023-1 / senior-university | essays 2, suggestions 16/11 |
/// | E-5   | mentoring    | 进校园宣讲     | 2023-05-04 10:00  | 1 | - / school-1                      | audience 300 |
/// | E-6   | volunteers   | 法律援助进社区 | 2023-07-01 07:00  | 2 | team-law / dongcheng-centre      | (30 June in UTC: H2 only in UTC+8) |
/// | E-7   | competitions | 书画摄影展     | 2023-09-01 09:00  | 8 | exhibit-2023                      | works 200/50 |
///
/// Records at T0 (2023-12-01): P-0001 E-1 3h + E-1 leader 0h, E-2 2h, E-3 3h, E-4 2h; P-0002 E-1 2.5h,
/// E-3 3h, E-4 absent 0h, E-5 mentor 1h, E-6 2h; P-0003 E-3 referee 3h; Y-7f3a E-5 mentee 1h.
/// At T1 (2023-12-15) P-0002's E-1 record is corrected to 3h, and E-3 is retitled.
struct Fixture {
    static let t0 = t("2023-12-01T00:00")
    static let t1 = t("2023-12-15T00:00")
    /// Between the two: the book before the correction.
    static let between = t("2023-12-10T00:00")

    let book: Book
    var records: [String: MessageID] = [:]

    init() throws {
        book = try Book(now: Self.t0)
        try book.apply(.retiree("P-0001", "张三", unit: "县财政局"))
        try book.apply(.retiree("P-0002", "李四"))
        try book.apply(.person(PersonRecord(person: "P-0003", kind: .staff, name: "王五", unit: "老干部局")))
        try book.apply(.person(PersonRecord(person: "Y-7f3a", kind: .youth, ageBand: "15-17")))
        try book.apply(.event("E-1", .volunteers, "法律援助进社区", "法律援助进社区（东城）", site: "dongcheng-centre", parent: "team-law", "2023-03-10T09:00", hours: 3))
        try book.apply(.event("E-2", .volunteers, "法律援助进社区", "法律援助进社区（西城）", site: "xicheng-hall", parent: "team-law", "2023-06-30T23:30", hours: 2))
        try book.apply(.event("E-3", .competitions, "门球赛", "门球赛", site: "gateball-court", parent: "comp-gateball-2023", "2023-05-20T08:00", hours: 3))
        try book.apply(.event("E-4", .classes, "书记培训班", "支部书记培训班第一期", site: "senior-university", parent: "cohort-2023-1", "2023-04-06T14:00", hours: 2,
                              counts: .init(suggestionsCollected: 16, suggestionsAdopted: 11, essays: 2)))
        try book.apply(.event("E-5", .mentoring, "进校园宣讲", "法治进校园", site: "school-1", "2023-05-04T10:00", hours: 1, counts: .init(audience: 300)))
        try book.apply(.event("E-6", .volunteers, "法律援助进社区", "法律援助进社区（东城）", site: "dongcheng-centre", parent: "team-law", "2023-07-01T07:00", hours: 2))
        try book.apply(.event("E-7", .competitions, "书画摄影展", "书画摄影展", parent: "exhibit-2023", "2023-09-01T09:00", hours: 8,
                              counts: .init(worksSubmitted: 200, worksSelected: 50)))

        records["R1"] = try book.apply(.took("P-0001", "E-1", hours: 3, team: "team-law"))
        records["R2"] = try book.apply(.took("P-0002", "E-1", hours: 2.5))
        records["R3"] = try book.apply(.took("P-0001", "E-2", hours: 2))
        records["R4"] = try book.apply(.took("P-0001", "E-3", "player", hours: 3, status: "played"))
        records["R5"] = try book.apply(.took("P-0002", "E-3", "player", hours: 3, status: "played"))
        records["R6"] = try book.apply(.took("P-0003", "E-3", "referee", hours: 3, status: "judged"))
        records["R7"] = try book.apply(.took("P-0001", "E-4", "learner", hours: 2, status: "present"))
        records["R8"] = try book.apply(.took("P-0002", "E-4", "learner", hours: 0, status: "absent"))
        records["R9"] = try book.apply(.took("P-0002", "E-5", "mentor", hours: 1))
        records["R9y"] = try book.apply(.took("Y-7f3a", "E-5", "mentee", hours: 1, status: "present"))
        records["R10"] = try book.apply(.took("P-0002", "E-6", hours: 2))
        records["R12"] = try book.apply(.took("P-0001", "E-1", "leader", hours: 0, team: "team-law"))

        book.clock.set(Self.t1)
        records["R11"] = try book.apply(.took("P-0002", "E-1", hours: 3, ledger: .backfilled, supersedes: records["R2"],
                                              correction: .init(by: "leader-1", reason: "签退漏记")))
        try book.apply(.event("E-3", .competitions, "门球赛", "门球友谊赛", site: "gateball-court", parent: "comp-gateball-2023", "2023-05-20T08:00", hours: 3))
    }

    var queries: RegistrarQueries { book.store.queries }
}
