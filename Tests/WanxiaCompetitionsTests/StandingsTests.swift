import Testing
@testable import WanxiaCompetitions

@Suite("Standings and tie-breaks")
struct StandingsTests {
    /// A four-player chess round robin (1 / ½ / 0): A beat B, drew C, lost to D; B beat C and D; C beat D.
    /// Points: B 2, A 1.5, C 1.5, D 1. Sonneborn-Berger: A = 1×2 (B) + ½×1.5 (C) = 2.75;
    /// C = ½×1.5 (A) + 1×1 (D) = 1.75, so A is second. Head-to-head A-C was a draw: only lots part them.
    static let games = [
        GameResult(round: 1, home: "A", away: "B", homeScore: 1, awayScore: 0, outcome: .home),
        GameResult(round: 1, home: "C", away: "D", homeScore: 1, awayScore: 0, outcome: .home),
        GameResult(round: 2, home: "A", away: "C", outcome: .draw),
        GameResult(round: 2, home: "B", away: "D", homeScore: 1, awayScore: 0, outcome: .home),
        GameResult(round: 3, home: "D", away: "A", homeScore: 1, awayScore: 0, outcome: .home),
        GameResult(round: 3, home: "B", away: "C", homeScore: 1, awayScore: 0, outcome: .home),
    ]

    @Test("Sonneborn-Berger separates a tie (hand-worked)")
    func sonnebornBerger() {
        let table = Standings(entrants: ["A", "B", "C", "D"], games: Self.games, scheme: .chess,
                              tieBreaks: [.sonnebornBerger], lotSeed: 1)
        #expect(table.rows.map(\.entrant) == ["B", "A", "C", "D"])
        #expect(table.rows.map(\.points) == [2, 1.5, 1.5, 1])
        #expect(table.rows[1].tieBreaks == [2.75] && table.rows[2].tieBreaks == [1.75])
        #expect(table.rows.allSatisfy { !$0.byLot })
    }

    @Test("a tie the list cannot break goes to lots, the same way from the same seed")
    func lots() {
        let orders = (1...8).map { seed in
            Standings(entrants: ["A", "B", "C", "D"], games: Self.games, scheme: .chess, tieBreaks: [.headToHead, .wins], lotSeed: UInt64(seed))
        }
        for table in orders {
            #expect(table.rows.first?.entrant == "B" && table.rows.last?.entrant == "D")
            #expect(table.rows.filter(\.byLot).map(\.entrant).sorted() == ["A", "C"])
        }
        #expect(Set(orders.map { $0.rows[1].entrant }) == ["A", "C"], "eight seeds never gave the other order")
        let again = Standings(entrants: ["A", "B", "C", "D"], games: Self.games, scheme: .chess, tieBreaks: [.headToHead, .wins], lotSeed: 3)
        #expect(again == orders[2])
    }

    /// ITTF group of four (win 2, loss 1): A 3-0 B, B 3-1 C, C 3-2 A, and all three beat D 3-0.
    /// A, B, C have 5 points and 3 among themselves; games among them: A 5:3, C 4:5, B 3:4,
    /// so A, C, B (all settled at once), then D.
    @Test("table tennis: a three-way tie decided by games among the tied (ITTF)")
    func ittf() {
        let games = [
            GameResult(round: 1, home: "A", away: "B", homeScore: 3, awayScore: 0, outcome: .home),
            GameResult(round: 1, home: "C", away: "D", homeScore: 3, awayScore: 0, outcome: .home),
            GameResult(round: 2, home: "B", away: "C", homeScore: 3, awayScore: 1, outcome: .home),
            GameResult(round: 2, home: "A", away: "D", homeScore: 3, awayScore: 0, outcome: .home),
            GameResult(round: 3, home: "C", away: "A", homeScore: 3, awayScore: 2, outcome: .home),
            GameResult(round: 3, home: "B", away: "D", homeScore: 3, awayScore: 0, outcome: .home),
        ]
        let table = Standings(entrants: ["A", "B", "C", "D"], games: games, scheme: .tableTennis,
                              tieBreaks: TieBreak.tableTennis, lotSeed: 1)
        #expect(table.rows.map(\.entrant) == ["A", "C", "B", "D"])
        #expect(table.rows.map(\.points) == [5, 5, 5, 3])
    }

    /// A Swiss of four after two rounds, with a forfeit: P1 beat P2, P3 beat P4; then P1 beat P3 and
    /// P4 won by forfeit against P2. Points: P1 2, P3 1, P4 1, P2 0. Buchholz: P3 = 0 (P4... see below).
    /// P3 played P4 (1) and P1 (2): 3. P4 played P3 (1); its forfeit win is a dummy with its own 1: 2.
    @Test("Buchholz counts a round not played as a dummy opponent with the player's own points")
    func buchholz() {
        let games = [
            GameResult(round: 1, home: "P1", away: "P2", homeScore: 1, awayScore: 0, outcome: .home),
            GameResult(round: 1, home: "P3", away: "P4", homeScore: 1, awayScore: 0, outcome: .home),
            GameResult(round: 2, home: "P3", away: "P1", homeScore: 0, awayScore: 1, outcome: .away),
            GameResult(round: 2, home: "P2", away: "P4", outcome: .forfeitHome),
        ]
        let table = Standings(entrants: ["P1", "P2", "P3", "P4"], games: games, scheme: .chess,
                              tieBreaks: [.buchholz, .progressive], lotSeed: 1)
        #expect(table.rows.map(\.entrant) == ["P1", "P3", "P4", "P2"])
        #expect(table.rows[1].tieBreaks == [3, 2] && table.rows[2].tieBreaks == [2, 1])
    }

    @Test("gateball: head-to-head, then score difference")
    func gateball() {
        let games = [
            GameResult(round: 1, home: "east", away: "west", homeScore: 18, awayScore: 12, outcome: .home),
            GameResult(round: 2, home: "west", away: "north", homeScore: 20, awayScore: 10, outcome: .home),
            GameResult(round: 3, home: "north", away: "east", homeScore: 15, awayScore: 14, outcome: .home),
        ]
        // Everyone 2 + 0 = 2 points; head-to-head among all three is 2 each; differences: east +5, west +4, north -9.
        let table = Standings(entrants: ["east", "west", "north"], games: games, scheme: .standard,
                              tieBreaks: TieBreak.gateball, lotSeed: 1)
        #expect(table.rows.map(\.entrant) == ["east", "west", "north"])
        #expect(table.rows.map { $0.scoreFor - $0.scoreAgainst } == [5, 4, -9])
    }

    @Test("tie-break lists parse, and an unknown name is named in the error")
    func parse() throws {
        #expect(try TieBreak.list("head-to-head, sonneborn-berger,wins") == [.headToHead, .sonnebornBerger, .wins])
        #expect(throws: CompetitionsError.self) { _ = try TieBreak.list("head-to-head,coin") }
    }
}
