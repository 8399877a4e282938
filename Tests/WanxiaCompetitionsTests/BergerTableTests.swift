import Testing
@testable import WanxiaCompetitions

/// The Berger tables as published (FIDE Handbook C.05 Annex 1; transcribed from Chris Fox's copy,
/// c.w.fox.tripod.com/chess/berger.html): one line per round, boards in order, home/white first.
private let published: [Int: String] = [
    4: """
        1-4, 2-3
        4-3, 1-2
        2-4, 3-1
        """,
    6: """
        1-6, 2-5, 3-4
        6-4, 5-3, 1-2
        2-6, 3-1, 4-5
        6-5, 1-4, 2-3
        3-6, 4-2, 5-1
        """,
    8: """
        1-8, 2-7, 3-6, 4-5
        8-5, 6-4, 7-3, 1-2
        2-8, 3-1, 4-7, 5-6
        8-6, 7-5, 1-4, 2-3
        3-8, 4-2, 5-1, 6-7
        8-7, 1-6, 2-5, 3-4
        4-8, 5-3, 6-2, 7-1
        """,
    10: """
        1-10, 2-9, 3-8, 4-7, 5-6
        10-6, 7-5, 8-4, 9-3, 1-2
        2-10, 3-1, 4-9, 5-8, 6-7
        10-7, 8-6, 9-5, 1-4, 2-3
        3-10, 4-2, 5-1, 6-9, 7-8
        10-8, 9-7, 1-6, 2-5, 3-4
        4-10, 5-3, 6-2, 7-1, 8-9
        10-9, 1-8, 2-7, 3-6, 4-5
        5-10, 6-4, 7-3, 8-2, 9-1
        """,
]

private func lines(_ rounds: [[Pairing]]) -> [String] {
    rounds.map { $0.map(\.description).joined(separator: ", ") }
}

@Suite("Berger tables (FIDE C.05 Annex 1)")
struct BergerTableTests {
    @Test("even fields match the published tables", arguments: [4, 6, 8, 10])
    func even(players: Int) throws {
        let table = try #require(published[players])
        #expect(lines(BergerTable.rounds(players: players)) == table.split(separator: "\n").map(String.init))
    }

    @Test("an odd field uses the next table with its highest number as the bye", arguments: [3, 5, 7, 9])
    func odd(players: Int) throws {
        let table = try #require(published[players + 1])
        let bye = String(players + 1)
        let expected = table.split(separator: "\n").map { line in
            let games = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let played = games.filter { !$0.split(separator: "-").map(String.init).contains(bye) }
            let resting = games.first { $0.split(separator: "-").map(String.init).contains(bye) }
                .map { $0.split(separator: "-").map(String.init).first { $0 != bye } ?? "" }
            return (played + [(resting ?? "") + "-bye"]).joined(separator: ", ")
        }
        #expect(lines(BergerTable.rounds(players: players)) == expected)
    }

    @Test("every pair meets exactly once, everyone once a round", arguments: Array(3...10))
    func complete(players: Int) {
        let rounds = BergerTable.rounds(players: players)
        #expect(rounds.count == (players % 2 == 0 ? players - 1 : players))
        var met: Set<Set<Int>> = []
        for round in rounds {
            let seated = round.flatMap { [$0.home] + ($0.away.map { [$0] } ?? []) }
            #expect(Set(seated) == Set(1...players) && seated.count == players)
            for game in round { if let away = game.away { met.insert([game.home, away]) } }
        }
        #expect(met.count == players * (players - 1) / 2)
    }

    @Test("double round robin: last two rounds of the first cycle swapped, colours reversed, never three in a row",
          arguments: Array(4...10))
    func double(players: Int) {
        let single = BergerTable.rounds(players: players)
        let double = BergerTable.rounds(players: players, double: true)
        let m = single.count
        #expect(double.count == 2 * m)
        #expect(lines([double[m - 2]]) == lines([single[m - 1]]))
        #expect(lines([double[m - 1]]) == lines([single[m - 2]]))
        for (index, round) in single.enumerated() {
            let reversed = round.map { game in game.away.map { away in "\(away)-\(game.home)" } ?? "\(game.home)-bye" }
            #expect(double[m + index].map(\.description) == reversed)
        }
        for player in 1...players {
            var streak = 0
            var last: Bool?
            for round in double {
                guard let game = round.first(where: { $0.home == player || $0.away == player }), game.away != nil else { last = nil; streak = 0; continue }
                let home = game.home == player
                streak = home == last ? streak + 1 : 1
                last = home
                #expect(streak < 3, "player \(player) has three games in a row with the same colour")
            }
        }
    }
}
