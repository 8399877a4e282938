/// One match of a competition: who meets whom in which round, and its result once decided.
///
/// In a knockout, later rounds name where their sides come from (`homeFrom` `W:r1-m3`, winner of
/// r1-m3; `L:` for a loser, to the third-place match) until the earlier matches are decided.
public struct Fixture: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// A side is still to be decided by an earlier match.
        case pending
        case scheduled
        /// A result awaits its confirmation by a second official.
        case provisional
        case decided
    }

    public var id: String
    public var round: Int
    public var board: Int
    public var home: String?
    public var away: String?
    public var homeFrom: String?
    public var awayFrom: String?
    public var status: Status
    public var homeScore: Int?
    public var awayScore: Int?
    public var outcome: GameResult.Outcome?
    public var referee: String?
    public var confirmedBy: String?
    /// The id of the result (observation item) standing for this match.
    public var result: String?

    public init(id: String, round: Int, board: Int, home: String?, away: String?, homeFrom: String? = nil,
                awayFrom: String? = nil, status: Status, homeScore: Int? = nil, awayScore: Int? = nil,
                outcome: GameResult.Outcome? = nil, referee: String? = nil, confirmedBy: String? = nil, result: String? = nil) {
        self.id = id
        self.round = round
        self.board = board
        self.home = home
        self.away = away
        self.homeFrom = homeFrom
        self.awayFrom = awayFrom
        self.status = status
        self.homeScore = homeScore
        self.awayScore = awayScore
        self.outcome = outcome
        self.referee = referee
        self.confirmedBy = confirmedBy
        self.result = result
    }

    /// The decided game for the standings, or nil.
    public var game: GameResult? {
        guard status == .decided, let home, let outcome else { return nil }
        return GameResult(round: round, home: home, away: away, homeScore: homeScore ?? 0, awayScore: awayScore ?? 0, outcome: outcome)
    }

    /// The winner of a decided match (a bye's holder), or nil.
    public var winner: String? {
        guard status == .decided, let outcome else { return nil }
        switch outcome {
        case .home, .forfeitAway, .bye: return home
        case .away, .forfeitHome: return away
        case .draw: return nil
        }
    }

    /// The loser of a decided match, or nil.
    public var loser: String? {
        guard let winner else { return nil }
        return winner == home ? away : home
    }
}
