import WanxiaContract

extension RejectCode {
    /// The pair named in an observation or command is not known to the mentoring service.
    public static let unknownPair: RejectCode = "unknown-pair"
    /// The pair was not active at the time of the meeting or sponsorship.
    public static let pairNotActive: RejectCode = "pair-not-active"
    /// The mentor named in a meeting log is not the pair's mentor.
    public static let notPairMentor: RejectCode = "not-pair-mentor"
    /// A lifecycle transition the pair's state does not allow (e.g. anything after `closed`).
    public static let forbiddenTransition: RejectCode = "forbidden-transition"
    /// A pair may not become active before guardian (or, from 14, the young person's own) consent is recorded.
    public static let consentMissing: RejectCode = "consent-missing"
}
