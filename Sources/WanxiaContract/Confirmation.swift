/// The body of a `confirmation` observation: a team leader confirms an activity's clocked hours, or
/// corrects some of them.
///
/// `decision` `correct` needs at least one correction; `confirm` needs none.
public struct Confirmation: Codable, Sendable, Equatable, Validatable {
    /// Whether the leader confirms the hours as clocked or corrects them.
    public enum Decision: String, Codable, Sendable, CaseIterable {
        case confirm, correct
    }

    /// One person's corrected hours.
    public struct Correction: Codable, Sendable, Equatable {
        public var person: String
        /// The hours actually served, not negative.
        public var hours: Double
        public var reason: String

        public init(person: String, hours: Double, reason: String) {
            self.person = person
            self.hours = hours
            self.reason = reason
        }
    }

    public var activity: String
    public var leader: String
    public var decision: Decision
    public var corrections: [Correction]

    public init(activity: String, leader: String, decision: Decision, corrections: [Correction] = []) {
        self.activity = activity
        self.leader = leader
        self.decision = decision
        self.corrections = corrections
    }

    public func validate() throws {
        try Check.id(activity, "activity")
        try Check.id(leader, "leader")
        switch decision {
        case .confirm where !corrections.isEmpty:
            throw ContractError(.invalidField, field: "corrections", "must be empty when the decision is confirm")
        case .correct where corrections.isEmpty:
            throw ContractError(.invalidField, field: "corrections", "must hold at least one correction when the decision is correct")
        default:
            break
        }
        try Check.each(corrections, "corrections") { correction in
            try Check.id(correction.person, "person")
            try Check.nonNegative(correction.hours, "hours")
            try Check.text(correction.reason, "reason")
        }
    }
}
