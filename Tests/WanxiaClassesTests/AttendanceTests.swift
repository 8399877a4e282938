import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaDelivery
@testable import WanxiaClasses

/// The marks of the reading cohort's five sessions, as a teacher's phone and a kiosk send them.
/// `nil` = nobody marks the learner (the close gives `absent`); "kiosk HH:MM" = a self check-in.
///
///           s1 3/6   s2 3/13        s3 3/20   s4 3/27   s5 4/3
///   L-01    P        P              P         P         P        5/5 = 100 %, essay -> completed
///   L-02    P        kiosk 09:15 L  P         (absent)  P        4/5 =  80 %, essay -> completed
///   L-03    P        E              E         P         A        2/5 =  40 %        -> not-completed
///   L-04    P        kiosk 09:05 P  P         P         P        5/5, no essay       -> not-completed
///   L-05    -        -              P         P         A        2/3 (enrolled 3/15) -> not-completed
let cohortMarks: [(learner: String, session: Int, mark: String?)] = [
    ("L-01", 1, "present"), ("L-02", 1, "present"), ("L-03", 1, "present"), ("L-04", 1, "present"),
    ("L-01", 2, "present"), ("L-02", 2, "kiosk 09:15"), ("L-03", 2, "excused"), ("L-04", 2, "kiosk 09:05"),
    ("L-01", 3, "present"), ("L-02", 3, "present"), ("L-03", 3, "excused"), ("L-04", 3, "present"), ("L-05", 3, "present"),
    ("L-01", 4, "present"), ("L-02", 4, nil), ("L-03", 4, "present"), ("L-04", 4, "present"), ("L-05", 4, "present"),
    ("L-01", 5, "present"), ("L-02", 5, "present"), ("L-03", 5, "absent"), ("L-04", 5, "present"), ("L-05", 5, "absent"),
]

/// The session days of the reading cohort.
let sessionDays = ["2025-03-06", "2025-03-13", "2025-03-20", "2025-03-27", "2025-04-03"]

/// The observation (and its time) for one line of ``cohortMarks``, or nil for an unmarked learner.
func observation(_ line: (learner: String, session: Int, mark: String?)) -> (Observation, Date)? {
    guard let mark = line.mark else { return nil }
    let day = sessionDays[line.session - 1]
    if mark.hasPrefix("kiosk ") {
        let card = line.learner == "L-03" ? "L-03" : "C0" + line.learner.suffix(2)
        return (.checkin(CardScan(activity: session(line.session), card: card)), t("\(day)T\(mark.dropFirst(6))"))
    }
    let status = AttendanceMark.Status(rawValue: mark)!
    return (.attendance(AttendanceMark(session: session(line.session), learner: line.learner, status: status, markedBy: "T-01")),
            t("\(day)T10:30"))
}

