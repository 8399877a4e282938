import Foundation

/// A batch item whose body is left as JSON: what the delivery layer (outbox, inbox, dedup) handles
/// without knowing item types.
///
/// ``decode(as:)`` turns it into a typed ``Item``; ``canonicalData()`` gives bytes to compare when
/// the same id arrives twice (same content: ack again; different content: reject as `conflict`).
public struct RawItem: Codable, Sendable, Equatable, Validatable {
    public var id: MessageID
    public var seq: Int64
    public var at: Date
    public var type: String
    public var body: JSONValue

    public init(id: MessageID, seq: Int64, at: Date, type: String, body: JSONValue) {
        self.id = id
        self.seq = seq
        self.at = at
        self.type = type
        self.body = body
    }

    /// The typed item; throws ``ContractError`` for an unknown type or a broken rule, or
    /// `DecodingError` for a body of the wrong shape.
    public func decode<Body: ItemBody>(as body: Body.Type = Body.self) throws -> Item<Body> {
        try WanxiaJSON.decode(Item<Body>.self, from: WanxiaJSON.encode(self))
    }

    /// The item as sorted-key JSON with times in UTC+8: equal content gives equal bytes.
    public func canonicalData() throws -> Data {
        try WanxiaJSON.encode(self)
    }

    /// Checks that `type` has the shape of an item type (a lower-case keyword), known or not.
    public static func checkType(_ type: String) throws {
        try Check.keyword(type, "type")
    }

    public func validate() throws {
        try Check.range(seq, 1...Int64.max, "seq")
        try Self.checkType(type)
        guard body.objectValue != nil else {
            throw ContractError(.invalidField, field: "body", "must be a JSON object")
        }
    }
}

/// A batch with bodies left as JSON, for the delivery layer.
public typealias RawBatch = Batch<RawItem>
