import Foundation
import GRDB
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaMQTT

/// Keeps a client's retained presence true: online after every connect, offline by Will when the
/// connection dies, offline by a last message on a clean stop.
///
/// Every message carries a connection number that grows across reconnects *and* restarts (an
/// epoch kept in the component's SQLite file, times a million, plus the client's own connection
/// count), so a late Will of an older connection can be told from the newer connection's word
/// (`Presence.replaces(_:)`).
public final class PresenceAnnouncer: Service, Sendable {
    public let identity: Identity
    private let client: MQTTClient
    private let logger: Logger

    /// Who is present where.
    public struct Identity: Sendable {
        public var client: TopicID
        public var role: Presence.Role
        public var topic: String
        public var epoch: Int64
        public var version: String?

        public init(client: TopicID, role: Presence.Role, topic: String, epoch: Int64, version: String? = nil) {
            self.client = client
            self.role = role
            self.topic = topic
            self.epoch = epoch
            self.version = version
        }

        func presence(online: Bool, connection: UInt64) -> Presence {
            Presence(client: client, role: role, online: online, connection: epoch * 1_000_000 + Int64(connection),
                     at: Date(), version: version)
        }

        /// The Will to put in `MQTTConfiguration.will`.
        public var will: @Sendable (UInt64) -> MQTTWill {
            { [self] connection in
                let payload = (try? WanxiaJSON.encode(presence(online: false, connection: connection))) ?? Data()
                return MQTTWill(topic: topic, payload: Array(payload), qos: .atLeastOnce, retain: true)
            }
        }
    }

    public init(identity: Identity, client: MQTTClient, logger: Logger = Logger(label: "wanxia.presence")) {
        self.identity = identity
        self.client = client
        self.logger = logger
    }

    /// The next epoch from `database` (one more than the last), stored before it is used.
    public static func nextEpoch(in database: any DatabaseWriter) throws -> Int64 {
        try database.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS presence_epoch (value INTEGER NOT NULL)")
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(value) FROM presence_epoch") ?? 0
            try db.execute(sql: "DELETE FROM presence_epoch")
            try db.execute(sql: "INSERT INTO presence_epoch(value) VALUES (?)", arguments: [last + 1])
            return last + 1
        }
    }

    public func run() async throws {
        var lastConnection: UInt64 = 0
        for await state in client.stateChanges().cancelOnGracefulShutdown() {
            guard case .connected(let connection, _) = state, connection != lastConnection else { continue }
            lastConnection = connection
            await announce(online: true, connection: connection)
        }
        if lastConnection > 0, client.state.isConnected {
            await announce(online: false, connection: lastConnection)
        }
    }

    private func announce(online: Bool, connection: UInt64) async {
        do {
            let payload = try WanxiaJSON.encode(identity.presence(online: online, connection: connection))
            try await client.publish(identity.topic, payload: payload, qos: .atLeastOnce, retain: true)
        } catch {
            logger.warning("could not publish presence", metadata: ["mqtt.topic": "\(identity.topic)", "error": "\(error)"])
        }
    }
}
