import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT

/// The classes service as a long-running `Service`: its inbox, its outbox, session closes, roster
/// publishing, and its presence.
///
/// `run()` opens (or creates) `classes.sqlite` in the data folder and runs one MQTT client (`{id}`):
/// the inbox takes observations on `wanxia/v1/site/+/obs/classes` and applies them with
/// ``ClassesIngest`` (records derived in the same transaction); the outbox sends records to
/// `wanxia/v1/registrar/records/{id}` until the registrar acknowledges them, including those the
/// CLI committed to the file; every `upkeepInterval` the service closes sessions that ended the
/// policy's `closeGrace` ago and publishes the retained roster of each site whose upcoming sessions
/// or learners changed (every site's at start). On graceful shutdown the inbox finishes its commit,
/// then the client disconnects cleanly.
public struct ClassesService: Service {
    /// Where the service keeps its file, how it reaches the broker, and the attendance rules.
    public struct Configuration: Sendable {
        /// The folder holding `classes.sqlite` (created if missing).
        public var dataDirectory: URL
        /// Broker address, credentials and TLS; the client id is set from `id`.
        public var mqtt: MQTTConfiguration
        /// The service's id on the bus: client id, consumer of site acks, producer of records.
        public var id: TopicID
        public var policy: AttendancePolicy
        /// How often sessions are closed and changed rosters published.
        public var upkeepInterval: Duration
        /// Rosters list sessions starting up to this many seconds ahead (14 days) ...
        public var rosterAhead: TimeInterval
        /// ... and ending up to this many seconds ago (1 day).
        public var rosterBehind: TimeInterval
        /// The service's clock (for closes and rosters; marks carry their own time).
        public var clock: @Sendable () -> Date
        public var inbox: Inbox.Configuration
        public var outbox: Outbox.Configuration

        public init(dataDirectory: URL, mqtt: MQTTConfiguration = MQTTConfiguration(clientID: "classes"),
                    id: TopicID = "classes", policy: AttendancePolicy = AttendancePolicy(),
                    upkeepInterval: Duration = .seconds(30), rosterAhead: TimeInterval = 14 * 86_400,
                    rosterBehind: TimeInterval = 86_400, clock: @escaping @Sendable () -> Date = { Date() },
                    inbox: Inbox.Configuration = .init(), outbox: Outbox.Configuration = .init()) {
            self.dataDirectory = dataDirectory
            self.mqtt = mqtt
            self.id = id
            self.policy = policy
            self.upkeepInterval = upkeepInterval
            self.rosterAhead = rosterAhead
            self.rosterBehind = rosterBehind
            self.clock = clock
            self.inbox = inbox
            self.outbox = outbox
        }

        /// The database file in `dataDirectory`.
        public var databasePath: String { dataDirectory.appendingPathComponent("classes.sqlite").path }
    }

    public let configuration: Configuration
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger = Logger(label: "wanxia.classes")) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let id = configuration.id
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        let store = try ClassesStore(path: configuration.databasePath, policy: configuration.policy, producer: id)
        let bus = try ProgrammeBus(programme: .classes, id: id, database: store.database, mqtt: configuration.mqtt,
                                   inbox: configuration.inbox, outbox: configuration.outbox, logger: logger) { outbox in
            ClassesIngest(book: store.book, recordsEnqueued: { [outbox] in outbox.wake() })
        }
        logger.info("classes service started", metadata: [
            "classes.database": "\(store.path)", "mqtt.broker": "\(configuration.mqtt.host):\(configuration.mqtt.port)",
        ])
        try await bus.run { await self.upkeep(store: store, client: bus.client, outbox: bus.outbox) }
        logger.info("classes service stopped", metadata: ["classes.database": "\(store.path)"])
    }

    /// Closes ended sessions and publishes changed rosters, every `upkeepInterval`, until shutdown.
    private func upkeep(store: ClassesStore, client: MQTTClient, outbox: Outbox) async {
        var first = true
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = configuration.clock()
            do {
                let made = try store.sweep(now: now)
                if !made.isEmpty {
                    logger.info("sessions closed", metadata: ["classes.records": "\(made.count)"])
                    outbox.wake()
                }
                for roster in try store.takeRosters(now: now, ahead: configuration.rosterAhead,
                                                    behind: configuration.rosterBehind, all: first) {
                    do {
                        try await client.publish(Topic.roster(site: roster.site, programme: .classes),
                                                 payload: try WanxiaJSON.encode(roster), qos: .atLeastOnce, retain: true)
                    } catch {
                        try store.forgetRoster(site: roster.site)
                        throw error
                    }
                }
                first = false
            } catch {
                logger.warning("upkeep failed; trying again later", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.upkeepInterval) }
        }
    }
}
