/// A competition's table: points, then the ordered tie-break list, then drawing of lots.
///
/// Built from the decided games only (byes and forfeits included). Each row carries the value of
/// every criterion as computed over the whole field (criteria among the tied show the value from
/// the last set of tied participants they were applied to) and whether lots decided its place.
public struct Standings: Sendable, Equatable {
    public struct Row: Sendable, Equatable, Codable {
        public var rank: Int
        public var entrant: String
        public var points: Double
        public var played: Int
        public var wins: Int
        public var draws: Int
        public var losses: Int
        public var scoreFor: Int
        public var scoreAgainst: Int
        /// The tie-break values, in the order of the list.
        public var tieBreaks: [Double]
        /// Whether drawing of lots was needed to separate this row from another.
        public var byLot: Bool
    }

    public var tieBreaks: [TieBreak]
    public var rows: [Row]

    /// Ranks `entrants` (all of them, games or not) from `games` under `scheme` and `tieBreaks`;
    /// ties left at the end are drawn by lot from `lotSeed`.
    public init(entrants: [String], games: [GameResult], scheme: PointsScheme, tieBreaks: [TieBreak], lotSeed: UInt64) {
        self.tieBreaks = tieBreaks
        let calculator = Calculator(entrants: entrants, games: games, scheme: scheme, lotSeed: lotSeed)
        var values: [String: [Double]] = [:]
        for entrant in entrants {
            values[entrant] = tieBreaks.map { $0.amongTied ? 0 : calculator.value($0, entrant) }
        }
        var byLot: Set<String> = []
        var ordered: [String] = []
        let byPoints = Dictionary(grouping: entrants) { calculator.points[$0, default: 0] }
        for points in byPoints.keys.sorted(by: >) {
            ordered += calculator.order(byPoints[points] ?? [], tieBreaks, from: 0, values: &values, byLot: &byLot)
        }
        rows = ordered.enumerated().map { index, entrant in
            let games = calculator.games(of: entrant)
            return Row(rank: index + 1, entrant: entrant, points: calculator.points[entrant, default: 0],
                       played: games.filter(\.played).count,
                       wins: games.filter { $0.won(by: entrant) && $0.away != nil }.count,
                       draws: games.filter { $0.outcome == .draw }.count,
                       losses: games.filter { $0.away != nil && !$0.won(by: entrant) && $0.outcome != .draw }.count,
                       scoreFor: games.reduce(0) { $0 + $1.scores(of: entrant).for },
                       scoreAgainst: games.reduce(0) { $0 + $1.scores(of: entrant).against },
                       tieBreaks: values[entrant] ?? [], byLot: byLot.contains(entrant))
        }
    }

    /// The computations behind the table.
    private struct Calculator {
        let entrants: [String]
        let games: [GameResult]
        let scheme: PointsScheme
        let points: [String: Double]
        let lot: [String: Int]

        init(entrants: [String], games: [GameResult], scheme: PointsScheme, lotSeed: UInt64) {
            self.entrants = entrants
            self.games = games
            self.scheme = scheme
            var points: [String: Double] = [:]
            for game in games {
                points[game.home, default: 0] += game.points(of: game.home, scheme)
                if let away = game.away { points[away, default: 0] += game.points(of: away, scheme) }
            }
            self.points = points
            var drawn = entrants.sorted()
            var random = SeededRandom(seed: lotSeed)
            random.shuffle(&drawn)
            lot = Dictionary(uniqueKeysWithValues: drawn.enumerated().map { ($1, $0) })
        }

        func games(of entrant: String) -> [GameResult] {
            games.filter { $0.home == entrant || $0.away == entrant }
        }

        /// `group` in order from criterion `index` on; ties left are drawn by lot.
        func order(_ group: [String], _ criteria: [TieBreak], from index: Int,
                   values: inout [String: [Double]], byLot: inout Set<String>) -> [String] {
            guard group.count > 1 else { return group }
            guard index < criteria.count, criteria[index] != .lots else {
                byLot.formUnion(group)
                return group.sorted { lot[$0, default: 0] < lot[$1, default: 0] }
            }
            let criterion = criteria[index]
            var scored: [String: Double] = [:]
            for entrant in group {
                let value = criterion.amongTied ? amongTied(criterion, entrant, group) : self.value(criterion, entrant)
                scored[entrant] = value
                if criterion.amongTied { values[entrant]?[index] = value }
            }
            let split = Dictionary(grouping: group) { scored[$0] ?? 0 }
            guard split.count > 1 else {
                return order(group, criteria, from: index + 1, values: &values, byLot: &byLot)
            }
            // A criterion among the tied starts again, from the first of its run, on each smaller set.
            var restart = index
            while criterion.amongTied, restart > 0, criteria[restart - 1].amongTied { restart -= 1 }
            var result: [String] = []
            for value in split.keys.sorted(by: >) {
                let subgroup = split[value] ?? []
                result += order(subgroup, criteria, from: criterion.amongTied ? restart : index + 1,
                                values: &values, byLot: &byLot)
            }
            return result
        }

        /// A criterion that looks at the whole field.
        func value(_ criterion: TieBreak, _ entrant: String) -> Double {
            let own = games(of: entrant).sorted { $0.round < $1.round }
            switch criterion {
            case .buchholz, .buchholzCut1:
                var parts = own.map { game -> Double in
                    if game.played, let opponent = game.opponent(of: entrant) { return points[opponent, default: 0] }
                    return points[entrant, default: 0]
                }
                if criterion == .buchholzCut1, let lowest = parts.indices.min(by: { parts[$0] < parts[$1] }) { parts.remove(at: lowest) }
                return parts.reduce(0, +)
            case .sonnebornBerger:
                return own.filter(\.played).reduce(0) { sum, game in
                    let share = game.won(by: entrant) ? 1 : (game.outcome == .draw ? 0.5 : 0)
                    return sum + share * points[game.opponent(of: entrant) ?? "", default: 0]
                }
            case .wins:
                return Double(own.filter { $0.won(by: entrant) }.count)
            case .progressive:
                var running = 0.0
                var total = 0.0
                for game in own {
                    running += game.points(of: entrant, scheme)
                    total += running
                }
                return total
            case .scoreDifference:
                return Double(own.reduce(0) { $0 + $1.scores(of: entrant).for - $1.scores(of: entrant).against })
            case .scoreFor:
                return Double(own.reduce(0) { $0 + $1.scores(of: entrant).for })
            case .headToHead, .gameRatioAmongTied, .lots:
                return 0
            }
        }

        /// A criterion over the games among `group` only.
        func amongTied(_ criterion: TieBreak, _ entrant: String, _ group: [String]) -> Double {
            let members = Set(group)
            let among = games(of: entrant).filter { game in
                guard let opponent = game.opponent(of: entrant) else { return false }
                return members.contains(opponent)
            }
            switch criterion {
            case .headToHead:
                return among.reduce(0) { $0 + $1.points(of: entrant, scheme) }
            case .gameRatioAmongTied:
                let won = among.reduce(0) { $0 + $1.scores(of: entrant).for }
                let lost = among.reduce(0) { $0 + $1.scores(of: entrant).against }
                return lost == 0 ? (won == 0 ? 0 : Double.greatestFiniteMagnitude) : Double(won) / Double(lost)
            default:
                return value(criterion, entrant)
            }
        }
    }
}
