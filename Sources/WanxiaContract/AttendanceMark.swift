/// The body of an `attendance` observation: one learner's mark for one class session.
public struct AttendanceMark: Codable, Sendable, Equatable, Validatable {
    /// How the learner attended.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case present, late, excused, absent
    }

    public var session: String
    public var learner: String
    public var status: Status
    /// The teacher or monitor who took the mark, if known.
    public var markedBy: String?

    public init(session: String, learner: String, status: Status, markedBy: String? = nil) {
        self.session = session
        self.learner = learner
        self.status = status
        self.markedBy = markedBy
    }

    public func validate() throws {
        try Check.id(session, "session")
        try Check.id(learner, "learner")
        try Check.id(markedBy, "markedBy")
    }
}
