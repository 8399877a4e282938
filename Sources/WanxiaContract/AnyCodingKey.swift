/// A coding key for any string or index; used to see every key of an object and to print paths.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }

    /// A coding path as a field path: `items[2].body.minutes`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else if key.stringValue.hasPrefix("Index ") {
                result += "[\(key.stringValue.dropFirst(6))]"
            } else {
                result += result.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return result
    }
}

extension Decoder {
    /// Throws if the object being decoded has a key outside `keys`.
    ///
    /// Used by the bodies that concern minors, where a stray free-text field could leak an identity.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let allowed = Set(Keys.allCases.map(\.stringValue))
        let container = try self.container(keyedBy: AnyCodingKey.self)
        if let extra = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) {
            let field = AnyCodingKey.path(codingPath + [AnyCodingKey(stringValue: extra)])
            throw ContractError(.invalidField, field: field,
                                "unexpected field; allowed fields are \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// The coding path of this decoder as a field path.
    var fieldPath: String { AnyCodingKey.path(codingPath) }
}
