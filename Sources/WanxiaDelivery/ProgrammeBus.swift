import Foundation
import GRDB
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaMQTT

/// What every programme service runs on the bus: one MQTT client with its presence and Will, a
/// router, an inbox of its programme's observations from all sites, and an outbox of records to
/// the registrar.
///
/// Make it in the service's `run()`, after opening the service's file, then call ``run(alongside:)``
/// with the service's own periodic work (closing sessions, publishing rosters or standings).
/// The client id is the service id; records go to `wanxia/v1/registrar/records/{id}`, answers
/// come on `wanxia/v1/service/{id}/ack|reject`, presence on `wanxia/v1/service/{id}/status`.
public struct ProgrammeBus: Sendable {
    public let id: TopicID
    public let client: MQTTClient
    public let outbox: Outbox
    private let router: MessageRouter
    private let inbox: Inbox
    private let presence: PresenceAnnouncer
    private let logger: Logger

    /// Wires the parts; `handler` gets the outbox, to wake it when it has enqueued records.
    /// Throws if the MQTT settings are invalid or the file cannot be read.
    public init(programme: Programme, id: TopicID, database: DatabasePool, mqtt: MQTTConfiguration,
                inbox inboxConfiguration: Inbox.Configuration = .init(), outbox outboxConfiguration: Outbox.Configuration = .init(),
                logger: Logger, handler: (Outbox) -> any InboxHandler) throws {
        let identity = PresenceAnnouncer.Identity(client: id, role: .service, topic: Topic.serviceStatus(service: id),
                                                  epoch: try PresenceAnnouncer.nextEpoch(in: database), version: "0.1.0")
        var mqtt = mqtt
        mqtt.clientID = id.rawValue
        mqtt.will = identity.will
        self.id = id
        self.logger = logger
        client = try MQTTClient(configuration: mqtt, logger: logger)
        router = MessageRouter(client: client, logger: logger)
        outbox = Outbox(database: database, producer: id, client: client, router: router,
                        ackTopic: Topic.serviceAck(service: id), rejectTopic: Topic.serviceReject(service: id),
                        configuration: outboxConfiguration, logger: logger)
        inbox = Inbox(database: database, client: client, router: router, consumer: id,
                      subscriptions: [Topic.allObservations(programme: programme)], handler: handler(outbox),
                      configuration: inboxConfiguration, logger: logger)
        presence = PresenceAnnouncer(identity: identity, client: client, logger: logger)
    }

    /// Connects (retrying forever) and runs the parts and `alongside` until graceful shutdown;
    /// then the inbox finishes its commit and the client disconnects cleanly, or, with no broker
    /// to disconnect from, is shut down (``StopWithoutBroker``). If a part fails, the client is
    /// shut down and the error rethrown.
    public func run(alongside: @escaping @Sendable () async -> Void = {}) async throws {
        client.start()
        let (router, inbox, outbox, presence, client) = (router, inbox, outbox, presence, client)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await router.run() }
            group.addTask {
                do {
                    try await StopWithoutBroker.run([client]) {
                        try await withThrowingTaskGroup(of: Void.self) { parts in
                            parts.addTask { try await inbox.run() }
                            parts.addTask { try await outbox.run() }
                            parts.addTask { try await presence.run() }
                            parts.addTask { await alongside() }
                            try await parts.waitForAll()
                        }
                    }
                } catch {
                    await client.shutdown()
                    guard StopWithoutBroker.isCleanStop(error) else { throw error }
                }
                await client.shutdown()
            }
            try await group.waitForAll()
        }
    }
}
