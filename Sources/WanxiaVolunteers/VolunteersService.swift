import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT

/// The volunteers service as a long-running `Service`: its inbox, its outbox, roster publishing,
/// the automatic close of forgotten check-outs, and its presence.
///
/// `run()` opens (or creates) `volunteers.sqlite` in the data folder and runs one MQTT client
/// (`{id}`): the inbox takes observations on `wanxia/v1/site/+/obs/volunteers` and applies them with
/// ``VolunteersIngest`` (records derived in the same transaction); the outbox sends records to
/// `wanxia/v1/registrar/records/{id}` until the registrar acknowledges them, including those the
/// CLI committed to the file; every `upkeepInterval` the service closes activities that ended
/// `autoCloseGrace` ago and publishes the retained rosters of sites whose activities changed (all
/// of them at start). On graceful shutdown the inbox finishes its commit, then the client
/// disconnects cleanly.
public struct VolunteersService: Service {
    /// Where the service keeps its file, how it reaches the broker, and the hour rules.
    public struct Configuration: Sendable {
        /// The folder holding `volunteers.sqlite` (created if missing).
        public var dataDirectory: URL
        /// Broker address, credentials and TLS; the client id is set from `id`.
        public var mqtt: MQTTConfiguration
        /// The service's id on the bus: client id, consumer of site acks, producer of records.
        public var id: TopicID
        public var policy: HourPolicy
        /// How often forgotten check-outs are closed and changed rosters published.
        public var upkeepInterval: Duration
        /// How long after an activity's end its forgotten check-outs are closed, in seconds
        /// (a late check-out within the policy's leeway still pairs before that).
        public var autoCloseGrace: TimeInterval
        /// Activities that ended longer ago than this (seconds) leave the site rosters.
        public var rosterHorizon: TimeInterval
        /// The service's clock (for closes and rosters; scans carry their own time).
        public var clock: @Sendable () -> Date
        public var inbox: Inbox.Configuration
        public var outbox: Outbox.Configuration

        public init(dataDirectory: URL, mqtt: MQTTConfiguration = MQTTConfiguration(clientID: "volunteers"),
                    id: TopicID = "volunteers", policy: HourPolicy = HourPolicy(),
                    upkeepInterval: Duration = .seconds(30), autoCloseGrace: TimeInterval = 2 * 3600,
                    rosterHorizon: TimeInterval = 86_400, clock: @escaping @Sendable () -> Date = { Date() },
                    inbox: Inbox.Configuration = .init(), outbox: Outbox.Configuration = .init()) {
            self.dataDirectory = dataDirectory
            self.mqtt = mqtt
            self.id = id
            self.policy = policy
            self.upkeepInterval = upkeepInterval
            self.autoCloseGrace = autoCloseGrace
            self.rosterHorizon = rosterHorizon
            self.clock = clock
            self.inbox = inbox
            self.outbox = outbox
        }

        /// The database file in `dataDirectory`.
        public var databasePath: String { dataDirectory.appendingPathComponent("volunteers.sqlite").path }
    }

    public let configuration: Configuration
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger = Logger(label: "wanxia.volunteers")) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let id = configuration.id
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        let store = try VolunteersStore(path: configuration.databasePath, policy: configuration.policy, producer: id)
        let bus = try ProgrammeBus(programme: .volunteers, id: id, database: store.database, mqtt: configuration.mqtt,
                                   inbox: configuration.inbox, outbox: configuration.outbox, logger: logger) { outbox in
            VolunteersIngest(ledger: store.ledger, recordsEnqueued: { [outbox] in outbox.wake() })
        }
        logger.info("volunteers service started", metadata: [
            "volunteers.database": "\(store.path)", "mqtt.broker": "\(configuration.mqtt.host):\(configuration.mqtt.port)",
        ])
        try await bus.run { await self.upkeep(store: store, client: bus.client, outbox: bus.outbox) }
        logger.info("volunteers service stopped", metadata: ["volunteers.database": "\(store.path)"])
    }

    /// Closes ended activities and publishes changed rosters, every `upkeepInterval`, until shutdown.
    private func upkeep(store: VolunteersStore, client: MQTTClient, outbox: Outbox) async {
        var first = true
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = configuration.clock()
            do {
                let closed = try store.sweep(now: now, grace: configuration.autoCloseGrace)
                if !closed.isEmpty {
                    logger.info("forgotten check-outs closed", metadata: ["volunteers.records": "\(closed.count)"])
                    outbox.wake()
                }
                for roster in try store.takeRosters(now: now, horizon: configuration.rosterHorizon, all: first) {
                    do {
                        try await client.publish(Topic.roster(site: roster.site, programme: .volunteers),
                                                 payload: try WanxiaJSON.encode(roster), qos: .atLeastOnce, retain: true)
                    } catch {
                        try store.markRosterDirty(site: roster.site)
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
