/// Swiss-system pairing (积分编排): score groups, no repeat pairings, one bye per player at most,
/// colour balance when the game has colours.
///
/// A simple, correct Dutch-style engine, not a certified FIDE C.04.3 implementation (rated chess
/// events should use a FIDE-endorsed program): players are ranked by score, then pairing number;
/// the top unpaired player meets, within its score group, the player half a group below (S1 against
/// S2), then the others of the group, then the next groups down (a down-floater); the first complete
/// pairing without a repeat wins (backtracking). With an odd count the lowest-ranked player who has
/// not had a bye gets it, as long as the rest can still be paired. Returns nil when no pairing
/// without repeats exists (too many rounds for the field).
public enum SwissPairing {
    /// What the pairing needs to know of one participant.
    public struct Player: Sendable, Hashable {
        /// The pairing number: 1 is the highest ranked (seed, rating or draw).
        public var number: Int
        public var score: Double
        public var opponents: Set<Int>
        public var hadBye: Bool
        /// Home (white) games minus away (black) games so far.
        public var colourBalance: Int
        /// True when the last game was at home (white), false away, nil before the first game.
        public var lastHome: Bool?

        public init(number: Int, score: Double = 0, opponents: Set<Int> = [], hadBye: Bool = false,
                    colourBalance: Int = 0, lastHome: Bool? = nil) {
            self.number = number
            self.score = score
            self.opponents = opponents
            self.hadBye = hadBye
            self.colourBalance = colourBalance
            self.lastHome = lastHome
        }
    }

    /// The pairings of `round`, boards ordered by score, the bye last; nil if none exists.
    public static func pair(_ players: [Player], round: Int, colours: Bool = true) -> [Pairing]? {
        let ranked = players.sorted { ($0.score, -$0.number) > ($1.score, -$1.number) }
        var byeCandidates: [Player?] = [nil]
        if ranked.count % 2 == 1 {
            byeCandidates = ranked.reversed().filter { !$0.hadBye }.map { $0 }
        }
        for bye in byeCandidates {
            if ranked.count % 2 == 1 && bye == nil { continue }
            let rest = ranked.filter { $0.number != bye?.number }
            guard let pairs = match(rest[...]) else { continue }
            var boards = pairs.enumerated().map { index, pair in
                let (home, away) = colours ? colour(pair.0, pair.1, board: index + 1) : (pair.0, pair.1)
                return Pairing(round: round, board: index + 1, home: home.number, away: away.number)
            }
            if let bye { boards.append(Pairing(round: round, board: boards.count + 1, home: bye.number, away: nil)) }
            return boards
        }
        return nil
    }

    /// Pairs `remaining` (ranked) completely, or nil.
    private static func match(_ remaining: ArraySlice<Player>) -> [(Player, Player)]? {
        guard let top = remaining.first else { return [] }
        let rest = remaining.dropFirst()
        let group = rest.filter { $0.score == top.score }
        let half = (group.count + 1) / 2
        var candidates: [Player] = []
        if !group.isEmpty {
            let pivot = max(half - 1, 0)
            candidates = Array(group[pivot...]) + group[..<pivot].reversed()
        }
        candidates += rest.filter { $0.score != top.score }
        for candidate in candidates where !top.opponents.contains(candidate.number) {
            let others = rest.filter { $0.number != candidate.number }
            if let tail = match(others[...]) { return [(top, candidate)] + tail }
        }
        return nil
    }

    /// Who plays at home: the one with fewer home games; then the one who was away last; then the
    /// higher ranked alternates by its last colour (in round 1, home on odd boards).
    private static func colour(_ higher: Player, _ lower: Player, board: Int) -> (Player, Player) {
        if higher.colourBalance != lower.colourBalance {
            return higher.colourBalance < lower.colourBalance ? (higher, lower) : (lower, higher)
        }
        if let a = higher.lastHome, let b = lower.lastHome, a != b {
            return a ? (lower, higher) : (higher, lower)
        }
        if let last = higher.lastHome {
            return last ? (lower, higher) : (higher, lower)
        }
        return board % 2 == 1 ? (higher, lower) : (lower, higher)
    }
}
