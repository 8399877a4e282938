import WanxiaContract

/// An item body of any type, kept as plain JSON: for consumers in tests that take whatever comes.
public struct PlainBody: ItemBody {
    public var type: String
    public var json: JSONValue

    public init(type: String, from decoder: any Decoder) throws {
        self.type = type
        json = try JSONValue(from: decoder)
        guard json.objectValue != nil else {
            throw ContractError(.invalidField, field: "body", "must be a JSON object")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    public func validate() throws {}
}
