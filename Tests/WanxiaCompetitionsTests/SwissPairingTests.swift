import Testing
@testable import WanxiaCompetitions

@Suite("Swiss pairing")
struct SwissPairingTests {
    /// Round 1 of six by the Dutch rule: top half against bottom half, colours alternating by board
    /// (1 has white): 1-4, 5-2, 3-6.
    @Test("round one: top half against bottom half, colours alternate")
    func roundOne() throws {
        let players = (1...6).map { SwissPairing.Player(number: $0) }
        let round = try #require(SwissPairing.pair(players, round: 1))
        #expect(round.map(\.description) == ["1-4", "5-2", "3-6"])
    }

    /// Round 2 after 1, 5 and 3 won: the score group {1, 3, 5} pairs 1 against 3 and 5 floats down;
    /// 5 has met 2, so it meets 4; 2 meets 6. Colours: 1 and 3 both had white, so the lower, 3,
    /// gets white; 4 had black against 5's white; 2 and 6 both had black, the higher, 2, gets white.
    @Test("round two: score groups, a down-floater, no repeat, colour balance (hand-worked)")
    func roundTwo() throws {
        let players = [
            SwissPairing.Player(number: 1, score: 1, opponents: [4], colourBalance: 1, lastHome: true),
            SwissPairing.Player(number: 2, score: 0, opponents: [5], colourBalance: -1, lastHome: false),
            SwissPairing.Player(number: 3, score: 1, opponents: [6], colourBalance: 1, lastHome: true),
            SwissPairing.Player(number: 4, score: 0, opponents: [1], colourBalance: -1, lastHome: false),
            SwissPairing.Player(number: 5, score: 1, opponents: [2], colourBalance: 1, lastHome: true),
            SwissPairing.Player(number: 6, score: 0, opponents: [3], colourBalance: -1, lastHome: false),
        ]
        let round = try #require(SwissPairing.pair(players, round: 2))
        #expect(round.map(\.description) == ["3-1", "4-5", "2-6"])
    }

    @Test("an odd field: the bye goes to the lowest-ranked player who has not had one")
    func bye() throws {
        var players = (1...5).map { SwissPairing.Player(number: $0) }
        let first = try #require(SwissPairing.pair(players, round: 1))
        #expect(first.last?.description == "5-bye")
        players[4].hadBye = true
        players[4].score = 1
        let second = try #require(SwissPairing.pair(players, round: 2, colours: false))
        #expect(second.last?.description == "4-bye")
    }

    @Test("five rounds of eight without a repeat pairing or a second bye", arguments: [UInt64(1), 2, 3])
    func noRepeats(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var players = (1...7).map { SwissPairing.Player(number: $0) }
        for round in 1...5 {
            let pairings = try #require(SwissPairing.pair(players, round: round))
            for pairing in pairings {
                let home = pairing.home - 1
                guard let awayNumber = pairing.away else {
                    #expect(!players[home].hadBye)
                    players[home].hadBye = true
                    players[home].score += 1
                    continue
                }
                let away = awayNumber - 1
                #expect(!players[home].opponents.contains(awayNumber))
                players[home].opponents.insert(awayNumber)
                players[away].opponents.insert(pairing.home)
                players[home].colourBalance += 1
                players[away].colourBalance -= 1
                players[home].lastHome = true
                players[away].lastHome = false
                switch random.next() % 3 {
                case 0: players[home].score += 1
                case 1: players[away].score += 1
                default: players[home].score += 0.5; players[away].score += 0.5
                }
            }
        }
        #expect(players.allSatisfy { abs($0.colourBalance) <= 2 })
    }

    @Test("no pairing exists once everyone has met")
    func exhausted() {
        let players = [SwissPairing.Player(number: 1, opponents: [2]), SwissPairing.Player(number: 2, opponents: [1])]
        #expect(SwissPairing.pair(players, round: 2) == nil)
    }
}
