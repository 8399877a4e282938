import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery
import WanxiaDeliveryTesting
import WanxiaMQTT
import WanxiaTesting

/// A site's durable outbox (the one `SiteAgent` runs) with its own MQTT client, for a link test
/// that needs a shorter keep-alive than the agent's fixed 30 s.
///
/// Same file layout, topics and outbox as a site agent; the client connects to `port` (a
/// ``LinkProxy``) and reconnects every 50-500 ms. Call ``stop()`` before the test ends.
struct LinkSiteProducer: Sendable {
    let site: TopicID
    let client: MQTTClient
    let outbox: Outbox
    let running: Running

    static func start(site: TopicID, port: Int, keepAlive: Int, folder: URL) async throws -> LinkSiteProducer {
        let database = try Producer.open(folder: folder, site: site)
        var mqtt = MQTTConfiguration(host: "127.0.0.1", port: port, clientID: site.description, keepAlive: keepAlive)
        mqtt.reconnect = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500))
        let client = try MQTTClient(configuration: mqtt)
        try await client.connect(timeout: .seconds(10))
        let router = MessageRouter(client: client)
        var configuration = Outbox.Configuration()
        configuration.ackTimeout = .seconds(1)
        configuration.maxAckTimeout = .seconds(4)
        let outbox = Outbox(database: database, producer: site, client: client, router: router,
                            ackTopic: Topic.siteAck(site: site), rejectTopic: Topic.siteReject(site: site),
                            configuration: configuration)
        return LinkSiteProducer(site: site, client: client, outbox: outbox, running: Running([router, outbox]))
    }

    /// Commits one check-in, as the agent does for a kiosk line; returns its id.
    func checkIn(card: String) throws -> MessageID {
        try outbox.enqueue(Observation.checkin(CardScan(activity: "act-link", card: card)),
                           to: Topic.observations(site: site, programme: .volunteers)).id
    }

    func stop() async {
        await running.stop()
        await client.shutdown()
    }
}
