import Foundation

/// Consumer to producer: the ids of items now durably stored, duplicates seen again included.
///
/// Send it only after the transaction that stored the items has committed; the producer then deletes
/// them from its outbox.
public struct Ack: Codable, Sendable, Equatable, Validatable {
    public var v: SchemaVersion = .current
    /// Id of the consuming service, e.g. `registrar`.
    public var consumer: TopicID
    public var at: Date
    /// 1 to ``Batch/maxItems`` item ids.
    public var ids: [MessageID]

    public init(consumer: TopicID, at: Date = Date(), ids: [MessageID]) {
        self.consumer = consumer
        self.at = at
        self.ids = ids
    }

    public func validate() throws {
        try Check.count(ids.count, 1...1000, "ids")
    }
}
