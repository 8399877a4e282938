import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaDelivery
@testable import WanxiaVolunteers

@Suite("Check-ins and check-outs to hours and records, in a real volunteers file")
struct HoursLedgerTests {
    @Test("a check-out pairs with its check-in; hours clipped to the window and rounded down; records enqueued in order")
    func pairing() throws {
        let book = try Book()
        defer { book.remove() }
        try book.checkIn("C002", at: "2024-05-12T08:50")
        try book.checkOut("C002", at: "2024-05-12T11:20")   // 09:00-11:20 = 2 h 20 -> 2.0
        let lines = try book.standing("P-002")
        #expect(lines.map(\.hours) == [2.0])
        #expect(lines.map(\.status) == ["served"])
        #expect(lines.map(\.role) == ["volunteer"])
        #expect(lines.map(\.ledger) == [.clocked])
        #expect(try book.outboxTypes() == ["person", "event", "participation"])

        // The leader is recorded as such; the person and event records are not sent twice.
        try book.checkIn("C001", at: "2024-05-12T09:00")
        try book.checkOut("C001", at: "2024-05-12T12:30")
        #expect(try book.standing("P-001").map(\.role) == ["leader"])
        #expect(try book.standing("P-001").map(\.hours) == [3.0])
        #expect(try book.outboxTypes() == ["person", "event", "participation", "person", "participation"])
    }

    @Test("a changed activity sends a new event version only once its first version went out")
    func replanning() throws {
        let book = try Book()
        defer { book.remove() }
        var retitled = legalAid
        retitled.title = "法律援助进社区（东城，改期）"
        try book.store.plan(retitled)   // nothing sent yet: nothing to correct
        #expect(try book.outboxTypes() == [])
        try book.checkIn("C002", at: "2024-05-12T09:00")
        try book.checkOut("C002", at: "2024-05-12T11:00")
        #expect(try book.outboxTypes() == ["person", "event", "participation"])
        retitled.title = "法律援助进社区（东城）第二版"
        try book.store.plan(retitled)
        #expect(try book.outboxTypes() == ["person", "event", "participation", "event"])
        // The new version is marked sent: the next record does not send it again.
        try book.checkIn("C003", at: "2024-05-12T09:00")
        try book.checkOut("C003", at: "2024-05-12T11:00")
        #expect(try book.outboxTypes() == ["person", "event", "participation", "event", "person", "participation"])
        let titles = try book.store.database.read { db in
            try String.fetchAll(db, sql: "SELECT json_extract(body, '$.title') FROM outbox WHERE type = 'event' ORDER BY seq")
        }
        #expect(titles == ["法律援助进社区（东城，改期）", "法律援助进社区（东城）第二版"])
    }

    @Test("below the minimum share: 0 hours, status too-short; a second pair the same day adds up")
    func minimumShareAndTwoPairs() throws {
        let book = try Book()
        defer { book.remove() }
        try book.checkIn("C003", at: "2024-05-12T09:00")
        try book.checkOut("C003", at: "2024-05-12T10:00")   // 1 h of 3 = 33 % -> 0
        #expect(try book.standing("P-003").map(\.status) == ["too-short"])
        #expect(try book.standing("P-003").map(\.hours) == [0])
        try book.checkIn("C003", at: "2024-05-12T10:15")
        try book.checkOut("C003", at: "2024-05-12T11:45")   // + 1 h 30 = 2 h 30 -> 2.5 in all
        #expect(try book.standing("P-003").map(\.hours) == [0, 2.5])
        #expect(try book.standing("P-003").map(\.status) == ["too-short", "served"])
    }

    @Test("at most N pairs a day, counted over all activities")
    func maxPairs() throws {
        let book = try Book(policy: HourPolicy(maxPairsPerDay: 2))
        defer { book.remove() }
        try book.checkIn("C002", at: "2024-05-12T09:00")
        try book.checkOut("C002", at: "2024-05-12T09:30")
        try book.checkIn("C002", at: "2024-05-12T10:00")
        try book.checkOut("C002", at: "2024-05-12T10:30")
        let third = book.rejection(.checkin(CardScan(activity: legalAid.id, card: "C002")), at: "2024-05-12T11:00")
        #expect(third?.code == .outOfRange)
        #expect(third?.message.contains("at most 2") == true)
    }

