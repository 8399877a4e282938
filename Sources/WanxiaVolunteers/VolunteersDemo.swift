import Foundation
import WanxiaContract

/// A realistic half-year of volunteer teams, for `wanxia up --demo`: six teams of the "six sendings"
/// (送思想、送经验、送法律、送技术、送文艺、送爱心), 60 volunteers, two activities per team and month at
/// four sites, and the kiosks' check-ins and check-outs. Deterministic from the seed.
public enum VolunteersDemo {
    /// The sites the demo's activities are held at.
    public static let sites: [TopicID] = ["dongcheng-centre", "xicheng-hall", "senior-university", "nanshan-village"]

    /// Imports the pool and the teams and plans the activities of the half-year starting at
    /// `start` (six months), then returns the kiosks' observations, in time order.
    public static func plan(into store: VolunteersStore, halfYearStarting start: Date, seed: UInt64 = 2024) throws
        -> [ScriptedObservation] {
        var random = SplitMix64(seed: seed)
        let teams: [(id: String, name: String, kinds: [String])] = [
            ("ideas", "送思想服务队", ["政策宣讲进社区", "红色故事宣讲"]),
            ("experience", "送经验服务队", ["基层治理咨询", "传帮带座谈"]),
            ("law", "送法律服务队", ["法律援助进社区", "人民调解"]),
            ("technology", "送技术服务队", ["农技下乡", "科普讲座"]),
            ("arts", "送文艺服务队", ["文艺演出进社区", "书法义写春联"]),
            ("care", "送爱心服务队", ["走访慰问困难群众", "医疗义诊下乡"]),
        ]
        let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
        let given = ["建华", "秀英", "国庆", "明", "芳", "伟", "桂兰", "志强", "玉梅", "德明", "淑珍", "红军", "卫东", "丽华", "振国"]
        var people = "编号,姓名,卡号\n"
        var roster = "队伍编号,队伍名称,编号,角色\n"
        for index in 1...60 {
            let person = String(format: "V-%03d", index)
            let name = String(surnames[Int(random.below(UInt64(surnames.count)))]) + given[Int(random.below(UInt64(given.count)))]
            people += "\(person),\(name),VC\(1000 + index)\n"
            let team = teams[(index - 1) / 10]
            roster += "\(team.id),\(team.name),\(person),\((index - 1) % 10 == 0 ? "队长" : "队员")\n"
        }
        _ = try store.importVolunteers(Data(people.utf8), file: "demo-volunteers.csv")
        _ = try store.importTeams(Data(roster.utf8), file: "demo-teams.csv")

        let calendar = chinaCalendar
        var observations: [ScriptedObservation] = []
        for month in 0..<6 {
            for (teamIndex, team) in teams.enumerated() {
                for round in 0..<2 {
                    let day = 3 + teamIndex * 2 + round * 13 + Int(random.below(2))
                    guard let date = calendar.date(byAdding: DateComponents(month: month, day: day - 1), to: start) else { continue }
                    let morning = random.below(2) == 0
                    let begin = date.addingTimeInterval(morning ? 9 * 3600 : 14.5 * 3600)
                    let end = begin.addingTimeInterval(Double(2 + random.below(2)) * 3600)
                    let site = sites[Int(random.below(UInt64(sites.count)))]
                    let kind = team.kinds[round]
                    let activity = Activity(id: "A-\(team.id)-\(month + 1)-\(round + 1)", team: team.id, kind: kind,
                                            title: "\(kind)（\(siteNames[site] ?? site.rawValue)）", site: site,
                                            start: begin, end: end)
                    try store.plan(activity)
                    let members = (1...10).map { teamIndex * 10 + $0 }
                    let attending = random.shuffled(members).prefix(5 + Int(random.below(5)))
                    for member in attending {
                        let card = "VC\(1000 + member)"
                        let arrive = begin.addingTimeInterval(Double(random.below(31)) * 60 - 15 * 60)
                        let leavesEarly = random.below(8) == 0
                        // Someone who leaves early still stays at least an hour.
                        let leave = leavesEarly
                            ? max(arrive.addingTimeInterval(3600), end.addingTimeInterval(-Double(30 + random.below(30)) * 60))
                            : end.addingTimeInterval(Double(random.below(16)) * 60)
                        observations.append(ScriptedObservation(site: site, programme: .volunteers, at: arrive,
                                                                body: .checkin(CardScan(activity: activity.id, card: card))))
                        observations.append(ScriptedObservation(site: site, programme: .volunteers, at: leave,
                                                                body: .checkout(CardScan(activity: activity.id, card: card))))
                    }
                }
            }
        }
        return observations.sorted { $0.at < $1.at }
    }

    static let siteNames: [TopicID: String] = [
        "dongcheng-centre": "东城社区活动中心", "xicheng-hall": "西城文化礼堂",
        "senior-university": "老年大学", "nanshan-village": "南山村文化室",
    ]

    static var chinaCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar
    }
}
