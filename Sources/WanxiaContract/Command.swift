import Foundation

/// Service or operator to site: an instruction, carried out once per `id`.
public struct Command: Codable, Sendable, Equatable {
    /// What the site should do.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Publish everything still in the outbox now.
        case resend
        /// Fetch the roster again (re-subscribe to the retained roster).
        case refreshRoster = "refresh-roster"
        /// Publish a fresh presence.
        case ping
    }

    public var v: SchemaVersion = .current
    public var id: MessageID
    public var command: Kind
    public var at: Date

    public init(id: MessageID = .make(), command: Kind, at: Date = Date()) {
        self.id = id
        self.command = command
        self.at = at
    }
}
