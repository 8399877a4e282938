import Foundation
import GRDB
import Synchronization
import WanxiaContract
import WanxiaDelivery
import WanxiaTesting
@testable import WanxiaClasses

/// A time in China Standard Time, e.g. `t("2025-03-06T09:00")`.
func t(_ local: String) -> Date {
    // Force-unwrap is fine in tests: a bad literal is a bug in the test.
    try! RFC3339.date(from: local + ":00+08:00")
}

/// A day, e.g. `d("2025-03-06")`.
func d(_ text: String) -> LocalDate {
    LocalDate(text)!
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

let rollCSV = """
    \u{FEFF}编号,姓名,卡号,原单位
    T-01,周文华,CT01,市委党校
    L-01,张建国,C001,市财政局
    L-02,李秀兰,C002,市教育局
    L-03,王德明,,市水利局
    L-04,赵桂英,C004,市卫健委
    L-05,刘振华,C005,市交通局

    """

/// 党史读书班 第1期: every Thursday 09:00-11:00 from 6 March 2025, five sessions (6, 13, 20, 27
/// March and 3 April), at the senior university, teacher T-01; L-01..L-04 enrolled on 1 March,
/// L-05 on 15 March (after session 2).
let readingRule = RecurrenceRule(pattern: .weekly(weekdays: [4], interval: 1), first: d("2025-03-06"),
                                 startMinute: 540, endMinute: 660, end: .count(5))

func session(_ number: Int) -> String { ClassSession.id(cohort: "reading-2025-1", number: number) }

/// A classes file in a fresh folder with the roll, the reading class, its cohort and sessions.
final class Book: Sendable {
    let directory: URL
    let store: ClassesStore
    let ingest: ClassesIngest

    init(policy: AttendancePolicy = AttendancePolicy(), completion: CompletionRule = CompletionRule(), directory: URL? = nil) throws {
        let directory = try directory ?? TemporaryDirectory.make(prefix: "wanxia-classes")
        self.directory = directory
        store = try ClassesStore(path: directory.appendingPathComponent("classes.sqlite").path, policy: policy)
        ingest = ClassesIngest(book: store.book)
        let report = try store.importRoll(Data(rollCSV.utf8), file: "roll.csv")
        precondition(report.badRows.isEmpty, report.text)
        try store.addCourse(id: "reading", kind: "读书班", title: "党史读书班")
        try store.addCohort(Cohort(id: "reading-2025-1", course: "reading", name: "第1期", site: "senior-university",
                                   teacher: "T-01", capacity: 10, completion: completion))
        try store.planSessions(cohort: "reading-2025-1", rule: readingRule)
        for person in ["L-01", "L-02", "L-03", "L-04"] { try store.enrol(cohort: "reading-2025-1", person: person, at: t("2025-03-01T10:00")) }
        try store.enrol(cohort: "reading-2025-1", person: "L-05", at: t("2025-03-15T10:00"))
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Applies one observation as the inbox would, in its own transaction; rethrows its `Rejection`.
    func apply(_ observation: Observation, at: Date, site: TopicID = "senior-university") throws {
        let raw = try Item(seq: 1, at: at, body: observation).raw()
        try store.database.write { db in try ingest.apply(raw: raw, from: site, in: db) }
    }

    /// A teacher's mark from the phone.
    func mark(_ learner: String, _ number: Int, _ status: AttendanceMark.Status, at: String) throws {
        try apply(.attendance(AttendanceMark(session: session(number), learner: learner, status: status, markedBy: "T-01")), at: t(at))
    }

    /// The rejection code the observation earns, or nil if it is accepted.
    func rejection(_ observation: Observation, at: String) -> String? {
        do {
            try apply(observation, at: t(at))
            return nil
        } catch let rejection as Rejection {
            return rejection.code.rawValue
        } catch {
            return "unexpected: \(error)"
        }
    }

    /// The current mark of a learner for a session.
    func status(_ learner: String, _ number: Int) throws -> String? {
        try store.database.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM mark WHERE session = ? AND person = ?", arguments: [session(number), learner])
        }
    }

    /// The standing (not superseded) records of an event, as "person role status hours".
    func standing(_ event: String) throws -> [String] {
        try store.records(event: event).filter { !$0.superseded }.map { "\($0.person) \($0.role) \($0.status) \($0.hours)" }.sorted()
    }

    /// The items enqueued for the registrar, by type.
    func outboxTypes() throws -> [String] {
        try store.database.read { db in try String.fetchAll(db, sql: "SELECT type FROM outbox ORDER BY seq") }
    }
}
