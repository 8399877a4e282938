/// The body of a `judge-score` observation: one judge's score for one entrant or work.
public struct JudgeScore: Codable, Sendable, Equatable, Validatable {
    public var competition: String
    public var entrant: String
    public var judge: String
    /// The score, finite and not negative; the scale belongs to the competition.
    public var score: Double

    public init(competition: String, entrant: String, judge: String, score: Double) {
        self.competition = competition
        self.entrant = entrant
        self.judge = judge
        self.score = score
    }

    public func validate() throws {
        try Check.id(competition, "competition")
        try Check.id(entrant, "entrant")
        try Check.id(judge, "judge")
        try Check.nonNegative(score, "score")
    }
}
