import WanxiaContract

extension RejectCode {
    /// The session named in an attendance mark or check-in is not planned in the classes service.
    public static let unknownSession: RejectCode = "unknown-session"
    /// The cohort named in an essay is not known to the classes service.
    public static let unknownCohort: RejectCode = "unknown-cohort"
    /// The learner was not enrolled in the cohort on the session's day (not yet, or withdrawn).
    public static let notEnrolled: RejectCode = "not-enrolled"
}
