import Foundation

/// The figures the bureau's summaries need for a period, as the mentoring service sees them.
///
/// Definitions follow docs/measures.md: a pair counts in the period when its [activation,
/// closure) overlaps it (no closure: still open); audience reached is person-times of talks and is
/// never added to distinct young people.
public struct MentoringFigures: Sendable, Equatable, Codable {
    public var from: Date
    public var to: Date
    /// Distinct mentors of pairs active in the period (结对五老).
    public var mentorsActive: Int
    /// Pairs active at some time in the period (结对数).
    public var pairsActive: Int
    /// Pairs that became active in the period.
    public var pairsOpened: Int
    /// Pairs closed in the period, by closure reason code.
    public var pairsClosed: [String: Int]
    /// Distinct young people in pairs active in the period (受益青少年人数).
    public var youngPeopleHelped: Int
    /// Distinct young people given a sponsorship in the period (资助贫困学生).
    public var studentsSponsored: Int
    public var sponsorships: Int
    public var meetings: Int
    public var meetingHours: Double
    /// School talks in the period (报告会/宣讲 场次).
    public var talksHeld: Int
    /// Sum of their audiences (受教育青少年人次: person-times, not distinct people).
    public var audienceReached: Int
    /// Distinct speakers of those talks.
    public var speakers: Int
}
