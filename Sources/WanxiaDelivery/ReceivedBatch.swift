import Foundation
import WanxiaContract

/// A message as the inbox reads it: the envelope, and each item decoded once as the consumer's own
/// item type, or the reason its body could not be.
///
/// The envelope (`v`, `producer`, `sentAt`, and each item's `id`, `seq`, `at`, `type` and the
/// presence of `body`) must decode, or the whole message is refused. A body that does not decode refuses only its item, so
/// one bad item does not hold up the others in its batch.
struct ReceivedBatch<Body: ItemBody>: Decodable {
    var producer: TopicID
    var sentAt: Date
    var items: [ReceivedItem<Body>]

    private enum CodingKeys: String, CodingKey {
        case v, producer, sentAt, items
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _ = try container.decode(SchemaVersion.self, forKey: .v)
        producer = try container.decode(TopicID.self, forKey: .producer)
        sentAt = try container.decode(Date.self, forKey: .sentAt)
        items = try container.decode([ReceivedItem<Body>].self, forKey: .items)
    }
}

/// One item of a ``ReceivedBatch``.
struct ReceivedItem<Body: ItemBody>: Decodable {
    var id: MessageID
    var seq: Int64
    var at: Date
    var type: String
    /// The typed item, or why its body could not be read (worded as if the item stood alone).
    var item: Result<Item<Body>, Rejection>

    private enum CodingKeys: String, CodingKey {
        case id, seq, at, type, body
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(MessageID.self, forKey: .id)
        seq = try container.decode(Int64.self, forKey: .seq)
        at = try container.decode(Date.self, forKey: .at)
        type = try container.decode(String.self, forKey: .type)
        guard container.contains(.body) else {
            throw DecodingError.keyNotFound(CodingKeys.body, .init(codingPath: container.codingPath, debugDescription: "body is missing"))
        }
        do {
            try RawItem.checkType(type)
            let body = try Body(type: type, from: container.superDecoder(forKey: .body))
            item = .success(Item(id: id, seq: seq, at: at, body: body))
        } catch {
            // Paths start at the item (`body.hours`), as they would if it had come alone. Foundation
            // reads strings and numbers lazily, so text that is not JSON (a raw control character in
            // a string) may first show here: the inbox checks the message when an item fails.
            item = .failure(Inbox.rejection(for: error, droppingPathPrefix: decoder.codingPath.count, parsed: true))
        }
    }
}
