import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaDelivery
import WanxiaDeliveryTesting
import WanxiaMQTT
import WanxiaSite
import WanxiaTesting

/// A site's link to the broker breaks while check-ins stream in: cut abruptly, black-holed
/// silently, or slow. The site talks to the broker through a ``LinkProxy``; the consumer (a
/// recording inbox, standing in for the volunteers service) talks to the broker directly.
///
/// Sizes: 2,000 check-ins per run for the cut and the black hole (each kiosk line is one
/// `synchronous=FULL` commit, about 2-4 ms in a debug build) and 1,200 over the slow link (about
/// 240 kB of batches at a 32 kB/s cap: ~8 s of transfer, plus resends when an acknowledgement is
/// slower than the outbox's timeout). The black hole waits out a 5 s keep-alive (the agent's own is
/// 30 s, which would cost a minute per run).
@Suite("A site's link to the broker: cut, black-holed, slow", .serialized)
struct LinkFaultTests {
    static let activity = "act-link"

    @Test("the link is cut abruptly several times mid-stream: every check-in delivered once, the outbox empty, the kiosk honest while down",
          .timeLimit(.minutes(2)))
    func cutLink() async throws {
        var random = SplitMix64(seed: SiteFaultSeed.make(for: "LinkFaultTests.cutLink"))
        let total = 2_000
        let cutAt = Set((0..<4).map { _ in 100 + Int(random.below(UInt64(total - 200))) })
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let proxy = try LinkProxy(forwardingTo: broker.port)
                defer { proxy.stop() }
                let consumer = try await Consumer.start(broker, folder: folder)
                let agent = try SiteAgent(configuration: Self.site("link-cut", port: proxy.port, folder: folder))
                let running = Running([SiteAgentRunner(agent: agent)])
                try await eventually("the agent is connected through the proxy") { agent.client.state.isConnected }

                var recorded: [MessageID] = []
                for n in 0..<total {
                    if cutAt.contains(n) {
                        try await eventually("the agent is connected before the cut") { agent.client.state.isConnected }
                        let cut = proxy.cut(stayDown: true)
                        #expect(cut >= 1, "the agent's connection was open when cut")
                        try await eventually("the agent notices the cut") { !agent.client.state.isConnected }
                        // The kiosk keeps taking cards while the link is down, and says what it did.
                        let burst = 10 + Int(random.below(90))
                        for k in 0..<burst {
                            recorded.append(try Self.expectStoredAndPending(agent.submit("checkin down-\(n)-\(k)"), agent))
                        }
                        let status = agent.submit("status").message
                        let pending = try agent.outbox.status().pending
                        #expect(pending >= burst)
                        #expect(status.contains("\(pending) waiting to be delivered"), "\(status)")
                        #expect(status.contains("NOT connected") || status.contains("connecting"), "\(status)")
                        proxy.restore()
                    }
                    recorded.append(try Self.expectStored(agent.submit("checkin card-\(n)"), agent))
                    // A stream that arrives over time, so the cuts fall mid-delivery.
                    if n % 50 == 49 { try await Task.sleep(for: .milliseconds(5)) }
                }
                try await eventually("everything acknowledged", timeout: .seconds(90)) { try agent.outbox.status().pending == 0 }
                try await Self.expectDeliveredOnce(recorded, to: consumer, from: agent.outbox)
                #expect(proxy.acceptedConnections > cutAt.count, "the agent reconnected after every cut")
                await running.stop()
                await consumer.stop()
            }
        }
    }

    @Test("the link is black-holed until the keep-alive notices, then restored: every check-in delivered once, the outbox empty",
          .timeLimit(.minutes(2)))
    func blackHole() async throws {
        var random = SplitMix64(seed: SiteFaultSeed.make(for: "LinkFaultTests.blackHole"))
        let total = 2_000
        let holeAt = 300 + Int(random.below(1_000))
        let keepAlive = 5
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let proxy = try LinkProxy(forwardingTo: broker.port)
                defer { proxy.stop() }
                let consumer = try await Consumer.start(broker, folder: folder)
                let site = try await LinkSiteProducer.start(site: "link-hole", port: proxy.port, keepAlive: keepAlive, folder: folder)

                // Every state the client goes through, from before the hole on: the first loss is the one to explain.
                let states = site.client.stateChanges()
                let firstLoss = Task { () -> (reason: MQTTError, at: ContinuousClock.Instant)? in
                    for await state in states {
                        if case .disconnected(let reason) = state { return (reason, .now) }
                    }
                    return nil
                }
                var recorded: [MessageID] = []
                var holeStarted = ContinuousClock.now
                for n in 0..<total {
                    if n == holeAt {
                        proxy.blackHole()
                        holeStarted = .now
                    }
                    recorded.append(try site.checkIn(card: "card-\(n)"))
                    if n % 50 == 49 { try await Task.sleep(for: .milliseconds(5)) }
                }
                // Nothing errs on the socket: only the client's keep-alive can find the link dead.
                let loss = try #require(await firstLoss.value)
                let noticed = loss.at - holeStarted
                print("LinkFaultTests.blackHole: hole at check-in \(holeAt); keep-alive \(keepAlive) s noticed after \(noticed): \(loss.reason)")
                #expect(loss.reason.mosquittoCode == 19, "MOSQ_ERR_KEEPALIVE ended the connection, not \(loss.reason)")
                #expect(noticed >= .seconds(keepAlive - 1), "the connection ended sooner than a keep-alive could notice")
                #expect(proxy.openConnections >= 1, "the proxy closed nothing itself")
                #expect(try site.outbox.status().pending > 0, "items were held in the hole")
                proxy.restore()
                try await eventually("everything acknowledged", timeout: .seconds(60)) { try site.outbox.status().pending == 0 }
                try await Self.expectDeliveredOnce(recorded, to: consumer, from: site.outbox)
                await site.stop()
                await consumer.stop()
            }
        }
    }

    @Test("a slow link (200 ms each way, 32 kB/s) for the whole run: every check-in delivered once, the outbox empty",
          .timeLimit(.minutes(2)))
    func slowLink() async throws {
        var random = SplitMix64(seed: SiteFaultSeed.make(for: "LinkFaultTests.slowLink"))
        let total = 1_200
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let proxy = try LinkProxy(forwardingTo: broker.port,
                                          shape: .init(latency: .milliseconds(200), bytesPerSecond: 32 * 1024))
                defer { proxy.stop() }
                let consumer = try await Consumer.start(broker, folder: folder)
                let agent = try SiteAgent(configuration: Self.site("link-slow", port: proxy.port, folder: folder))
                let running = Running([SiteAgentRunner(agent: agent)])
                let started = ContinuousClock.now
                var recorded: [MessageID] = []
                for n in 0..<total {
                    // The kiosk answers at once, whatever the link: the answer is about storing, not sending.
                    recorded.append(try Self.expectStored(agent.submit("checkin card-\(n)"), agent))
                    if random.below(25) == 0 { try await Task.sleep(for: .milliseconds(20)) }
                }
                try await eventually("everything acknowledged", timeout: .seconds(100)) { try agent.outbox.status().pending == 0 }
                print("LinkFaultTests.slowLink: \(total) check-ins acknowledged over the slow link in \(ContinuousClock.now - started)")
                try await Self.expectDeliveredOnce(recorded, to: consumer, from: agent.outbox)
                await running.stop()
                await consumer.stop()
            }
        }
    }

    // MARK: Helpers

    static func site(_ id: TopicID, port: Int, folder: URL) -> SiteConfiguration {
        var configuration = SiteConfiguration()
        configuration.site = id
        configuration.port = port
        configuration.data = folder.path
        configuration.activity = activity
        return configuration
    }

    /// The reply says the check-in was recorded, and it is in the site's file.
    static func expectStored(_ reply: SiteReply, _ agent: SiteAgent,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> MessageID {
        #expect(reply.ok, "\(reply.message)", sourceLocation: sourceLocation)
        #expect(reply.message.contains("Checked in"), "\(reply.message)", sourceLocation: sourceLocation)
        let id = try #require(reply.recorded, "a check-in the kiosk answered has an id", sourceLocation: sourceLocation)
        return id
    }

    /// As ``expectStored(_:_:sourceLocation:)``, and while the link is down the item is still
    /// waiting in the site's file: the kiosk said "recorded", not "delivered".
    static func expectStoredAndPending(_ reply: SiteReply, _ agent: SiteAgent,
                                       sourceLocation: SourceLocation = #_sourceLocation) throws -> MessageID {
        let id = try expectStored(reply, agent, sourceLocation: sourceLocation)
        let state = try agent.database.read { db in
            try Int.fetchOne(db, sql: "SELECT state FROM outbox WHERE id = ?", arguments: [id.description])
        }
        #expect(state == 0, "the item \(id) is stored and waiting", sourceLocation: sourceLocation)
        #expect(reply.message.contains("recorded"), "\(reply.message)", sourceLocation: sourceLocation)
        return id
    }

    /// The consumer holds exactly the recorded ids, each once; the outbox counted each delivered.
    static func expectDeliveredOnce(_ recorded: [MessageID], to consumer: Consumer, from outbox: Outbox,
                                    sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let received = try await consumer.database.read { db in try String.fetchAll(db, sql: "SELECT id FROM received") }
        let expected = Set(recorded.map(\.description))
        #expect(expected.count == recorded.count, "every kiosk answer named a new item", sourceLocation: sourceLocation)
        #expect(received.count == recorded.count, "received \(received.count) of \(recorded.count)", sourceLocation: sourceLocation)
        #expect(Set(received) == expected, "missing \(expected.subtracting(received).count), unexpected \(Set(received).subtracting(expected).count)",
                sourceLocation: sourceLocation)
        let status = try outbox.status()
        #expect(status.pending == 0 && status.rejected == 0, "\(status)", sourceLocation: sourceLocation)
        #expect(status.delivered == recorded.count, "\(status)", sourceLocation: sourceLocation)
    }
}
