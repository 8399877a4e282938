/// The body of an `essay` observation: an essay (心得体会) handed in by a learner of a cohort.
public struct Essay: Codable, Sendable, Equatable, Validatable {
    public var cohort: String
    public var learner: String
    /// The essay's title, if the teacher recorded it.
    public var title: String?

    public init(cohort: String, learner: String, title: String? = nil) {
        self.cohort = cohort
        self.learner = learner
        self.title = title
    }

    public func validate() throws {
        try Check.id(cohort, "cohort")
        try Check.id(learner, "learner")
        try Check.text(title, "title")
    }
}
