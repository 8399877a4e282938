/// One decided game as the standings see it: who met whom, the score, and how it ended.
///
/// `away` nil is a bye for `home`. `homeScore`/`awayScore` are the game's own units (gateball
/// points, table-tennis games won, chess 0/1); `outcome` says who won, or that one side forfeited.
public struct GameResult: Sendable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        case home, away, draw
        /// The home side did not play: the away side wins without playing.
        case forfeitHome = "forfeit-home"
        /// The away side did not play.
        case forfeitAway = "forfeit-away"
        /// A bye (only with `away` nil).
        case bye
    }

    public var round: Int
    public var home: String
    public var away: String?
    public var homeScore: Int
    public var awayScore: Int
    public var outcome: Outcome

    public init(round: Int, home: String, away: String?, homeScore: Int = 0, awayScore: Int = 0, outcome: Outcome) {
        self.round = round
        self.home = home
        self.away = away
        self.homeScore = homeScore
        self.awayScore = awayScore
        self.outcome = outcome
    }

    /// A bye for `entrant` in `round`.
    public static func bye(_ entrant: String, round: Int) -> GameResult {
        GameResult(round: round, home: entrant, away: nil, outcome: .bye)
    }

    /// Whether both sides played (no bye, no forfeit).
    public var played: Bool { away != nil && [.home, .away, .draw].contains(outcome) }

    /// The opponent of `entrant` in this game, nil for a bye or if it did not take part.
    public func opponent(of entrant: String) -> String? {
        entrant == home ? away : (entrant == away ? home : nil)
    }

    /// The points `entrant` earned under `scheme`.
    public func points(of entrant: String, _ scheme: PointsScheme) -> Double {
        let isHome = entrant == home
        switch outcome {
        case .bye: return isHome ? scheme.bye : 0
        case .draw: return scheme.draw
        case .home: return isHome ? scheme.win : scheme.loss
        case .away: return isHome ? scheme.loss : scheme.win
        case .forfeitHome: return isHome ? scheme.forfeitLoss : scheme.win
        case .forfeitAway: return isHome ? scheme.win : scheme.forfeitLoss
        }
    }

    /// Whether `entrant` won it (with or without playing, including a bye).
    public func won(by entrant: String) -> Bool {
        switch outcome {
        case .bye: entrant == home
        case .home, .forfeitAway: entrant == home
        case .away, .forfeitHome: entrant == away
        case .draw: false
        }
    }

    /// `entrant`'s score for and against in this game.
    public func scores(of entrant: String) -> (for: Int, against: Int) {
        entrant == home ? (homeScore, awayScore) : (awayScore, homeScore)
    }
}
