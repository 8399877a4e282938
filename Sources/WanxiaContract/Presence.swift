import Foundation

/// Retained online status of a site or service; with `online` false it is also the client's Will.
///
/// `connection` is a counter the client increments and persists on every connect, so a Will
/// delivered late (after the client reconnected) cannot mark the newer connection offline: use
/// ``replaces(_:)`` to decide which status to keep.
public struct Presence: Codable, Sendable, Equatable, Validatable {
    /// Whether the client is a site or a service.
    public enum Role: String, Codable, Sendable, CaseIterable {
        case site, service
    }

    public var v: SchemaVersion = .current
    public var client: TopicID
    public var role: Role
    public var online: Bool
    /// Connection counter, from 1.
    public var connection: Int64
    public var at: Date
    /// Software version of the client.
    public var version: String?

    public init(client: TopicID, role: Role, online: Bool, connection: Int64, at: Date = Date(), version: String? = nil) {
        self.client = client
        self.role = role
        self.online = online
        self.connection = connection
        self.at = at
        self.version = version
    }

    /// Whether this status should replace `current`: a newer connection always does; for the same
    /// connection, going offline does (the Will follows the online message), coming online again
    /// does not.
    public func replaces(_ current: Presence) -> Bool {
        if connection != current.connection { return connection > current.connection }
        return current.online && !online
    }

    public func validate() throws {
        try Check.atLeast(connection, 1, "connection")
        try Check.text(version, "version", max: 64)
    }
}
