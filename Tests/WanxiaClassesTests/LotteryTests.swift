import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaTesting
@testable import WanxiaClasses

@Suite("Enrolment: capacity, waiting list, a seeded and auditable lottery")
struct LotteryTests {
    /// Twelve applicants for eight places of a taiji class.
    func taiji() throws -> (ClassesStore, URL) {
        let folder = try TemporaryDirectory.make(prefix: "wanxia-classes-lottery")
        let store = try ClassesStore(path: folder.appendingPathComponent("classes.sqlite").path)
        let roll = (["编号,姓名", "T-09,孙太极"] + (1...12).map { String(format: "L-%02d,学员%02d", $0, $0) }).joined(separator: "\n")
        _ = try store.importRoll(Data(roll.utf8), file: "roll.csv")
        try store.addCourse(id: "taiji", kind: "太极拳培训", title: "太极拳培训班")
        try store.addCohort(Cohort(id: "taiji-2025", course: "taiji", name: "2025年春季", site: "gateball-court",
                                   teacher: "T-09", capacity: 8))
        for number in [7, 3, 12, 1, 5, 9, 11, 2, 4, 8, 10, 6] {
            try store.apply(cohort: "taiji-2025", person: String(format: "L-%02d", number), at: t("2025-02-20T09:00"))
        }
        return (store, folder)
    }

    @Test("SplitMix64 gives the reference implementation's outputs for seed 1234567")
    func referenceVector() {
        var generator = SplitMix64(seed: 1_234_567)
        #expect((0..<5).map { _ in generator.next() } == [6457827717110365317, 3203168211198807973, 9817491932198370423,
                                                           4593380528125082431, 16408922859458223821])
    }

    @Test("the draw is the documented Fisher-Yates shuffle of the sorted applicants, and re-derives")
    func draw() throws {
        let (store, folder) = try taiji()
        defer { try? FileManager.default.removeItem(at: folder) }
        let draw = try store.drawLottery(cohort: "taiji-2025", seed: 20_250_301, at: t("2025-02-25T10:00"))
        // Computed independently (a Python transcription of SplitMix64 and the shuffle).
        let expected = ["L-12", "L-09", "L-02", "L-01", "L-03", "L-07", "L-05", "L-04", "L-06", "L-10", "L-11", "L-08"]
        #expect(draw.drawn == expected)
        #expect(draw.applicants == (1...12).map { String(format: "L-%02d", $0) })
        let enrolments = try store.enrolments(cohort: "taiji-2025")
        #expect(enrolments.filter { $0.state == .enrolled }.map(\.person).sorted() == Array(expected.prefix(8)).sorted())
        #expect(enrolments.filter { $0.state == .waiting }.map(\.person) == ["L-06", "L-10", "L-11", "L-08"])
        #expect(enrolments.filter { $0.state == .waiting }.map(\.position) == [1, 2, 3, 4])
        let stored = try #require(try store.lottery(cohort: "taiji-2025"))
        #expect(stored.verifies)
        #expect(stored == draw)
        #expect(throws: ClassesError.self) { try store.drawLottery(cohort: "taiji-2025", seed: 1) }

        // A withdrawal frees a place for the first on the list; a waiting learner leaving frees none.
        #expect(try store.withdraw(cohort: "taiji-2025", person: "L-12", at: t("2025-03-01T09:00")) == "L-06")
        #expect(try store.withdraw(cohort: "taiji-2025", person: "L-11", at: t("2025-03-01T09:30")) == nil)
        let after = try store.enrolments(cohort: "taiji-2025")
        #expect(after.filter { $0.state == .enrolled }.count == 8)
        #expect(after.filter { $0.state == .waiting }.map(\.person) == ["L-10", "L-08"])
        #expect(try store.enrolmentLog(cohort: "taiji-2025").last.map { "\($0.person) \($0.step)" } == "L-11 withdrawn")
        #expect(try store.enrolmentLog(cohort: "taiji-2025").contains { $0.person == "L-06" && $0.step == "promoted" })
    }

    @Test("the same seed and applicants give the same order in another file; a tampered order does not verify")
    func reproducible() throws {
        let (first, one) = try taiji()
        let (second, two) = try taiji()
        defer {
            try? FileManager.default.removeItem(at: one)
            try? FileManager.default.removeItem(at: two)
        }
        let a = try first.drawLottery(cohort: "taiji-2025", seed: 42)
        let b = try second.drawLottery(cohort: "taiji-2025", seed: 42)
        #expect(a.drawn == b.drawn)
        try first.database.write { db in
            try db.execute(sql: "UPDATE lottery SET drawn = ? WHERE cohort = 'taiji-2025'",
                           arguments: [String(decoding: try JSONEncoder().encode(Array(a.drawn.reversed())), as: UTF8.self)])
        }
        #expect(try first.lottery(cohort: "taiji-2025")?.verifies == false)
    }

    @Test("first come: places fill up to capacity, then the waiting list")
    func firstCome() throws {
        let (store, folder) = try taiji()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.addCohort(Cohort(id: "taiji-small", course: "taiji", name: "小班", site: "gateball-court", teacher: "T-09", capacity: 2))
        #expect(try store.enrol(cohort: "taiji-small", person: "L-01") == .enrolled)
        #expect(try store.enrol(cohort: "taiji-small", person: "L-02") == .enrolled)
        #expect(try store.enrol(cohort: "taiji-small", person: "L-03") == .waiting)
        #expect(throws: ClassesError.self) { try store.enrol(cohort: "taiji-small", person: "L-03") }
        #expect(throws: ClassesError.self) { try store.enrol(cohort: "taiji-small", person: "X-99") }
    }
}
