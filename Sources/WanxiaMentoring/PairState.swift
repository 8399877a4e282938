/// Where a mentoring pair is in its lifecycle, and which moves each state allows.
///
/// `proposed -> active -> paused -> active -> closed`, and `proposed -> closed` (withdrawn or
/// rejected). `closed` is final. Every other move is forbidden, with a reason saying why.
public enum PairState: String, Codable, Sendable, CaseIterable {
    case proposed, active, paused, closed

    /// The states this one may move to.
    public var successors: Set<PairState> {
        switch self {
        case .proposed: [.active, .closed]
        case .active: [.paused, .closed]
        case .paused: [.active, .closed]
        case .closed: []
        }
    }

    /// Nil if `self -> next` is allowed, else a sentence saying why not.
    public func refusal(moving next: PairState) -> String? {
        if successors.contains(next) { return nil }
        switch (self, next) {
        case (.closed, _): return "a closed pair is final; propose a new pair instead"
        case (let state, let next) where state == next: return "the pair is already \(state.rawValue)"
        case (.proposed, .paused): return "a proposed pair cannot be paused before it is active"
        case (_, .proposed): return "a pair cannot go back to proposed"
        default: return "\(rawValue) cannot move to \(next.rawValue)"
        }
    }
}
