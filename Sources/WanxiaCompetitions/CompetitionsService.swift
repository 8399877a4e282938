import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT

/// The competitions service as a long-running `Service`: its inbox, its outbox, the retained
/// fixtures and standings, and its presence.
///
/// `run()` opens (or creates) `competitions.sqlite` in the data folder and runs one MQTT client
/// (`{id}`): the inbox takes `match-result` and `judge-score` observations on
/// `wanxia/v1/site/+/obs/competitions` and applies them with ``CompetitionsIngest``; the outbox
/// sends records to `wanxia/v1/registrar/records/{id}` until the registrar acknowledges them,
/// including those the CLI committed to the file; every `upkeepInterval` the service publishes,
/// retained, `wanxia/v1/state/competitions/fixtures/{competition}` and `.../standings/{competition}`
/// for every competition changed (all of them at start). On graceful shutdown the inbox finishes
/// its commit, then the client disconnects cleanly.
public struct CompetitionsService: Service {
    /// Where the service keeps its file and how it reaches the broker.
    public struct Configuration: Sendable {
        /// The folder holding `competitions.sqlite` (created if missing).
        public var dataDirectory: URL
        /// Broker address, credentials and TLS; the client id is set from `id`.
        public var mqtt: MQTTConfiguration
        /// The service's id on the bus: client id, consumer of site observations, producer of records.
        public var id: TopicID
        /// How often changed fixtures and standings are published.
        public var upkeepInterval: Duration
        /// The service's clock, for the documents' `updatedAt`.
        public var clock: @Sendable () -> Date
        public var inbox: Inbox.Configuration
        public var outbox: Outbox.Configuration

        public init(dataDirectory: URL, mqtt: MQTTConfiguration = MQTTConfiguration(clientID: "competitions"),
                    id: TopicID = "competitions", upkeepInterval: Duration = .seconds(2),
                    clock: @escaping @Sendable () -> Date = { Date() },
                    inbox: Inbox.Configuration = .init(), outbox: Outbox.Configuration = .init()) {
            self.dataDirectory = dataDirectory
            self.mqtt = mqtt
            self.id = id
            self.upkeepInterval = upkeepInterval
            self.clock = clock
            self.inbox = inbox
            self.outbox = outbox
        }

        /// The database file in `dataDirectory`.
        public var databasePath: String { dataDirectory.appendingPathComponent("competitions.sqlite").path }
    }

    public let configuration: Configuration
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger = Logger(label: "wanxia.competitions")) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let id = configuration.id
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        let store = try CompetitionsStore(path: configuration.databasePath, producer: id)
        let bus = try ProgrammeBus(programme: .competitions, id: id, database: store.database, mqtt: configuration.mqtt,
                                   inbox: configuration.inbox, outbox: configuration.outbox, logger: logger) { outbox in
            store.recordsEnqueued.onEnqueue { [outbox] in outbox.wake() }
            return CompetitionsIngest(store: store)
        }
        logger.info("competitions service started", metadata: [
            "competitions.database": "\(store.path)", "mqtt.broker": "\(configuration.mqtt.host):\(configuration.mqtt.port)",
        ])
        try await bus.run { await self.publishState(store: store, client: bus.client) }
        logger.info("competitions service stopped", metadata: ["competitions.database": "\(store.path)"])
    }

    /// Publishes changed fixtures and standings, retained, every `upkeepInterval`, until shutdown.
    private func publishState(store: CompetitionsStore, client: MQTTClient) async {
        var first = true
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                for document in try store.takeStateDocuments(now: configuration.clock(), all: first) {
                    do {
                        try await client.publish(document.topic, payload: try WanxiaJSON.encode(document), qos: .atLeastOnce, retain: true)
                    } catch {
                        try store.markStateDirty(document.id.rawValue)
                        throw error
                    }
                }
                first = false
            } catch {
                logger.warning("publishing fixtures and standings failed; trying again later", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.upkeepInterval) }
        }
    }
}
