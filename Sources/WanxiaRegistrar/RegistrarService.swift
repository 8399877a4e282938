import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT

/// The registrar as a long-running `Service`: the book of record, its inbox and its query responder.
///
/// `run()` opens (or creates) `registrar.sqlite` in the data folder with the inbox's tables, then
/// runs two MQTT clients: `{consumer}` for the inbox (records on `wanxia/v1/registrar/records/+`,
/// stored by ``RegistrarIngest``, acknowledged after commit) and `{consumer}-query` for the
/// ``RegistrarQueryResponder``, so that a backlog of records never delays an answer (with a user
/// name, the second client logs in as `{user}-query` with the same password). Both keep
/// reconnecting while the broker is away. On graceful shutdown (SIGTERM/SIGINT in a
/// `ServiceGroup`) the inbox finishes the batch it is committing and the responder the request it
/// is answering; then both clients disconnect cleanly and the database closes.
public struct RegistrarService: Service {
    /// Where the registrar keeps its file and how it reaches the broker.
    public struct Configuration: Sendable {
        /// The folder holding `registrar.sqlite` (created if missing).
        public var dataDirectory: URL
        /// Broker address, credentials and TLS; the client ids are set from `consumer`.
        public var mqtt: MQTTConfiguration
        /// The registrar's id on the bus: its client id and the `consumer` of its acks.
        public var consumer: TopicID
        /// The zone in which query periods are computed.
        public var timeZone: TimeZone
        public var inbox: Inbox.Configuration

        public init(dataDirectory: URL, mqtt: MQTTConfiguration = MQTTConfiguration(clientID: "registrar"),
                    consumer: TopicID = "registrar", timeZone: TimeZone = WanxiaJSON.defaultTimeZone,
                    inbox: Inbox.Configuration = .init()) {
            self.dataDirectory = dataDirectory
            self.mqtt = mqtt
            self.consumer = consumer
            self.timeZone = timeZone
            self.inbox = inbox
        }

        /// The database file in `dataDirectory`.
        public var databasePath: String { dataDirectory.appendingPathComponent("registrar.sqlite").path }
    }

    public let configuration: Configuration
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger = Logger(label: "wanxia.registrar")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Opens the store with the inbox's migrations added, as `run()` does.
    public static func openStore(_ configuration: Configuration) throws -> RegistrarStore {
        do {
            try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw RegistrarError(.invalidArgument, "data: cannot create \(configuration.dataDirectory.path)", underlying: error)
        }
        return try RegistrarStore(path: configuration.databasePath, configuration: .init(
            timeZone: configuration.timeZone, additionalMigrations: { Inbox.registerMigrations(in: &$0) }))
    }

    public func run() async throws {
        let store = try Self.openStore(configuration)
        let identity = PresenceAnnouncer.Identity(
            client: configuration.consumer, role: .service, topic: Topic.serviceStatus(service: configuration.consumer),
            epoch: try PresenceAnnouncer.nextEpoch(in: store.database), version: "0.1.0")
        var inboxSettings = configuration.mqtt
        inboxSettings.clientID = configuration.consumer.rawValue
        inboxSettings.will = identity.will
        var querySettings = configuration.mqtt
        querySettings.clientID = configuration.consumer.rawValue + "-query"
        // A broker that binds client ids to user names (Deploy/mosquitto.conf) would let the second
        // connection take over the first under one account, so the responder has its own account,
        // `{user}-query`, with the same password (`wanxia deploy init` creates both).
        querySettings.username = configuration.mqtt.username.map { $0 + "-query" }
        let inboxClient = try MQTTClient(configuration: inboxSettings, logger: logger)
        let queryClient = try MQTTClient(configuration: querySettings, logger: logger)
        inboxClient.start()
        queryClient.start()

        let router = MessageRouter(client: inboxClient, logger: logger)
        let inbox = Inbox(database: store.database, client: inboxClient, router: router, consumer: configuration.consumer,
                          subscriptions: [Topic.allRecords], handler: RegistrarIngest(),
                          configuration: configuration.inbox, logger: logger)
        let responder = RegistrarQueryResponder(client: queryClient, queries: store.queries, logger: logger)
        let presence = PresenceAnnouncer(identity: identity, client: inboxClient, logger: logger)
        logger.info("registrar started", metadata: [
            "registrar.database": "\(store.path)", "mqtt.broker": "\(configuration.mqtt.host):\(configuration.mqtt.port)",
        ])

        try await withThrowingTaskGroup(of: Void.self) { group in
            // The router ends when the inbox client shuts down, after the inbox itself has stopped.
            group.addTask { try await router.run() }
            group.addTask {
                do {
                    try await StopWithoutBroker.run([inboxClient, queryClient]) {
                        try await withThrowingTaskGroup(of: Void.self) { parts in
                            parts.addTask { try await inbox.run() }
                            parts.addTask { try await responder.run() }
                            parts.addTask { try await presence.run() }
                            try await parts.waitForAll()
                        }
                    }
                } catch {
                    await inboxClient.shutdown()
                    await queryClient.shutdown()
                    guard StopWithoutBroker.isCleanStop(error) else { throw error }
                }
                await inboxClient.shutdown()
                await queryClient.shutdown()
            }
            try await group.waitForAll()
        }
        logger.info("registrar stopped", metadata: ["registrar.database": "\(store.path)"])
    }
}
