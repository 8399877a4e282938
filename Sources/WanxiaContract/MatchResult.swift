/// The body of a `match-result` observation: a referee's result, possibly correcting an earlier one.
public struct MatchResult: Codable, Sendable, Equatable, Validatable {
    /// Who won. Absent when the match ended without a decision.
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case home, away, draw
        case forfeitHome = "forfeit-home"
        case forfeitAway = "forfeit-away"
    }

    public var competition: String
    public var match: String
    public var homeScore: Int
    public var awayScore: Int
    public var outcome: Outcome?
    public var referee: String
    /// A second official who confirmed the result, if any.
    public var confirmedBy: String?
    /// Id of an earlier `match-result` item this one corrects.
    public var supersedes: MessageID?

    public init(competition: String, match: String, homeScore: Int, awayScore: Int, outcome: Outcome?,
                referee: String, confirmedBy: String? = nil, supersedes: MessageID? = nil) {
        self.competition = competition
        self.match = match
        self.homeScore = homeScore
        self.awayScore = awayScore
        self.outcome = outcome
        self.referee = referee
        self.confirmedBy = confirmedBy
        self.supersedes = supersedes
    }

    public func validate() throws {
        try Check.id(competition, "competition")
        try Check.id(match, "match")
        try Check.atLeast(homeScore, 0, "homeScore")
        try Check.atLeast(awayScore, 0, "awayScore")
        try Check.id(referee, "referee")
        try Check.id(confirmedBy, "confirmedBy")
    }
}
