import Foundation
import Logging
import Testing
import WanxiaBroker
import WanxiaContract
import WanxiaDeliveryTesting
import WanxiaMQTT
import WanxiaRegistrar
import WanxiaTesting

extension RegistrarService: RunnableService {}

/// The shipped broker configuration (Deploy/mosquitto.conf, Deploy/acl) with accounts made by
/// `wanxia deploy`, against a real mosquitto: who may connect, write and read what.
///
/// "Never arrived" is proved with a marker: the forbidden messages are published first, then an
/// allowed one on the same connection; mosquitto handles one connection's messages in order, so
/// once the marker is in, anything forbidden that was going to arrive would have.
@Suite("Broker security with the Deploy/ configuration", .timeLimit(.minutes(2)))
struct BrokerSecurityTests {
    @Test("anonymous clients and wrong passwords are refused on both listeners")
    func anonymousRefused() async throws {
        try await DeployedBroker.with { deployed in
            let ca = deployed.deployment.caCertificate.path
            for (user, password, tls) in [(nil, nil, nil), (nil, nil, ca), ("dongcheng-centre", "wrong-password", ca),
                                          ("registrar", "wrong-password", nil)] as [(String?, String?, String?)] {
                let client = try MQTTClient(configuration: deployed.settings(user: user, password: password, clientID: "anon-probe", tls: tls))
                let error = await #expect(throws: MQTTError.self, "user \(user ?? "anonymous") tls \(tls != nil)") {
                    try await client.connect(timeout: .seconds(5))
                }
                #expect(error?.code == .connectionRefused)
                await client.shutdown()
            }
        }
    }

    @Test("a site writes only its own observation topics: not another site's, not registrar records, not state")
    func siteWritesOnlyItsOwnTopics() async throws {
        try await DeployedBroker.with { deployed in
            let volunteers = try await deployed.service("volunteers")
            let registrar = try await deployed.service("registrar")
            let display = try await deployed.service("monitor")
            let atVolunteers = Received(volunteers)
            let atRegistrar = Received(registrar)
            let atMonitor = Received(display)
            _ = try await volunteers.subscribe("wanxia/v1/site/+/obs/volunteers")
            _ = try await registrar.subscribe("wanxia/v1/registrar/records/+")
            _ = try await display.subscribe("wanxia/v1/site/+/status")

            let site = try await deployed.site("dongcheng-centre")
            let forbidden = [
                "wanxia/v1/site/xicheng-hall/obs/volunteers",
                "wanxia/v1/registrar/records/dongcheng-centre",
                "wanxia/v1/registrar/records/volunteers",
                "wanxia/v1/site/xicheng-hall/status",
                "wanxia/v1/state/volunteers/roster/x",
            ]
            for topic in forbidden {
                // MQTT 5 reports "not authorised" in the PUBACK; either way nothing may arrive.
                try? await site.publish(topic, payload: Data("{}".utf8))
            }
            try await site.publish("wanxia/v1/site/dongcheng-centre/status", payload: Data("{}".utf8))
            try await site.publish("wanxia/v1/site/dongcheng-centre/obs/volunteers", payload: Data("{}".utf8))
            try await eventually("the site's own observation reaches the volunteers service") {
                atVolunteers.has("wanxia/v1/site/dongcheng-centre/obs/volunteers")
            }
            try await eventually("the site's own status reaches the monitor") { atMonitor.has("wanxia/v1/site/dongcheng-centre/status") }
            // The volunteers service may send records: its marker shows the registrar's subscription works.
            try await volunteers.publish("wanxia/v1/registrar/records/volunteers", payload: Data("{}".utf8))
            try await eventually("the volunteers service's records reach the registrar") {
                atRegistrar.has("wanxia/v1/registrar/records/volunteers")
            }
            #expect(atVolunteers.topics == ["wanxia/v1/site/dongcheng-centre/obs/volunteers"])
            #expect(atRegistrar.topics == ["wanxia/v1/registrar/records/volunteers"])
            #expect(!atMonitor.has("wanxia/v1/site/xicheng-hall/status"))
            for client in [site, volunteers, registrar, display] { await client.shutdown() }
        }
    }

    @Test("a site reads only its own acks, rejects, rosters, commands and query replies")
    func siteReadsOnlyItsOwn() async throws {
        try await DeployedBroker.with { deployed in
            let site = try await deployed.site("dongcheng-centre")
            let atSite = Received(site)
            for filter in ["wanxia/v1/site/+/ack", "wanxia/v1/site/xicheng-hall/#", "wanxia/v1/registrar/#",
                           "wanxia/v1/site/dongcheng-centre/#"] {
                _ = try? await site.subscribe(filter)
            }
            let volunteers = try await deployed.service("volunteers")
            let query = try await deployed.service("registrar-query")
            for topic in ["wanxia/v1/site/xicheng-hall/ack", "wanxia/v1/site/xicheng-hall/reject",
                          "wanxia/v1/site/xicheng-hall/roster/volunteers", "wanxia/v1/site/xicheng-hall/cmd"] {
                try await volunteers.publish(topic, payload: Data("{}".utf8))
            }
            try await query.publish("wanxia/v1/registrar/reply/xicheng-hall", payload: Data("{}".utf8))
            try await query.publish("wanxia/v1/registrar/reply/dongcheng-centre", payload: Data("{}".utf8))
            try await volunteers.publish("wanxia/v1/site/dongcheng-centre/ack", payload: Data("{}".utf8))
            try await eventually("the site's own ack and reply arrive") {
                atSite.has("wanxia/v1/site/dongcheng-centre/ack") && atSite.has("wanxia/v1/registrar/reply/dongcheng-centre")
            }
            #expect(atSite.topics.allSatisfy { $0.hasPrefix("wanxia/v1/site/dongcheng-centre/") || $0 == "wanxia/v1/registrar/reply/dongcheng-centre" },
                    "the site received \(atSite.topics)")
            for client in [site, volunteers, query] { await client.shutdown() }
        }
    }

    @Test("another account using a site's client id neither takes over the site's connection nor writes as the site")
    func clientIDBoundToUserName() async throws {
        try await DeployedBroker.with { deployed in
            let volunteers = try await deployed.service("volunteers")
            let atVolunteers = Received(volunteers)
            _ = try await volunteers.subscribe("wanxia/v1/site/+/obs/volunteers")
            let site = try await deployed.site("dongcheng-centre")
            let impostor = try await deployed.site("xicheng-hall", clientID: "dongcheng-centre")
            try? await impostor.publish("wanxia/v1/site/dongcheng-centre/obs/volunteers", payload: Data("impostor".utf8))
            try await impostor.publish("wanxia/v1/site/xicheng-hall/obs/volunteers", payload: Data("impostor".utf8))
            try await site.publish("wanxia/v1/site/dongcheng-centre/obs/volunteers", payload: Data("site".utf8))
            try await eventually("both sites' own observations arrive") { atVolunteers.topics.count >= 2 }
            #expect(Set(atVolunteers.topics) == ["wanxia/v1/site/dongcheng-centre/obs/volunteers", "wanxia/v1/site/xicheng-hall/obs/volunteers"])
            #expect(atVolunteers.topics.count == 2)
            // The site was never disconnected: still its first connection.
            #expect(site.state.isConnected)
            #expect(site.statistics.connections == 1)
            #expect(!deployed.broker.log().contains("Client dongcheng-centre already connected"))
            for client in [site, impostor, volunteers] { await client.shutdown() }
        }
    }

    @Test("TLS with the deployment's CA connects; a client trusting another CA is refused")
    func tlsWithTheDeploymentCA() async throws {
        try await DeployedBroker.with { deployed in
            let site = try await deployed.site("dongcheng-centre")
            #expect(site.state.isConnected)
            await site.shutdown()
            try await TemporaryDirectory.with { folder in
                let other = try TestCertificates.make(in: folder, name: "another-bureau-ca")
                let credentials = try #require(deployed.sites["dongcheng-centre"])
                let client = try MQTTClient(configuration: deployed.settings(
                    user: credentials.username, password: credentials.password, tls: other.caFile))
                await #expect(throws: MQTTError.self) { try await client.connect(timeout: .seconds(3)) }
                await client.shutdown()
            }
        }
    }

    @Test("the registrar runs under its own two accounts and answers a site's query over TLS")
    func registrarAnswersOverTheDeployedBroker() async throws {
        try await DeployedBroker.with { deployed in
            try await TemporaryDirectory.with { folder in
                var mqtt = deployed.settings(user: "registrar", password: try deployed.password(ofService: "registrar"))
                mqtt.clientID = "registrar"
                let registrar = RegistrarService(configuration: .init(dataDirectory: folder, mqtt: mqtt))
                let running = Running([registrar])
                let credentials = try #require(deployed.sites["dongcheng-centre"])
                var asker = deployed.settings(user: credentials.username, password: credentials.password,
                                              tls: deployed.deployment.caCertificate.path)
                asker.clientID = credentials.username
                let request = QueryRequest(requestId: "security-1", query: .periodTotals, period: "2024H1")
                // The registrar may still be connecting: ask again until it answers.
                var reply: QueryReply?
                for _ in 0..<10 where reply == nil {
                    reply = try? await RegistrarQueryClient.ask(request, configuration: asker, timeout: .seconds(2))
                }
                #expect(reply?.ok == true)
                #expect(reply?.requestId == "security-1")
                await running.stop()
            }
        }
    }
}
