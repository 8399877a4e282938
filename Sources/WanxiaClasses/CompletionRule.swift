/// When a learner completes a cohort (结业): attendance at least a share of the sessions, and an
/// essay if the cohort asks for one.
///
/// Attendance is counted over the closed sessions the learner was enrolled for, in one of two ways:
/// ``Basis/presence`` = (present + late) / sessions, or ``Basis/points`` = points / (sessions x the
/// highest points), Moodle's percentage. With ``excusedCounts`` off, excused sessions leave the
/// denominator (an excused absence does not count against the learner).
public struct CompletionRule: Sendable, Equatable, Codable {
    /// How the attendance share is computed.
    public enum Basis: String, Sendable, Codable, CaseIterable {
        case presence, points
    }

    /// The least attendance share that completes (0.8).
    public var minimumAttendance: Double
    public var basis: Basis
    /// Whether excused sessions stay in the denominator (true).
    public var excusedCounts: Bool
    /// Whether an essay (心得体会) must be handed in (true).
    public var essayRequired: Bool

    public init(minimumAttendance: Double = 0.8, basis: Basis = .presence, excusedCounts: Bool = true, essayRequired: Bool = true) {
        self.minimumAttendance = minimumAttendance
        self.basis = basis
        self.excusedCounts = excusedCounts
        self.essayRequired = essayRequired
    }

    /// e.g. `出勤≥80%（出席+迟到） + 心得`.
    public var summary: String {
        let share = String(format: "%g", (minimumAttendance * 1000).rounded() / 10)
        let basisText = basis == .presence ? "出席+迟到" : "积分"
        let excused = excusedCounts ? "" : "，请假不计"
        return "出勤≥\(share)%（\(basisText)\(excused)）" + (essayRequired ? " + 心得" : "")
    }
}
