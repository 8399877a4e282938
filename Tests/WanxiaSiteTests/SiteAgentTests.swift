import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaDelivery
import WanxiaDeliveryTesting
import WanxiaMQTT
@testable import WanxiaSite
import WanxiaTesting
import WanxiaBroker

extension SiteAgent: RunnableService {}

@Suite("The site agent against a real broker")
struct SiteAgentTests {
    static let site: TopicID = "dongcheng-centre"

    func configuration(_ broker: TestBroker, folder: URL) -> SiteConfiguration {
        var configuration = SiteConfiguration()
        configuration.site = Self.site
        configuration.port = broker.port
        configuration.data = folder.path
        return configuration
    }

    @Test("it greets a card on the retained roster by name, toggles in and out, and delivers everything once")
    func rosterAndDelivery() async throws {
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                let consumer = try await Consumer.start(broker, folder: folder)
                let service = try await makeClient(broker, id: "roster-publisher")
                let now = Date()
                let roster = Roster(programme: .volunteers, site: Self.site, updatedAt: now,
                                    activities: [.init(activity: "act-2023-0412", title: "法律援助进社区",
                                                       start: now.addingTimeInterval(-600), end: now.addingTimeInterval(3600))],
                                    people: [.init(card: "0012345678", person: "p-0001", displayName: "张*华", activities: ["act-2023-0412"])])
                try await service.publish(Topic.roster(site: Self.site, programme: .volunteers),
                                          payload: try WanxiaJSON.encode(roster), retain: true)

                let agent = try SiteAgent(configuration: configuration(broker, folder: folder))
                let running = Running([agent])
                try await eventually("roster received") { try agent.rostersForTesting.roster(for: .volunteers) != nil }

                let checkin = agent.submit("0012345678")
                #expect(checkin.ok)
                #expect(checkin.message.contains("张*华"))
                #expect(checkin.message.contains("法律援助进社区"))
                #expect(checkin.message.contains("Checked in"))
                let checkout = agent.submit("0012345678")
                #expect(checkout.message.contains("Checked out"))
                let stranger = agent.submit("checkin 0099999999")
                #expect(stranger.ok)
                #expect(stranger.message.contains("not on the roster"))
                let garbage = agent.submit("attendance only-two")
                #expect(!garbage.ok)

                try await eventually("all delivered") { try agent.outbox.status().pending == 0 }
                #expect(try agent.outbox.status().delivered == 3)
                #expect(try consumer.receivedCount() == 3)
                let types = try await consumer.database.read { db in try String.fetchAll(db, sql: "SELECT type FROM received ORDER BY seq") }
                #expect(types == ["checkin", "checkout", "checkin"])

                // Its presence is retained and online, numbered above every earlier start.
                let watcher = try await makeClient(broker, id: "watcher")
                try await watcher.subscribe(Topic.siteStatus(site: Self.site))
                var presence: Presence?
                for await message in watcher.messages {
                    presence = try WanxiaJSON.decode(Presence.self, from: message.payload)
                    break
                }
                #expect(presence?.online == true)
                #expect((presence?.connection ?? 0) > 1_000_000)

                await running.stop()
                await watcher.shutdown()
                await service.shutdown()
                await consumer.stop()
            }
        }
    }

    @Test("a full disk refuses new input loudly and loses nothing already stored")
    func fullDisk() async throws {
        try await TemporaryDirectory.with { folder in
            var configuration = SiteConfiguration()
            configuration.site = Self.site
            configuration.port = try FreePort.find()  // offline: nothing listens there
            configuration.data = folder.path
            configuration.activity = "act-1"
            let agent = try SiteAgent(configuration: configuration)
            // SQLite's own limit stands in for a full disk: the same SQLITE_FULL error, reproducibly.
            let pages = try await agent.database.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count")! }
            try await agent.database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = \(pages + 3)") }
            var stored = 0
            var refusal: SiteReply?
            for n in 0..<10_000 {
                let reply = agent.submit("checkin card-\(n)")
                if !reply.ok { refusal = reply; break }
                stored += 1
            }
            let message = try #require(refusal?.message)
            #expect(message.contains("NOT RECORDED"))
            #expect(message.contains("disk is full"))
            #expect(stored > 0)
            #expect(try agent.outbox.status().pending == stored)
            // When space returns, input is taken again.
            try await agent.database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
            #expect(agent.submit("checkin card-after").ok)
            #expect(try agent.outbox.status().pending == stored + 1)
            await agent.client.shutdown()
        }
    }

    @Test("killed with SIGKILL while offline with 10,000 check-ins queued, restarted: all delivered, none twice")
    func killedWhileOffline() async throws {
        let wanxia = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wanxia")
        try #require(FileManager.default.isExecutableFile(atPath: wanxia.path), "build the wanxia executable first (swift build)")
        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                await broker.stop()  // the site is offline: its broker's port is closed
                let input = folder.appendingPathComponent("swipes.txt")
                let count = 10_000
                try (0..<count).map { "checkin card-\($0) act-2023-0412" }.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
                let arguments = ["site", "run", "--site", Self.site.description, "--data", folder.path,
                                 "--port", "\(broker.port)"]
                let log = folder.appendingPathComponent("agent.log")
                let first = try ChildProcess.spawn(wanxia, arguments: arguments + ["--input", input.path], output: log)
                let database = folder.appendingPathComponent("site-\(Self.site).sqlite").path
                try await eventually("all \(count) stored", timeout: .seconds(300)) {
                    (try? Outbox.status(ofDatabaseAt: database).pending) == count
                }
                first.send(SIGKILL)
                await first.exited()

                try await broker.restart()
                let consumer = try await Consumer.start(broker, folder: folder)
                let second = try ChildProcess.spawn(wanxia, arguments: arguments + ["--input", "/dev/null", "--exit-when-drained"], output: log)
                try await eventually("the restarted agent drained and exited", timeout: .seconds(300)) { second.hasExited }
                #expect(second.exitStatus == 0)
                #expect(try consumer.receivedCount() == count)
                let distinctCards = try await consumer.database.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT id) FROM received")!
                }
                #expect(distinctCards == count)
                let status = try Outbox.status(ofDatabaseAt: database)
                #expect(status.pending == 0)
                #expect(status.delivered == count)
                await consumer.stop()
            }
        }
    }
}
