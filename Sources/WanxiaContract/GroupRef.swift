/// A group whose participation is counted: a team, cohort, competition, site or event.
public struct GroupRef: Codable, Sendable, Hashable {
    /// What kind of group `id` names.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case team, cohort, competition, site, event
    }

    public var kind: Kind
    public var id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }
}
