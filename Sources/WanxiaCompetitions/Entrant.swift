/// One entry of a competition: a person, a fixed pair or a team, with its members.
public struct Entrant: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case registered
        /// Left after registering; remaining matches are forfeited.
        case withdrawn
        /// Did not turn up at all; matches are forfeited and the members are not counted as taking part.
        case noShow = "no-show"
    }

    public var id: String
    public var name: String
    /// The unit (单位) the entry represents, for eligibility and separation.
    public var unit: String?
    /// The seed (1 strongest), or nil to be placed by lot.
    public var seed: Int?
    /// The pairing number given at the draw (1-based), nil before it.
    public var number: Int?
    public var status: Status
    public var members: [String]

    public init(id: String, name: String, unit: String? = nil, seed: Int? = nil, number: Int? = nil,
                status: Status = .registered, members: [String]) {
        self.id = id
        self.name = name
        self.unit = unit
        self.seed = seed
        self.number = number
        self.status = status
        self.members = members
    }
}
