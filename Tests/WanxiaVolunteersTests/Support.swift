import Foundation
import GRDB
import Synchronization
import WanxiaContract
import WanxiaDelivery
import WanxiaTesting
@testable import WanxiaVolunteers

/// A time in China Standard Time, e.g. `t("2024-05-12T09:00")`.
func t(_ local: String) -> Date {
    // Force-unwrap is fine in tests: a bad literal is a bug in the test.
    try! RFC3339.date(from: local + ":00+08:00")
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

let volunteersCSV = """
    \u{FEFF}编号,姓名,卡号,特长,电话
    P-001,张建华,C001,法律咨询、调解,13800000001
    P-002,李明,C002,法律咨询,
    P-003,王秀英,C003,调解,
    P-004,赵国庆,C004,书法;声乐,
    P-005,陈芳,C005,舞蹈,
    P-006,刘伟,C006,二胡,

    """

let teamsCSV = """
    队伍编号,队伍名称,编号,角色
    law,送法律服务队,P-001,队长
    law,送法律服务队,P-002,队员
    law,送法律服务队,P-003,队员
    arts,送文艺服务队,P-004,队长
    arts,送文艺服务队,P-005,队员
    arts,送文艺服务队,P-006,队员
    """

/// The two half-day activities of the scenario: legal aid 09:00-12:00 at one site, a performance
/// 08:30-11:30 at another.
let legalAid = Activity(id: "A-law-0512", team: "law", kind: "法律援助进社区", title: "法律援助进社区（东城）",
                        site: "dongcheng-centre", start: t("2024-05-12T09:00"), end: t("2024-05-12T12:00"))
let performance = Activity(id: "A-arts-0512", team: "arts", kind: "文艺演出", title: "文艺演出进社区（西城）",
                           site: "xicheng-hall", start: t("2024-05-12T08:30"), end: t("2024-05-12T11:30"))

/// A volunteers file in a fresh folder, with the pool, the teams and the two activities.
final class Book: Sendable {
    let directory: URL
    let store: VolunteersStore
    let ingest: VolunteersIngest

    init(policy: HourPolicy = HourPolicy(), directory: URL? = nil) throws {
        let directory = try directory ?? TemporaryDirectory.make(prefix: "wanxia-volunteers")
        self.directory = directory
        store = try VolunteersStore(path: directory.appendingPathComponent("volunteers.sqlite").path, policy: policy)
        ingest = VolunteersIngest(ledger: store.ledger)
        _ = try store.importVolunteers(Data(volunteersCSV.utf8), file: "volunteers.csv")
        _ = try store.importTeams(Data(teamsCSV.utf8), file: "teams.csv")
        try store.plan(legalAid)
        try store.plan(performance)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Applies one observation as the inbox would, in its own transaction; rethrows its `Rejection`.
    func apply(_ observation: Observation, at: Date, site: TopicID = "dongcheng-centre") throws {
        let raw = try Item(seq: 1, at: at, body: observation).raw()
        try store.database.write { db in try ingest.apply(raw: raw, from: site, in: db) }
    }

    func checkIn(_ card: String, _ activity: Activity = legalAid, at: String) throws {
        try apply(.checkin(CardScan(activity: activity.id, card: card)), at: t(at), site: activity.site)
    }

    func checkOut(_ card: String, _ activity: Activity = legalAid, at: String) throws {
        try apply(.checkout(CardScan(activity: activity.id, card: card)), at: t(at), site: activity.site)
    }

    /// The rejection the observation earns, or nil if it is accepted.
    ///
    /// As in the inbox (the handler refuses only before writing, so no savepoint), the transaction
    /// commits whether the item is refused or not: whatever a refusal left behind would stay.
    func rejection(_ observation: Observation, at: String) -> Rejection? {
        do {
            let raw = try Item(seq: 1, at: t(at), body: observation).raw()
            return try store.database.write { db in
                do {
                    try ingest.apply(raw: raw, from: "dongcheng-centre", in: db)
                    return nil
                } catch let rejection as Rejection {
                    return rejection
                }
            }
        } catch {
            return Rejection("unexpected", "\(error)")
        }
    }

    /// The standing records (not superseded) for `person` in `activity`.
    func standing(_ person: String, _ activity: Activity = legalAid) throws -> [HoursLedger.Line] {
        try store.hours(activity: activity.id).filter { $0.person == person && $0.supersededBy == nil }
    }

    /// The items enqueued for the registrar, by type.
    func outboxTypes() throws -> [String] {
        try store.database.read { db in try String.fetchAll(db, sql: "SELECT type FROM outbox ORDER BY seq") }
    }
}