@Suite("Attendance: marks, kiosk check-ins, closing, corrections and completion")
struct AttendanceTests {
    @Test("a mark for a session before the learner enrolled, or for an unknown session or person, is refused")
    func refusals() throws {
        let book = try Book()
        defer { book.remove() }
        func mark(_ learner: String, _ session: String) -> Observation {
            .attendance(AttendanceMark(session: session, learner: learner, status: .present, markedBy: "T-01"))
        }
        #expect(book.rejection(mark("L-05", session(1)), at: "2025-03-06T10:00") == "not-enrolled")
        #expect(book.rejection(mark("L-05", session(2)), at: "2025-03-13T10:00") == "not-enrolled")
        #expect(book.rejection(mark("L-05", session(3)), at: "2025-03-20T10:00") == nil)
        #expect(book.rejection(mark("L-01", "reading-2025-1-s99"), at: "2025-03-06T10:00") == "unknown-session")
        #expect(book.rejection(mark("X-99", session(1)), at: "2025-03-06T10:00") == "not-on-roster")
        #expect(book.rejection(.essay(Essay(cohort: "nope", learner: "L-01")), at: "2025-03-06T10:00") == "unknown-cohort")
        #expect(book.rejection(.meetingLog(MeetingLog(pair: "p-1", mentor: "M-1", minutes: 60, mode: .visit)),
                               at: "2025-03-06T10:00") == "unknown-type")
        // A withdrawn learner can be marked for what came before, not after.
        try book.store.withdraw(cohort: "reading-2025-1", person: "L-04", at: t("2025-03-15T12:00"))
        #expect(book.rejection(mark("L-04", session(2)), at: "2025-03-13T10:00") == nil)
        #expect(book.rejection(mark("L-04", session(3)), at: "2025-03-20T10:00") == "not-enrolled")
    }

    @Test("a kiosk check-in is present within 10 minutes of the start, late after, and never overrides the teacher")
    func kiosk() throws {
        let book = try Book()
        defer { book.remove() }
        func checkIn(_ card: String, at: String) -> String? {
            book.rejection(.checkin(CardScan(activity: session(2), card: card)), at: at)
        }
        #expect(checkIn("C001", at: "2025-03-13T09:05") == nil)
        #expect(checkIn("C002", at: "2025-03-13T09:15") == nil)
        #expect(checkIn("L-03", at: "2025-03-13T07:30") == "out-of-range")
        #expect(checkIn("L-03", at: "2025-03-13T11:30") == "out-of-range")
        try book.mark("L-04", 2, .excused, at: "2025-03-13T08:50")
        #expect(checkIn("C004", at: "2025-03-13T09:00") == nil)
        #expect(try book.status("L-01", 2) == "present")
        #expect(try book.status("L-02", 2) == "late")
        #expect(try book.status("L-03", 2) == nil)
        #expect(try book.status("L-04", 2) == "excused")
        // A second tap changes nothing; the teacher's later mark wins over the kiosk.
        #expect(checkIn("C002", at: "2025-03-13T09:40") == nil)
        #expect(try book.status("L-02", 2) == "late")
        try book.mark("L-02", 2, .present, at: "2025-03-13T10:00")
        #expect(try book.status("L-02", 2) == "present")
        // An older mark from a phone that was offline does not undo a newer one.
        try book.mark("L-02", 2, .absent, at: "2025-03-13T09:00")
        #expect(try book.status("L-02", 2) == "present")
    }

    @Test("at end + grace the unmarked get absent and the records go out; a later mark is a correcting record")
    func closing() throws {
        let book = try Book()
        defer { book.remove() }
        try book.mark("L-01", 1, .present, at: "2025-03-06T09:10")
        try book.mark("L-02", 1, .late, at: "2025-03-06T09:10")
        try book.mark("L-03", 1, .excused, at: "2025-03-06T09:10")
        #expect(try book.store.sweep(now: t("2025-03-06T12:59")).isEmpty)
        #expect(try book.outboxTypes().isEmpty)
        let made = try book.store.sweep(now: t("2025-03-06T13:00"))
        #expect(made.count == 5)
        #expect(try book.standing(session(1)) == ["L-01 learner present 2.0", "L-02 learner late 2.0", "L-03 learner excused 0.0",
                                                  "L-04 learner absent 0.0", "T-01 teacher taught 2.0"])
        #expect(try book.outboxTypes() == ["event", "event", "person", "participation"] + Array(repeating: ["person", "participation"], count: 4).flatMap { $0 })
        #expect(try book.store.sweep(now: t("2025-03-06T15:00")).isEmpty)

        // L-04 was there after all: the teacher's phone comes back online.
        try book.mark("L-04", 1, .present, at: "2025-03-06T14:00")
        #expect(try book.standing(session(1)).contains("L-04 learner present 2.0"))
        let l04 = try book.store.records(event: session(1)).filter { $0.person == "L-04" }
        #expect(l04.map(\.superseded) == [true, false])
        // The same status again makes no record.
        try book.mark("L-04", 1, .present, at: "2025-03-06T14:30")
        #expect(try book.store.records(event: session(1)).filter { $0.person == "L-04" }.count == 2)
        let correction = try book.store.database.read { db in
            try Data.fetchOne(db, sql: "SELECT body FROM outbox ORDER BY seq DESC LIMIT 1")
        }.map { try WanxiaJSON.decode(ParticipationRecord.self, from: $0) }
        #expect(correction?.supersedes?.rawValue == l04.first?.id)
        #expect(correction?.correction?.by == "T-01")
    }

    @Test("completion by the rule: attendance at least 80 % and an essay; certificates for those who completed")
    func completion() throws {
        let book = try Book()
        defer { book.remove() }
        for line in cohortMarks {
            guard let (body, at) = observation(line) else { continue }
            try book.apply(body, at: at)
        }
        for learner in ["L-01", "L-02", "L-03", "L-05"] {
            try book.apply(.essay(Essay(cohort: "reading-2025-1", learner: learner, title: "学习心得")), at: t("2025-04-03T11:00"))
        }
        #expect(throws: ClassesError.self) { try book.store.closeCohort("reading-2025-1", now: t("2025-04-03T10:00")) }
        let summaries = try book.store.closeCohort("reading-2025-1", now: t("2025-04-04T09:00"))
        let shares = Dictionary(uniqueKeysWithValues: summaries.map { ($0.person, $0.share) })
        #expect(shares == ["L-01": 1.0, "L-02": 0.8, "L-03": 0.4, "L-04": 1.0, "L-05": 2.0 / 3.0])
        #expect(summaries.filter(\.completes).map(\.person) == ["L-01", "L-02"])
        #expect(summaries.first { $0.person == "L-02" }.map { [$0.present, $0.late, $0.excused, $0.absent] } == [3, 1, 0, 1])
        #expect(try book.standing("reading-2025-1") == ["L-01 learner completed 0.0", "L-02 learner completed 0.0",
                                                         "L-03 learner not-completed 0.0", "L-04 learner not-completed 0.0",
                                                         "L-05 learner not-completed 0.0"])
        #expect(try book.store.certificates(cohort: "reading-2025-1").map(\.number) == ["reading-2025-1-001", "reading-2025-1-002"])
        #expect(try book.store.certificates(cohort: "reading-2025-1").map(\.name) == ["张建国", "李秀兰"])
        // Every session closed on the way: 5 sessions x (teacher + learners enrolled that day).
        let sessionRecords = try (1...5).flatMap { try book.store.records(event: session($0)) }
        #expect(sessionRecords.count == 5 + 5 + 6 + 6 + 6)
    }

    @Test("the same marks by Moodle points, and with excused sessions left out of the denominator")
    func otherBases() throws {
        for (rule, expected) in [
            (CompletionRule(basis: .points), ["L-01": 1.0, "L-02": 0.7, "L-03": 0.6, "L-04": 1.0, "L-05": 4.0 / 6.0]),
            (CompletionRule(excusedCounts: false), ["L-01": 1.0, "L-02": 0.8, "L-03": 2.0 / 3.0, "L-04": 1.0, "L-05": 2.0 / 3.0]),
        ] {
            let book = try Book(completion: rule)
            defer { book.remove() }
            for line in cohortMarks {
                guard let (body, at) = observation(line) else { continue }
                try book.apply(body, at: at)
            }
            try book.store.sweep(now: t("2025-04-03T14:00"))
            let summaries = try book.store.attendance(cohort: "reading-2025-1")
            let shares = Dictionary(uniqueKeysWithValues: summaries.map { ($0.person, $0.share) })
            for (person, share) in expected { #expect(abs((shares[person] ?? -1) - share) < 1e-9, "\(person)") }
        }
    }

    @Test("essays and suggestions go out as newer versions of the cohort event's counts")
    func cohortCounts() throws {
        let book = try Book()
        defer { book.remove() }
        try book.apply(.essay(Essay(cohort: "reading-2025-1", learner: "L-01")), at: t("2025-03-05T10:00"))
        #expect(try book.outboxTypes().isEmpty)  // nothing goes out before the first session closes
        try book.store.sweep(now: t("2025-03-06T13:00"))
        try book.apply(.essay(Essay(cohort: "reading-2025-1", learner: "C002", title: "读《党史》有感")), at: t("2025-03-07T10:00"))
        try book.apply(.essay(Essay(cohort: "reading-2025-1", learner: "L-02", title: "重写")), at: t("2025-03-07T11:00"))
        let first = try book.store.addSuggestion(cohort: "reading-2025-1", person: "L-01", text: "增加讨论时间", at: t("2025-03-08T10:00"))
        try book.store.addSuggestion(cohort: "reading-2025-1", person: nil, text: "提供大字版教材", at: t("2025-03-08T10:05"))
        try book.store.adoptSuggestion(first, at: t("2025-03-09T10:00"))
        let events = try book.store.database.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM outbox WHERE type = 'event' ORDER BY seq")
        }.map { try WanxiaJSON.decode(EventRecord.self, from: $0) }.filter { $0.event == "reading-2025-1" }
        #expect(events.map { $0.counts?.essays ?? -1 } == [1, 2, 2, 2, 2])
        #expect(events.map { $0.counts?.suggestionsCollected ?? -1 } == [0, 0, 1, 2, 2])
        #expect(events.last?.counts?.suggestionsAdopted == 1)
        #expect(events.last?.parent == nil && events.last?.kind == "读书班")
        #expect(events.last?.end == t("2025-03-06T11:00"))
    }
}
