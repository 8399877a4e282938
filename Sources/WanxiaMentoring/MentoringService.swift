import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT

/// The mentoring service as a long-running `Service`: its inbox, its outbox and its presence.
///
/// `run()` opens (or creates) `mentoring.sqlite` in the data folder, never the identity file, and
/// runs one MQTT client (`{id}`): the inbox takes `meeting-log` observations on
/// `wanxia/v1/site/+/obs/mentoring` and applies them with ``MentoringIngest`` (records derived in
/// the same transaction); the outbox sends records to `wanxia/v1/registrar/records/{id}` until the
/// registrar acknowledges them, including those the CLI committed to the file (activations,
/// closures, sponsorships, talks). Nothing it publishes carries a young person's identity: the file
/// it reads holds none. On graceful shutdown the inbox finishes its commit, then the client
/// disconnects cleanly.
public struct MentoringService: Service {
    /// Where the service keeps its file and how it reaches the broker.
    public struct Configuration: Sendable {
        /// The folder holding `mentoring.sqlite` (created if missing).
        public var dataDirectory: URL
        /// Broker address, credentials and TLS; the client id is set from `id`.
        public var mqtt: MQTTConfiguration
        /// The service's id on the bus: client id, consumer of site acks, producer of records.
        public var id: TopicID
        public var inbox: Inbox.Configuration
        public var outbox: Outbox.Configuration

        public init(dataDirectory: URL, mqtt: MQTTConfiguration = MQTTConfiguration(clientID: "mentoring"),
                    id: TopicID = "mentoring", inbox: Inbox.Configuration = .init(), outbox: Outbox.Configuration = .init()) {
            self.dataDirectory = dataDirectory
            self.mqtt = mqtt
            self.id = id
            self.inbox = inbox
            self.outbox = outbox
        }

        /// The operational file in `dataDirectory`.
        public var databasePath: String { dataDirectory.appendingPathComponent("mentoring.sqlite").path }
        /// The identity file in `dataDirectory` (used by the CLI with the identity-officer role only).
        public var identityPath: String { dataDirectory.appendingPathComponent("mentoring-identity.sqlite").path }
    }

    public let configuration: Configuration
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger = Logger(label: "wanxia.mentoring")) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let id = configuration.id
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        let store = try MentoringStore(path: configuration.databasePath, producer: id)
        let bus = try ProgrammeBus(programme: .mentoring, id: id, database: store.database, mqtt: configuration.mqtt,
                                   inbox: configuration.inbox, outbox: configuration.outbox, logger: logger) { outbox in
            MentoringIngest(ledger: store.ledger, recordsEnqueued: { [outbox] in outbox.wake() })
        }
        logger.info("mentoring service started", metadata: [
            "mentoring.database": "\(store.path)", "mqtt.broker": "\(configuration.mqtt.host):\(configuration.mqtt.port)",
        ])
        try await bus.run()
        logger.info("mentoring service stopped", metadata: ["mentoring.database": "\(store.path)"])
    }
}
