/// Round-robin pairings by the Berger tables of the FIDE Handbook (C.05, Annex 1).
///
/// Players are numbered 1...n by lot. With an odd n, number n+1 is the bye: a player drawn against
/// it has a bye that round (returned as a ``Pairing`` with `away` nil, on the last board). Board 1
/// is the game of player n (the highest number); colours (home/away, red/black) alternate for it by
/// round. A double round robin repeats the cycle with colours reversed, after swapping the last two
/// rounds of the first cycle, as the Handbook recommends, so nobody plays three rounds in a row with
/// the same colour.
public enum BergerTable {
    /// The rounds of a round robin of `count` players (at least 2), each a list of boards.
    public static func rounds(players count: Int, double: Bool = false) -> [[Pairing]] {
        precondition(count >= 2, "a round robin needs two players")
        let n = count % 2 == 0 ? count : count + 1
        let m = n - 1
        let h = n / 2
        var cycle: [[(home: Int, away: Int)]] = []
        for r in 0..<m {
            let a = (0..<m).map { ((r * h + $0) % m) + 1 }
            var boards: [(home: Int, away: Int)] = [r % 2 == 0 ? (a[0], n) : (n, a[0])]
            for k in 1..<h { boards.append((a[k], a[m - k])) }
            cycle.append(boards)
        }
        var all = cycle
        if double {
            if m >= 2 { all.swapAt(m - 1, m - 2) }
            all += cycle.map { $0.map { (home: $0.away, away: $0.home) } }
        }
        return all.enumerated().map { index, boards in
            var games: [Pairing] = []
            var bye: Pairing?
            for (board, game) in boards.enumerated() {
                if n != count, game.home == n || game.away == n {
                    bye = Pairing(round: index + 1, board: 0, home: game.home == n ? game.away : game.home, away: nil)
                } else {
                    games.append(Pairing(round: index + 1, board: board + 1, home: game.home, away: game.away))
                }
            }
            games = games.enumerated().map { Pairing(round: $1.round, board: $0 + 1, home: $1.home, away: $1.away) }
            if var bye {
                bye.board = games.count + 1
                games.append(bye)
            }
            return games
        }
    }
}
