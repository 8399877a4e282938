import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaDelivery
import WanxiaTesting
@testable import WanxiaClasses

@Suite("The demo half-year")
struct ClassesDemoTests {
    @Test("is the same for the same seed, and every observation it scripts is accepted")
    func deterministicAndAccepted() throws {
        let folder = try TemporaryDirectory.make(prefix: "wanxia-classes-demo")
        defer { try? FileManager.default.removeItem(at: folder) }
        let one = try ClassesStore(path: folder.appendingPathComponent("one.sqlite").path)
        let two = try ClassesStore(path: folder.appendingPathComponent("two.sqlite").path)
        let script = try ClassesDemo.plan(into: one, seed: 7, from: d("2025-01-01"))
        #expect(try ClassesDemo.plan(into: two, seed: 7, from: d("2025-01-01")) == script)
        #expect(try one.sessions(cohort: "reading-2025-1").count == 26)
        #expect(try one.sessions(cohort: "secretary-2025").count == 5)
        // The 15th of each month in the first half of 2025 holds no holiday: six sessions.
        #expect(try one.sessions(cohort: "taiji-2025").count == 6)
        #expect(try one.lottery(cohort: "reading-2025-1")?.verifies == true)
        #expect(script.contains { if case .checkin = $0.body { true } else { false } })
        #expect(zip(script, script.dropFirst()).allSatisfy { $0.at <= $1.at })

        let ingest = ClassesIngest(book: one.book)
        for (index, observation) in script.enumerated() {
            let raw = try Item(seq: Int64(index + 1), at: observation.at, body: observation.body).raw()
            try one.database.write { db in try ingest.apply(raw: raw, from: observation.site, in: db) }
        }
        for cohort in try one.cohorts() { try one.closeCohort(cohort.id, now: t("2025-07-15T09:00")) }
        let completed = try one.cohorts().map { try one.certificates(cohort: $0.id).count }
        #expect(completed.allSatisfy { $0 > 0 })
        #expect(try one.attendance(cohort: "reading-2025-1").count == 25)
    }
}
