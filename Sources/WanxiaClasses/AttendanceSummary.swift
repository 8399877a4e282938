/// One learner's attendance in a cohort so far, counted by the cohort's ``CompletionRule``.
public struct AttendanceSummary: Sendable, Equatable, Codable {
    public var person: String
    public var name: String
    /// Closed sessions the learner was enrolled for.
    public var sessions: Int
    public var present: Int
    public var late: Int
    public var excused: Int
    public var absent: Int
    /// Moodle-style points (present 2, late 1, excused 1, absent 0 by default).
    public var points: Int
    /// The attendance share by the rule (0 to 1); 0 when nothing counts yet.
    public var share: Double
    public var essay: Bool
    /// Whether the learner meets the completion rule.
    public var completes: Bool
}
