import Foundation

/// The figures of one period's participation report, as docs/measures.md defines them.
///
/// Language-neutral: renderers (``ReportRenderer``) turn it into Chinese or English text, tables,
/// CSV, JSON or HTML. Person-times (人次) and people (人) count retirees and staff only, the bureau's
/// participants; young people appear only as "young people helped", "students sponsored" and
/// audience. Hours are the hours of retirees' and staff's effective records on events whose start
/// lies in the period, rounded to 1/100 h. A rate is `nil` when its denominator is 0.
public struct ParticipationReport: Codable, Sendable, Equatable {
    /// One activity kind of one programme (法律援助进社区, 门球赛, 读书班).
    public struct KindRow: Codable, Sendable, Equatable {
        /// The kind in the bureau's words, exactly as recorded.
        public var kind: String
        /// Events held: activities, competitions, cohorts (期), or for mentoring pairs formed, meetings, talks.
        public var events: Int
        /// Study classes only: sessions (课次) held; 0 elsewhere.
        public var sessions: Int
        public var personTimes: Int
        public var people: Int
        public var hours: Double
    }

    /// Volunteer teams (志愿服务队).
    public struct Volunteers: Codable, Sendable, Equatable {
        public var activities: Int
        /// Distinct teams of the records in the period (the record's team, else the event's parent).
        public var teams: Int
        /// Distinct volunteers taking part.
        public var volunteers: Int
        public var personTimes: Int
        public var hours: Double
        public var kinds: [KindRow]
    }

    /// Youth mentoring (结对帮扶).
    public struct Mentoring: Codable, Sendable, Equatable {
        /// Pairs whose `paired`/`closed` record overlaps the period.
        public var pairsActive: Int
        public var mentors: Int
        /// Distinct young people in those pairs.
        public var youngPeople: Int
        public var studentsSponsored: Int
        public var meetings: Int
        /// Mentors' hours at meetings.
        public var meetingHours: Double
        public var talks: Int
        /// Sum of the talks' audiences (person-times of young people).
        public var audience: Int
        public var personTimes: Int
        public var people: Int
        public var hours: Double
        public var kinds: [KindRow]
    }

    /// Competitions and exhibitions (比赛).
    public struct Competitions: Codable, Sendable, Equatable {
        public var competitions: Int
        public var personTimes: Int
        public var people: Int
        public var players: Int
        /// Referees, judges and jurors.
        public var officials: Int
        public var worksSubmitted: Int
        public var worksSelected: Int
        /// Selected / submitted, in percent.
        public var selectionRate: Double?
        public var hours: Double
        public var kinds: [KindRow]
    }

    /// Study classes (学习班).
    public struct Classes: Codable, Sendable, Equatable {
        public var cohorts: Int
        public var sessions: Int
        /// Learners present or late at sessions, once per person per session.
        public var trainedPersonTimes: Int
        public var learners: Int
        /// (present + late) / all learner marks, in percent.
        public var attendanceRate: Double?
        public var completed: Int
        public var notCompleted: Int
        /// completed / (completed + not completed), in percent.
        public var completionRate: Double?
        public var essays: Int
        public var suggestionsCollected: Int
        public var suggestionsAdopted: Int
        /// adopted / collected, in percent.
        public var adoptionRate: Double?
        public var hours: Double
        public var kinds: [KindRow]
    }

    /// The hours of one month of the period.
    public struct MonthHours: Codable, Sendable, Equatable {
        /// `2023-05`.
        public var month: String
        public var hours: Double
    }

    /// The period's ASCII form: `2023H1`, `2023`, `2023Q2`, `2023-05`, `2023-01-01..2023-06-30`.
    public var period: String
    /// The first instant of the period.
    public var from: Date
    /// The first instant after the period.
    public var to: Date
    /// The book as it stood at this time, when the report was asked "as of".
    public var asOf: Date?
    public var volunteers: Volunteers
    public var mentoring: Mentoring
    public var competitions: Competitions
    public var classes: Classes
    /// Person-times over the four programmes.
    public var personTimes: Int
    /// Distinct retirees and staff taking part in any programme.
    public var people: Int
    /// Hours over the four programmes.
    public var hours: Double
    /// Every month of the period, in order, with its hours (0 included).
    public var hoursByMonth: [MonthHours]
}
