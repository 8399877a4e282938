import Foundation

/// Retained state for late joiners and screens (fixtures, standings, schedules), published on
/// ``topic``. The shape of `body` belongs to the programme service that publishes it.
public struct StateDocument: Codable, Sendable, Equatable {
    public var v: SchemaVersion = .current
    public var programme: Programme
    /// What the document is, e.g. `fixtures`, `standings`, `schedule`.
    public var kind: TopicID
    /// What it is about, e.g. a competition or cohort id.
    public var id: TopicID
    public var updatedAt: Date
    public var body: JSONValue

    public init(programme: Programme, kind: TopicID, id: TopicID, updatedAt: Date = Date(), body: JSONValue) {
        self.programme = programme
        self.kind = kind
        self.id = id
        self.updatedAt = updatedAt
        self.body = body
    }

    /// `wanxia/v1/state/{programme}/{kind}/{id}`.
    public var topic: String { Topic.state(programme: programme, kind: kind, id: id) }
}