    @Test("a forgotten check-out is closed at the activity's end, flagged auto-closed; closing again does nothing")
    func autoClose() throws {
        let book = try Book()
        defer { book.remove() }
        try book.checkIn("C003", at: "2024-05-12T09:30")
        // Not yet due: the activity ended less than the grace ago.
        #expect(try book.store.sweep(now: t("2024-05-12T13:00"), grace: 7200).isEmpty)
        let closed = try book.store.sweep(now: t("2024-05-12T14:30"), grace: 7200)
        #expect(closed.count == 1)
        #expect(try book.standing("P-003").map(\.hours) == [2.5])   // 09:30-12:00
        #expect(try book.standing("P-003").map(\.status) == ["auto-closed"])
        #expect(try book.store.close(activity: legalAid.id, now: t("2024-05-12T15:00")).isEmpty)
        #expect(try book.store.activity(legalAid.id)?.closedAt == t("2024-05-12T14:30"))
        // A check-out after the close has nothing to pair with.
        let late = book.rejection(.checkout(CardScan(activity: legalAid.id, card: "C003")), at: "2024-05-12T12:30")
        #expect(late?.code == .checkoutWithoutCheckin)
    }

    @Test("bad input is refused with a clear reason and changes nothing", arguments: [
        (Observation.checkout(CardScan(activity: "A-law-0512", card: "C002")), "2024-05-12T10:00", RejectCode.checkoutWithoutCheckin, "no open check-in"),
        (.checkin(CardScan(activity: "A-law-0512", card: "C001")), "2024-05-12T09:30", .duplicateCheckin, "already checked in"),
        (.checkin(CardScan(activity: "A-law-0512", card: "C004")), "2024-05-12T09:30", .notOnRoster, "not on the roster"),
        (.checkin(CardScan(activity: "A-law-0512", card: "C999")), "2024-05-12T09:30", .notOnRoster, "not on the roster"),
        (.checkin(CardScan(activity: "A-law-0512", card: "C002")), "2024-05-12T06:59", .outOfRange, "outside"),
        (.checkin(CardScan(activity: "A-law-0512", card: "C002")), "2024-05-12T14:01", .outOfRange, "outside"),
        (.checkin(CardScan(activity: "A-nope", card: "C002")), "2024-05-12T09:30", .unknownActivity, "not planned"),
        (.confirmation(Confirmation(activity: "A-law-0512", leader: "P-002", decision: .confirm)), "2024-05-12T12:30", .notLeader, "does not lead"),
        (.confirmation(Confirmation(activity: "A-law-0512", leader: "P-004", decision: .correct,
                                    corrections: [.init(person: "P-001", hours: 1, reason: "早退")])), "2024-05-12T12:30", .notLeader, "does not lead"),
        (.confirmation(Confirmation(activity: "A-law-0512", leader: "P-001", decision: .correct,
                                    corrections: [.init(person: "P-002", hours: 4, reason: "多报")])), "2024-05-12T12:30", .outOfRange, "more than"),
        // The first correction is good, the second names someone off the team: neither is made.
        (.confirmation(Confirmation(activity: "A-law-0512", leader: "P-001", decision: .correct,
                                    corrections: [.init(person: "P-002", hours: 2, reason: "补记"),
                                                  .init(person: "P-005", hours: 1, reason: "别队")])), "2024-05-12T12:30", .notOnRoster, "not on team"),
        (.attendance(AttendanceMark(session: "S-1", learner: "P-001", status: .present)), "2024-05-12T09:30", .unknownType, "checkin, checkout and confirmation"),
    ])
    func rejections(observation: Observation, at: String, code: RejectCode, words: String) throws {
        let book = try Book()
        defer { book.remove() }
        try book.checkIn("C001", at: "2024-05-12T09:00")
        let before = try book.store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM scan) + (SELECT COUNT(*) FROM outbox) + (SELECT COUNT(*) FROM record) + (SELECT COUNT(*) FROM stint) + (SELECT COUNT(*) FROM confirmation)")
        }
        let rejection = book.rejection(observation, at: at)
        #expect(rejection?.code == code)
        #expect(rejection?.message.contains(words) == true, "\(rejection?.message ?? "accepted")")
        let after = try book.store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM scan) + (SELECT COUNT(*) FROM outbox) + (SELECT COUNT(*) FROM record) + (SELECT COUNT(*) FROM stint) + (SELECT COUNT(*) FROM confirmation)")
        }
        #expect(before == after)
    }

    @Test("a leader's correction supersedes the standing records with who and why; a confirmation is kept")
    func correction() throws {
        let book = try Book()
        defer { book.remove() }
        try book.checkIn("C002", at: "2024-05-12T09:00")
        try book.checkOut("C002", at: "2024-05-12T10:00")   // too short: 0
        try book.checkIn("C002", at: "2024-05-12T10:10")
        try book.checkOut("C002", at: "2024-05-12T12:00")   // 2 h 50 in all -> 2.5
        let earlier = try book.standing("P-002").map(\.record)
        #expect(try book.standing("P-002").map(\.hours) == [0, 2.5])
        try book.store.correct(activity: legalAid.id, person: "P-002", hours: 3, leader: "P-001", reason: "签到机故障，9点已到")
        let now = try book.standing("P-002")
        #expect(now.map(\.hours) == [0, 3])
        #expect(now.map(\.status) == ["void", "served"])
        #expect(now.map(\.supersedes) == earlier)
        #expect(now.allSatisfy { $0.correctedBy == "P-001" && $0.reason == "签到机故障，9点已到" })
        try book.store.confirm(activity: legalAid.id, leader: "P-001")
        #expect(throws: Rejection.self) { try book.store.confirm(activity: legalAid.id, leader: "P-002") }
    }

    @Test("back-filled hours are their own ledger, capped at the activity's length, with a reason")
    func backfill() throws {
        let book = try Book()
        defer { book.remove() }
        try book.store.backfill(activity: legalAid.id, person: "P-003", hours: 2, by: "P-001", reason: "纸质签到表补录")
        #expect(try book.standing("P-003").map(\.ledger) == [.backfilled])
        #expect(try book.standing("P-003").map(\.hours) == [2])
        func refusal(_ body: () throws -> Void) -> RejectCode? {
            do { try body(); return nil } catch let rejection as Rejection { return rejection.code } catch { return "unexpected" }
        }
        #expect(refusal { try book.store.backfill(activity: legalAid.id, person: "P-003", hours: 1.5, by: "P-001", reason: "再补") } == .outOfRange)
        #expect(refusal { try book.store.backfill(activity: legalAid.id, person: "P-002", hours: 1, by: "P-002", reason: "自己补") } == .notLeader)
        #expect(refusal { try book.store.backfill(activity: legalAid.id, person: "P-005", hours: 1, by: "P-001", reason: "别队") } == .notOnRoster)
        #expect(refusal { try book.store.backfill(activity: legalAid.id, person: "P-002", hours: 1, by: "P-001", reason: " ") } == .invalidField)
        // A correction of back-filled hours stays in that ledger and supersedes, never adds.
        try book.store.correct(activity: legalAid.id, person: "P-003", hours: 1.5, leader: "P-001", reason: "复核")
        #expect(try book.standing("P-003").map(\.hours) == [1.5])
        #expect(try book.standing("P-003").map(\.ledger) == [.backfilled])
        #expect(try book.standing("P-003").first?.supersedes != nil)
    }

    @Test("CSV imports take a BOM and report every bad row with its line")
    func imports() throws {
        let book = try Book()
        defer { book.remove() }
        let report = try book.store.importVolunteers(Data("""
            \u{FEFF}编号,姓名,卡号
            P-010,孙立,C010
            ,无编号,C011
            P-012,,C012
            P-013,周红,C010
            "P 014",吴刚,C014
            """.utf8), file: "more.csv")
        #expect(report.imported == 1)
        #expect(report.badRows.map(\.line) == [3, 4, 5, 6])
        let teams = try book.store.importTeams(Data("team,person,role\nlaw,P-010,member\nlaw,P-404,member\nlaw,P-001,captain\n".utf8), file: "t.csv")
        #expect(teams.imported == 1)
        #expect(teams.badRows.map(\.line) == [3, 4])
        #expect(try book.store.teams().first { $0.id == "law" }?.members == ["P-001", "P-002", "P-003", "P-010"])
    }
}
