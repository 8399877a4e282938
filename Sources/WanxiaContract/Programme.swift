/// One of the bureau's four programme areas; each has its own service and topic level.
public enum Programme: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Volunteer teams (志愿服务队): service activities and hours.
    case volunteers
    /// Youth mentoring pairs (结对帮扶): meetings and talks; minors travel only as pseudonyms.
    case mentoring
    /// Competitions (比赛): matches, judged scores, juried exhibitions.
    case competitions
    /// Study classes (学习班): cohorts, sessions, attendance, essays.
    case classes

    public var description: String { rawValue }
}
