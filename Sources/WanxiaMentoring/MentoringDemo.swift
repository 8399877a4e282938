import Foundation
import WanxiaContract

/// A realistic half-year of mentoring for `wanxia up --demo`, deterministic from a seed.
///
/// ``plan(seed:start:store:identities:)`` enrols 12 mentors and 20 young people (invented names,
/// in the identity store only), records guardian consent, proposes and activates 24 pairs of all
/// three kinds (four young people have two mentors), pauses one over the summer, closes three
/// with catalogued reasons, commits monthly sponsorships and six school talks directly to the
/// store, and returns the mentors' phone meeting logs (every one to three weeks per pair, only
/// while it is active) as ``ScriptedObservation``s for the caller to publish from sites
/// `phone-m-01`...`phone-m-12`. Everything lies in [start, start + 182 days).
public enum MentoringDemo {
    static let mentorNames = ["张建华", "李秀英", "王国庆", "刘淑芬", "陈志明", "杨桂兰", "赵德胜", "黄丽华", "周振国", "吴玉梅", "徐长江", "孙慧敏"]
    static let surnames = Array("林周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施孔")
    static let givenNames = ["小雨", "子航", "思琪", "浩然", "欣怡", "宇轩", "梓涵", "俊杰", "雨桐", "明轩"]

    /// Plans the half-year into `store` and `identities`; returns the phone observations, by time.
    public static func plan(seed: UInt64, start: Date, store: MentoringStore, identities: IdentityStore) throws -> [ScriptedObservation] {
        var random = SplitMix64(seed: seed)
        let office = IdentityOffice(store: store, identities: identities)
        let day: TimeInterval = 86_400
        func time(_ days: Double, hour: Double = 9) -> Date { start.addingTimeInterval(days * day + hour * 3600) }
        let mentors = (1...12).map { String(format: "M-%02d", $0) }
        for (index, person) in mentors.enumerated() {
            try store.addMentor(person: person, name: mentorNames[index])
        }
        let calendar = AgeBand.calendar
        let startYear = calendar.component(.year, from: start)
        var youth: [String] = []
        for index in 0..<20 {
            let age = [9, 11, 12, 13, 14, 15, 16, 17][index % 8]
            let birth = DateComponents(year: startYear - age - 1, month: 1 + Int(random.next() % 12), day: 1 + Int(random.next() % 28))
            let name = "\(surnames[index])\(givenNames[Int(random.next() % UInt64(givenNames.count))])"
            let pseudonym = "Y-demo" + String(format: "%014llx", random.next() & 0xFFFF_FFFF_FFFF)
            youth.append(try office.enrol(YouthIdentity(pseudonym: pseudonym, name: name, birthDate: birth, school: "示范学校",
                                                        guardianName: "\(surnames[index])家长"), at: time(0)))
            try office.recordConsent(Consent(giver: .guardian, relation: "父母", guardianName: "\(surnames[index])家长",
                                             givenOn: time(1), how: "书面"), for: youth[index], at: time(1))
        }
        // 20 pairs, one per young person, and a second mentor for four of them.
        var pairs: [(id: String, mentor: String, youth: String, kind: PairKind, from: Double)] = []
        for index in 0..<24 {
            let person = youth[index % 20]
            let mentor = mentors[index < 20 ? index % 12 : index - 14]
            let kind: PairKind = index % 20 < 8 ? .sponsorship : (index % 20 < 12 ? .guidance : .other)
            let id = String(format: "pair-demo-%02d", index + 1)
            let from = 2 + Double(random.next() % 20)
            try store.propose(id: id, mentor: mentor, youth: person, kind: kind, actor: "S-01", reason: "学校推荐", at: time(from - 1))
            try office.activate(pair: id, actor: "S-01", reason: "审批通过", at: time(from))
            pairs.append((id, mentor, person, kind, from))
        }
        // Three closures and one pause.
        let closures: [String: (Double, String)] = ["pair-demo-03": (120, "graduated"), "pair-demo-10": (95, "moved"),
                                                    "pair-demo-17": (140, "mentor-unavailable")]
        let pause: (id: String, from: Double, to: Double) = ("pair-demo-06", 150, 165)
        var observations: [ScriptedObservation] = []
        for pair in pairs {
            let end = closures[pair.id]?.0 ?? 182
            var at = pair.from + 3 + Double(random.next() % 7)
            while at < end - 1 {
                if !(pair.id == pause.id && at >= pause.from - 1 && at <= pause.to) {
                    let minutes = [45, 60, 90, 120][Int(random.next() % 4)]
                    let site = try TopicID(validating: "phone-" + pair.mentor.lowercased())
                    observations.append(ScriptedObservation(
                        site: site, programme: .mentoring, at: time(at, hour: 16),
                        body: .meetingLog(MeetingLog(pair: pair.id, mentor: pair.mentor, minutes: minutes,
                                                     mode: [.visit, .call, .study][Int(random.next() % 3)]))))
                }
                at += Double(7 + random.next() % 15)
            }
            if pair.kind == .sponsorship {
                var month = pair.from + 5
                while month < end {
                    if pair.id == pause.id && month >= pause.from && month <= pause.to { month += 30; continue }
                    try store.sponsor(pair: pair.id, what: "助学金 500 元", amount: 500, actor: "S-01", at: time(month, hour: 10))
                    month += 30
                }
            }
        }
        try store.pause(pair: pause.id, actor: "S-01", reason: "暑假外出", at: time(pause.from))
        try store.resume(pair: pause.id, actor: "S-01", reason: "返回", at: time(pause.to))
        for (id, closure) in closures.sorted(by: { $0.key < $1.key }) {
            try store.close(pair: id, reason: closure.1, note: "演示", actor: "S-01", at: time(closure.0))
        }
        for talk in 0..<6 {
            let from = time(10 + Double(talk) * 28, hour: 14)
            try store.recordTalk(Talk(kind: talk % 2 == 0 ? "法治教育报告会" : "宣讲", title: talk % 2 == 0 ? "法治教育报告会" : "传统教育宣讲",
                                      start: from, end: from.addingTimeInterval(5400), audience: 150 + Int(random.next() % 250),
                                      speakers: [mentors[talk % 12], mentors[(talk + 5) % 12]]))
        }
        return observations.sorted { $0.at < $1.at }
    }
}
