import Foundation

/// The delivery unit on observation and record topics: 1 to ``maxItems`` items from one producer's
/// outbox.
///
/// Use ``ObservationBatch``, ``RecordBatch`` or, in the delivery layer, ``RawBatch``. Each item is
/// acknowledged or rejected on its own, by id.
public struct Batch<Element: Codable & Sendable & Equatable>: Codable, Sendable, Equatable, Validatable {
    /// Schema version, always ``SchemaVersion/current`` when built in code.
    public var v: SchemaVersion = .current
    /// Client id of the producer whose outbox sent the batch.
    public var producer: TopicID
    /// When this message was sent (a resend has a later `sentAt` and the same items).
    public var sentAt: Date
    public var items: [Element]

    /// The most items a batch may hold; larger ones are rejected as `oversize`.
    public static var maxItems: Int { 1000 }

    public init(producer: TopicID, sentAt: Date = Date(), items: [Element]) {
        self.producer = producer
        self.sentAt = sentAt
        self.items = items
    }

    public func validate() throws {
        try Check.count(items.count, 1...Self.maxItems, "items")
        try Check.each(items, "items") { item in
            if let item = item as? any Validatable { try item.validate() }
        }
    }
}
