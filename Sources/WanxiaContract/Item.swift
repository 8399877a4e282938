import Foundation

/// One observation or record in a batch, with a typed body.
///
/// `id` is the item's stable UUIDv7 (storage is idempotent on it), `seq` the producer's sequence
/// number (from 1), and `at` when the observation or record was made. The JSON `type` field comes
/// from the body.
public struct Item<Body: ItemBody>: Codable, Sendable, Equatable, Validatable {
    public var id: MessageID
    public var seq: Int64
    public var at: Date
    public var body: Body

    public init(id: MessageID = .make(), seq: Int64, at: Date, body: Body) {
        self.id = id
        self.seq = seq
        self.at = at
        self.body = body
    }

    /// The item's `type`, e.g. `checkin`.
    public var type: String { body.type }

    private enum CodingKeys: String, CodingKey {
        case id, seq, at, type, body
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(MessageID.self, forKey: .id)
        seq = try container.decode(Int64.self, forKey: .seq)
        at = try container.decode(Date.self, forKey: .at)
        let type = try container.decode(String.self, forKey: .type)
        body = try Body(type: type, from: container.superDecoder(forKey: .body))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(seq, forKey: .seq)
        try container.encode(at, forKey: .at)
        try container.encode(body.type, forKey: .type)
        try body.encode(to: container.superEncoder(forKey: .body))
    }

    public func validate() throws {
        try Check.range(seq, 1...Int64.max, "seq")
        try Check.nested("body") { try body.validate() }
    }

    /// This item with its body as plain JSON, for the delivery layer.
    public func raw() throws -> RawItem {
        RawItem(id: id, seq: seq, at: at, type: type, body: try JSONValue(encoding: AnyBody(body: body)))
    }

    private struct AnyBody: Encodable {
        let body: Body
        func encode(to encoder: any Encoder) throws { try body.encode(to: encoder) }
    }
}

/// A batch of observations, as sent on `wanxia/v1/site/{site}/obs/{programme}`.
public typealias ObservationBatch = Batch<Item<Observation>>

/// A batch of records, as sent on `wanxia/v1/registrar/records/{producer}`.
public typealias RecordBatch = Batch<Item<Record>>
