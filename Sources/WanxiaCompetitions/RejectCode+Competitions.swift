import WanxiaContract

extension RejectCode {
    /// The competition named in an observation is not known to the competitions service.
    public static let unknownCompetition: RejectCode = "unknown-competition"
    /// The match named in a result is not a fixture of the competition.
    public static let unknownMatch: RejectCode = "unknown-match"
    /// The match already has a standing result; a correction must name it in `supersedes`.
    public static let alreadyDecided: RejectCode = "already-decided"
    /// The competition's state does not take this now (not drawn yet, finished, sides not known).
    public static let notOpen: RejectCode = "not-open"
}
