import Foundation
import WanxiaContract

/// A realistic half-year of study classes for `wanxia up --demo`, deterministic from a seed.
///
/// ``plan(into:seed:from:)`` fills a ``ClassesStore`` with a roll of 3 teachers and 30 learners,
/// three classes and their cohorts: a reading class every Thursday 09:00-11:00 for 26 weeks at the
/// senior university (28 apply for 25 places: a lottery, and a withdrawal that promotes the first
/// on the waiting list), a 5-day branch-secretary training (Monday to Friday, 14:00-17:00) at the
/// party school a month in, and a taiji class on the 15th of each month (08:30-10:00) at the
/// community centre; holidays are skipped. It returns what the teachers' phones (`phone-t101`,
/// ...) and the sites' kiosks would send: attendance marks (mostly present, some late, excused or
/// missing, which the close turns into absent), kiosk check-ins (some after the 10-minute window,
/// so late), and essays at each cohort's end; sorted by time. Sessions close when the service's
/// clock passes their end plus the grace; a mark replayed after that becomes a correcting record,
/// so the registrar's figures come out the same either way. Call it on an empty file.
public enum ClassesDemo {
    public static func plan(into store: ClassesStore, seed: UInt64, from first: LocalDate) throws -> [ScriptedObservation] {
        var random = SplitMix64(seed: seed)
        let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
        let given = ["建国", "秀兰", "德明", "桂英", "振华", "淑珍", "志强", "玉梅", "国庆", "凤英", "文华", "保国", "丽华", "春生", "红梅"]
        var rows = ["编号,姓名,卡号,原单位", "T-101,周明远,KT101,市委党校", "T-102,林卫东,KT102,市委组织部", "T-103,孙德胜,KT103,市体育局"]
        let units = ["市财政局", "市教育局", "市水利局", "市卫健委", "市交通局", "市农业农村局"]
        for number in 1...30 {
            let name = String(surnames[Int(random.below(UInt64(surnames.count)))]) + given[Int(random.below(UInt64(given.count)))]
            let card = number % 10 == 0 ? "" : String(format: "K%03d", number)  // every tenth has no card yet
            rows.append(String(format: "D-%03d", number) + ",\(name),\(card),\(units[number % units.count])")
        }
        let report = try store.importRoll(Data(rows.joined(separator: "\n").utf8), file: "demo-roll.csv")
        guard report.badRows.isEmpty else { throw ClassesError(.importFailed, report.text) }
        let learners = (1...30).map { String(format: "D-%03d", $0) }
        func card(_ person: String) -> String {
            let number = Int(person.dropFirst(2)) ?? 0
            return number % 10 == 0 ? person : String(format: "K%03d", number)
        }

        let year = first.year
        try store.addCourse(id: "reading", kind: "读书班", title: "党史学习教育读书班")
        try store.addCourse(id: "secretary", kind: "书记培训班", title: "离退休干部党支部书记培训班")
        try store.addCourse(id: "taiji", kind: "太极拳培训", title: "太极拳培训班")
        let reading = "reading-\(year)-1", secretary = "secretary-\(year)", taiji = "taiji-\(year)"
        try store.addCohort(Cohort(id: reading, course: "reading", name: "第1期", site: "senior-university", teacher: "T-101", capacity: 25))
        try store.addCohort(Cohort(id: secretary, course: "secretary", name: "\(year)年", site: "party-school", teacher: "T-102",
                                   capacity: 20, completion: CompletionRule(minimumAttendance: 1, essayRequired: true)))
        try store.addCohort(Cohort(id: taiji, course: "taiji", name: "\(year)年", site: "community-centre", teacher: "T-103",
                                   capacity: 20, completion: CompletionRule(minimumAttendance: 0.6, essayRequired: false)))

        var thursday = first
        while thursday.weekday != 4 { thursday = thursday.next }
        var monday = thursday
        for _ in 0..<30 { monday = monday.next }
        while monday.weekday != 1 { monday = monday.next }
        var last = first
        for _ in 0..<182 { last = last.next }
        try store.planSessions(cohort: reading, rule: RecurrenceRule(pattern: .weekly(weekdays: [4], interval: 1), first: thursday,
                                                                     startMinute: 540, endMinute: 660, end: .count(26)))
        try store.planSessions(cohort: secretary, rule: RecurrenceRule(pattern: .weekly(weekdays: [1, 2, 3, 4, 5], interval: 1), first: monday,
                                                                       startMinute: 840, endMinute: 1020, end: .count(5)))
        try store.planSessions(cohort: taiji, rule: RecurrenceRule(pattern: .monthlyOnDay(15), first: first,
                                                                   startMinute: 510, endMinute: 600, end: .until(last)))

        // Enrolment a week before the start: a lottery for the reading class, first come for the others.
        let opening = first.date(atMinute: 540).addingTimeInterval(-7 * 86_400)
        for person in learners.prefix(28) { try store.apply(cohort: reading, person: person, at: opening) }
        try store.drawLottery(cohort: reading, seed: seed, at: opening.addingTimeInterval(86_400))
        for person in learners.suffix(12) { try store.enrol(cohort: secretary, person: person, at: opening) }
        for person in random.shuffled(learners).prefix(18).sorted() { try store.enrol(cohort: taiji, person: person, at: opening) }
        let sessions = try store.sessions(cohort: reading)
        if sessions.count > 4, let leaving = try store.enrolments(cohort: reading).first(where: { $0.state == .enrolled }) {
            try store.withdraw(cohort: reading, person: leaving.person, at: sessions[3].end.addingTimeInterval(3600))
        }

        var observations: [ScriptedObservation] = []
        for cohort in try store.cohorts() {
            let phone = try TopicID(validating: "phone-" + cohort.teacher.lowercased().replacingOccurrences(of: "-", with: ""))
            let enrolments = try store.enrolments(cohort: cohort.id).filter { $0.enrolledAt != nil }
            let cohortSessions = try store.sessions(cohort: cohort.id)
            for session in cohortSessions {
                for enrolment in enrolments {
                    guard let enrolled = enrolment.enrolledAt, LocalDate(enrolled) <= LocalDate(session.start),
                          enrolment.withdrawnAt.map({ $0 > session.start }) ?? true else { continue }
                    let roll = random.below(100)
                    let minutes = Double(random.below(25)) * 60
                    switch roll {
                    case 0..<10:  // self check-in at the kiosk, a few minutes either side of the start
                        observations.append(ScriptedObservation(site: cohort.site, programme: .classes,
                                                                at: session.start.addingTimeInterval(minutes - 300),
                                                                body: .checkin(CardScan(activity: session.id, card: card(enrolment.person)))))
                    case 10..<97:
                        let status: AttendanceMark.Status = roll < 85 ? .present : roll < 91 ? .late : .excused
                        observations.append(ScriptedObservation(site: phone, programme: .classes,
                                                                at: session.start.addingTimeInterval(900 + minutes),
                                                                body: .attendance(AttendanceMark(session: session.id, learner: enrolment.person,
                                                                                                 status: status, markedBy: cohort.teacher))))
                    default:
                        break  // nobody marks them: absent when the session closes
                    }
                }
            }
            if let end = cohortSessions.last?.end {
                for enrolment in enrolments where enrolment.state == .enrolled && random.below(10) < 7 {
                    observations.append(ScriptedObservation(site: phone, programme: .classes, at: end.addingTimeInterval(-600),
                                                            body: .essay(Essay(cohort: cohort.id, learner: enrolment.person, title: "学习心得体会"))))
                }
            }
        }
        return observations.sorted { ($0.at, $0.site.rawValue) < ($1.at, $1.site.rawValue) }
    }
}
