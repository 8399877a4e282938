import Foundation
import WanxiaContract

/// A realistic half-year of competitions for `wanxia up --demo`, deterministic from a seed.
///
/// ``plan(into:from:seed:)`` fills a store with people, four competitions and their registrations
/// and draws — a gateball round robin of 6 teams of 5 (results confirmed by a second referee), a
/// table-tennis knockout of 16 with a third-place match, a singing contest with 5 judges and 12
/// singers, a calligraphy exhibition with 60 works of which 20 are selected — and returns the
/// referee tablets' and judges' observations in time order, to be replayed through site agents.
/// After the replay, ``close(_:)`` seals the exhibition's round and finishes the judged events
/// (the match formats finish by themselves on their last result).
public enum CompetitionsDemo {
    public static let gateball = "demo-gateball"
    public static let tableTennis = "demo-table-tennis"
    public static let singing = "demo-singing"
    public static let calligraphy = "demo-calligraphy"

    /// Plans the half-year starting at `start` into `store` (which should be empty) and returns the observations.
    public static func plan(into store: CompetitionsStore, from start: Date, seed: UInt64) throws -> [ScriptedObservation] {
        var random = SeededRandom(seed: seed)
        let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
        let given = Array("建国秀英明华志强桂兰玉珍德福淑芬春生金凤振海文")
        var used: Set<String> = []
        func name() -> String {
            while true {
                let candidate = String(surnames[Int(random.next() % UInt64(surnames.count))])
                    + String(given[Int(random.next() % UInt64(given.count))]) + String(given[Int(random.next() % UInt64(given.count))])
                if used.insert(candidate).inserted { return candidate }
            }
        }
        let units = ["市委办", "市政府办", "组织部", "宣传部", "财政局", "教育局"]
        func person(_ id: String, unit: String? = nil) throws -> String {
            try store.addPerson(id: id, name: name(), unit: unit)
            return id
        }
        func day(_ offset: Double, _ hour: Double) -> Date { start.addingTimeInterval(offset * 86_400 + hour * 3600) }
        var observations: [ScriptedObservation] = []

        // Gateball: a round robin of six teams over three days, results confirmed by a second referee.
        let referees = [try person("demo-ref-01"), try person("demo-ref-02"), try person("demo-ref-03")]
        try store.create(Competition(id: gateball, title: "老干部门球联赛", kind: "门球赛", game: "gateball", format: .roundRobin,
                                     entry: .team, minMembers: 5, maxMembers: 5, capacity: 8, site: "gateball-court",
                                     start: day(20, 8), end: day(22, 17), seed: seed &+ 1, needsConfirmation: true, hours: 6))
        var strength: [String: UInt64] = [:]
        for (index, unit) in units.enumerated() {
            let team = "gb-team-\(index + 1)"
            let members = try (1...5).map { try person("demo-gb-\(index + 1)-\($0)", unit: unit) }
            try store.register(Entrant(id: team, name: "\(unit)门球队", unit: unit, members: members), in: gateball)
            strength[team] = random.next() % 100
        }
        for (index, fixture) in try store.draw(gateball).enumerated() {
            guard let home = fixture.home, let away = fixture.away else { continue }
            let homeScore = Int(10 + (strength[home] ?? 0) % 11 + random.next() % 5)
            var awayScore = Int(10 + (strength[away] ?? 0) % 11 + random.next() % 5)
            if awayScore == homeScore { awayScore -= 1 }
            observations.append(ScriptedObservation(site: "gateball-court", programme: .competitions,
                                                    at: day(20 + Double(fixture.round - 1) / 2, 8.5 + Double(index % 3)),
                                                    body: .matchResult(MatchResult(competition: gateball, match: fixture.id, homeScore: homeScore,
                                                                                   awayScore: awayScore, outcome: nil, referee: referees[0],
                                                                                   confirmedBy: referees[1]))))
        }

        // Table tennis: a knockout of sixteen, four seeds, units kept apart, a third-place match.
        try store.create(Competition(id: tableTennis, title: "老干部乒乓球单打比赛", kind: "乒乓球赛", game: "table-tennis", format: .knockout,
                                     site: "tt-hall", start: day(60, 8.5), end: day(60, 17), seed: seed &+ 2, thirdPlace: true,
                                     separateUnits: true, hours: 4))
        for number in 1...16 {
            let id = try person("demo-tt-\(number)", unit: units[number % units.count])
            try store.register(Entrant(id: id, name: "选手\(number)", unit: units[number % units.count], seed: number <= 4 ? number : nil,
                                       members: [id]), in: tableTennis)
        }
        var winners: [String: String] = [:]
        var losers: [String: String] = [:]
        let bracket = try store.draw(tableTennis)
        let numbers = Dictionary(uniqueKeysWithValues: try store.entrants(of: tableTennis).map { ($0.id, $0.number ?? 0) })
        for fixture in bracket.sorted(by: { ($0.round, $0.board) < ($1.round, $1.board) }) {
            func side(_ id: String?, _ from: String?) -> String? {
                if let id { return id }
                guard let from else { return nil }
                let match = String(from.dropFirst(2))
                return from.hasPrefix("W:") ? winners[match] : losers[match]
            }
            guard let home = side(fixture.home, fixture.homeFrom) else { continue }
            guard let away = side(fixture.away, fixture.awayFrom), fixture.outcome != .bye else { winners[fixture.id] = home; continue }
            // The better number usually wins; one upset in four.
            let favourite = (numbers[home] ?? 0) < (numbers[away] ?? 0)
            let homeWins = random.next() % 4 == 0 ? !favourite : favourite
            winners[fixture.id] = homeWins ? home : away
            losers[fixture.id] = homeWins ? away : home
            let lost = Int(random.next() % 3)
            observations.append(ScriptedObservation(site: "tt-hall", programme: .competitions,
                                                    at: day(60, 8.5 + Double(fixture.round) * 1.5 + Double(fixture.board) * 0.1),
                                                    body: .matchResult(MatchResult(competition: tableTennis, match: fixture.id,
                                                                                   homeScore: homeWins ? 3 : lost, awayScore: homeWins ? lost : 3,
                                                                                   outcome: nil, referee: referees[2]))))
        }

        // Singing: five judges score twelve singers; highest and lowest dropped.
        try store.create(Competition(id: singing, title: "庆祝建党节老干部歌咏比赛", kind: "歌咏比赛", game: "singing", format: .judged,
                                     site: "auditorium", start: day(100, 14), end: day(100, 17), seed: seed &+ 3, hours: 3))
        let judges = try (1...5).map { try person("demo-judge-\($0)") }
        for judge in judges { try store.appoint(person: judge, role: "judge", in: singing) }
        let singers = try (1...12).map { try person("demo-singer-\($0)", unit: units[$0 % units.count]) }
        for singer in singers { try store.register(Entrant(id: singer, name: "歌手\(singer.dropFirst(12))", members: [singer]), in: singing) }
        try store.draw(singing)
        for (order, singer) in singers.enumerated() {
            let base = 80 + Double(random.next() % 15)
            for judge in judges {
                let score = base + Double(random.next() % 50) / 10
                observations.append(ScriptedObservation(site: "auditorium", programme: .competitions,
                                                        at: day(100, 14 + Double(order) * 0.2),
                                                        body: .judgeScore(JudgeScore(competition: singing, entrant: singer, judge: judge, score: score))))
            }
        }

        // Calligraphy: sixty anonymous works from thirty authors, three jurors, twenty selected.
        try store.create(Competition(id: calligraphy, title: "老干部书法作品展", kind: "书法展", game: "calligraphy", format: .exhibition,
                                     site: "gallery", start: day(140, 9), end: day(150, 17), seed: seed &+ 4, quotas: [20], hours: 2))
        let jurors = try (1...3).map { try person("demo-juror-\($0)") }
        for juror in jurors { try store.appoint(person: juror, role: "juror", in: calligraphy) }
        var works: [String] = []
        for author in 1...30 {
            let id = try person("demo-author-\(author)", unit: units[author % units.count])
            for piece in 1...2 {
                let work = String(format: "w%03d", author * 2 + piece - 2)
                try store.submitWork(id: work, author: id, title: "书法作品", to: calligraphy)
                works.append(work)
            }
        }
        try store.recuse(juror: jurors[0], fromWorksOf: "demo-author-1", reason: "师生", in: calligraphy)
        try store.draw(calligraphy)
        for (index, work) in works.enumerated() {
            for juror in jurors where !(juror == jurors[0] && index < 2) {
                observations.append(ScriptedObservation(site: "gallery", programme: .competitions, at: day(145, 9 + Double(index) * 0.05),
                                                        body: .judgeScore(JudgeScore(competition: calligraphy, entrant: work, judge: juror,
                                                                                     score: Double(1 + random.next() % 5)))))
            }
        }
        return observations.sorted { $0.at < $1.at }
    }

    /// After the replay: seals the exhibition's selection and finishes the judged events still running.
    public static func close(_ store: CompetitionsStore, at: Date = Date()) throws {
        if try store.competition(calligraphy).status == .running {
            try store.selectRound(calligraphy, at: at)
            try store.finish(calligraphy, at: at)
        }
        if try store.competition(singing).status == .running {
            try store.finish(singing, at: at)
        }
    }
}
