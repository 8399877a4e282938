/// The body of a `person` record.
///
/// A young person (``Kind/youth``) travels only as a pseudonymous id and at most an age band:
/// `validate()` refuses a name or unit for them, and decoding refuses any field not listed here.
public struct PersonRecord: Codable, Sendable, Equatable, Validatable {
    /// Who the person is to the bureau.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case retiree, staff, youth
    }

    public var person: String
    public var kind: Kind
    /// Full name; forbidden for youth.
    public var name: String?
    /// Former work unit (原单位) of a retiree or department of a staff member; forbidden for youth.
    public var unit: String?
    /// Age band such as `15-17` or `65-74`.
    public var ageBand: String?

    public init(person: String, kind: Kind, name: String? = nil, unit: String? = nil, ageBand: String? = nil) {
        self.person = person
        self.kind = kind
        self.name = name
        self.unit = unit
        self.ageBand = ageBand
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case person, kind, name, unit, ageBand
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        person = try container.decode(String.self, forKey: .person)
        kind = try container.decode(Kind.self, forKey: .kind)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        unit = try container.decodeIfPresent(String.self, forKey: .unit)
        ageBand = try container.decodeIfPresent(String.self, forKey: .ageBand)
    }

    public func validate() throws {
        try Check.id(person, "person")
        if kind == .youth {
            if name != nil {
                throw ContractError(.invalidField, field: "name", "a young person's name must not travel on the bus; use the pseudonymous id only")
            }
            if unit != nil {
                throw ContractError(.invalidField, field: "unit", "a young person's school or unit must not travel on the bus")
            }
        }
        try Check.text(name, "name")
        try Check.text(unit, "unit")
        if let ageBand {
            let bounds = ageBand.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]),
                  bounds.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(\.isASCII) }), low <= high
            else {
                throw ContractError(.invalidField, field: "ageBand", "\"\(ageBand)\" is not an age band like 15-17")
            }
        }
    }
}
