import Foundation

/// The body of a `participation` record: one person's part in one event, with hours.
///
/// History is never edited: a correction is a new record that names the old one in `supersedes`
/// and says who corrected it and why in `correction` (required whenever `supersedes` is set).
public struct ParticipationRecord: Codable, Sendable, Equatable, Validatable {
    /// Who corrected a record, and why.
    public struct Correction: Codable, Sendable, Equatable {
        public var by: String
        public var reason: String

        public init(by: String, reason: String) {
            self.by = by
            self.reason = reason
        }
    }

    public var person: String
    public var event: String
    /// volunteer, leader, mentor, mentee, player, referee, juror, learner, teacher, ...
    public var role: String
    /// Hours actually served (not travel), not negative.
    public var hours: Double
    public var ledger: Ledger
    /// served, present, late, excused, absent, played, judged, ...
    public var status: String
    public var start: Date?
    public var end: Date?
    public var team: String?
    /// Id of the record this one corrects.
    public var supersedes: MessageID?
    public var correction: Correction?

    public init(person: String, event: String, role: String, hours: Double, ledger: Ledger, status: String,
                start: Date? = nil, end: Date? = nil, team: String? = nil,
                supersedes: MessageID? = nil, correction: Correction? = nil) {
        self.person = person
        self.event = event
        self.role = role
        self.hours = hours
        self.ledger = ledger
        self.status = status
        self.start = start
        self.end = end
        self.team = team
        self.supersedes = supersedes
        self.correction = correction
    }

    public func validate() throws {
        try Check.id(person, "person")
        try Check.id(event, "event")
        try Check.keyword(role, "role")
        try Check.nonNegative(hours, "hours")
        try Check.keyword(status, "status")
        try Check.order(start: start, end: end, "end")
        try Check.id(team, "team")
        if supersedes != nil, correction == nil {
            throw ContractError(.invalidField, field: "correction", "is required when supersedes is set: say who corrected the record and why")
        }
        if let correction {
            try Check.id(correction.by, "correction.by")
            try Check.text(correction.reason, "correction.reason")
        }
    }
}
