import Foundation
import WanxiaContract

/// A seeded day at one site: volunteers on one team, one activity lasting the day, and a check-in
/// and a check-out for each volunteer at random times within it, as a card reader records them.
///
/// The activity is the 24 hours ending an hour from `now`, so the swipes all lie in the past and
/// the volunteers service's automatic close (two hours after the end) cannot fire during a test.
/// Each person's stay is a whole number of seconds that is never an exact multiple of 30 minutes,
/// so the expected hours (0.5 h steps, rounded down, no minimum share) have no boundary case.
struct SiteDayPlan: Sendable {
    struct Swipe: Sendable {
        var at: Date
        var card: String
        var checkout: Bool
    }

    static let site: TopicID = "day-site"
    static let activity = "act-day"
    static let team = "day-team"

    let people: Int
    let start: Date
    let end: Date
    /// Every swipe of the day, in time order.
    let swipes: [Swipe]
    /// Person id to the hours the registrar must hold.
    let expectedHours: [String: Double]

    init(people: Int, now: Date, random: inout SplitMix64) {
        self.people = people
        let end = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60 + 3_600)
        let start = end.addingTimeInterval(-86_400)
        let last = Int(now.timeIntervalSince(start)) - 120  // the latest swipe: two minutes ago
        var swipes: [Swipe] = []
        var expected: [String: Double] = [:]
        for n in 1...people {
            let checkIn = Int(random.below(UInt64(last - 60)))
            var stay = 60 + Int(random.below(UInt64(last - checkIn - 60)))
            if stay % 1_800 == 0 { stay += 1 }
            swipes.append(Swipe(at: start.addingTimeInterval(Double(checkIn)), card: Self.card(n), checkout: false))
            swipes.append(Swipe(at: start.addingTimeInterval(Double(checkIn + stay)), card: Self.card(n), checkout: true))
            expected[Self.person(n)] = Double(stay / 1_800) * 0.5
        }
        self.start = start
        self.end = end
        self.swipes = swipes.sorted { ($0.at, $0.checkout ? 1 : 0) < ($1.at, $1.checkout ? 1 : 0) }
        expectedHours = expected
    }

    static func person(_ n: Int) -> String { String(format: "P-%05d", n) }
    static func card(_ n: Int) -> String { String(format: "C%05d", n) }

    /// The talent pool, as `wanxia volunteers import-volunteers` reads it.
    var volunteersCSV: String {
        (["编号,姓名,卡号"] + (1...people).map { "\(Self.person($0)),志愿者\($0),\(Self.card($0))" }).joined(separator: "\n") + "\n"
    }

    /// One team with everyone; the first person leads it.
    var teamsCSV: String {
        (["队伍编号,队伍名称,编号,角色"] + (1...people).map { "\(Self.team),全天值班队,\(Self.person($0)),\($0 == 1 ? "队长" : "队员")" })
            .joined(separator: "\n") + "\n"
    }

    /// The swipes cut into `count` consecutive card-reader exports (`TIME,CARD,ACTIVITY,in|out`).
    func exports(_ count: Int) -> [String] {
        let size = (swipes.count + count - 1) / count
        return stride(from: 0, to: swipes.count, by: size).map { first in
            swipes[first..<min(first + size, swipes.count)].map { swipe in
                "\(RFC3339.string(from: swipe.at)),\(swipe.card),\(Self.activity),\(swipe.checkout ? "out" : "in")"
            }.joined(separator: "\n") + "\n"
        }
    }
}
