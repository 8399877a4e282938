import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WanxiaContract
import WanxiaDelivery
import WanxiaDeliveryTesting
import WanxiaMQTT
import WanxiaRegistrar
import WanxiaTesting
@testable import WanxiaVolunteers

@Suite("A half-day at two sites through a real broker, into a real registrar")
struct HalfDayScenarioTests {
    /// Hand-computed (0.5 h steps rounded down, minimum share 50 %):
    /// legal aid 09:00-12:00 at dongcheng-centre
    ///   P-001 (leader) 08:45-12:10 -> 09:00-12:00 = 3.0
    ///   P-002          09:10-11:50 = 2 h 40 -> 2.5
    ///   P-003          09:20, forgets to check out -> auto-closed at 12:00 = 2 h 40 -> 2.5;
    ///                  the leader corrects it from the tablet to 1.5 (left at 11:00)
    /// performance 08:30-11:30 at xicheng-hall
    ///   P-004 (leader) 08:25-11:35 -> 08:30-11:30 = 3.0
    ///   P-005          08:40-10:00 = 1 h 20 = 44 % -> 0 (too-short)
    ///   P-006          08:30-09:30 and 10:00-11:30 = 2 h 30 -> 2.5 (0 + 2.5)
    /// Team law 3.0 + 2.5 + 1.5 = 7.0; team arts 3.0 + 0 + 2.5 = 5.5.
    static let expected: [String: Double] = ["P-001": 3, "P-002": 2.5, "P-003": 1.5, "P-004": 3, "P-005": 0, "P-006": 2.5]

    @Test("check-ins, check-outs, a forgotten check-out, a tablet correction: the registrar's totals match by hand")
    func halfDay() async throws {
        try await TestBroker.with { broker in
            let folder = try TemporaryDirectory.make(prefix: "wanxia-volunteers-scenario")
            defer { try? FileManager.default.removeItem(at: folder) }
            let book = try Book(directory: folder)
            let clock = TestClock(t("2024-05-12T08:00"))

            var mqtt = MQTTConfiguration(host: broker.host, port: broker.port, clientID: "volunteers")
            mqtt.reconnect = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500))
            var outbox = Outbox.Configuration()
            outbox.ackTimeout = .milliseconds(500)
            outbox.maxAckTimeout = .seconds(2)
            let volunteers = VolunteersService(configuration: .init(
                dataDirectory: folder, mqtt: mqtt, upkeepInterval: .milliseconds(50),
                rosterHorizon: 20 * 365 * 86_400, clock: { clock.now }, outbox: outbox))
            var registrarMQTT = mqtt
            registrarMQTT.clientID = "registrar"
            let registrarFolder = folder.appendingPathComponent("registrar")
            let registrar = RegistrarService(configuration: .init(dataDirectory: registrarFolder, mqtt: registrarMQTT))
            let group = ServiceGroup(services: [volunteers, registrar], logger: Logger(label: "test"))
            let running = Task { try await group.run() }

            // The retained roster reaches a site that subscribes afterwards, names masked.
            let watcher = try await makeClient(broker, id: "roster-watcher")
            let roster = Mutex<Roster?>(nil)
            let listener = Task {
                for await message in watcher.messages {
                    if let value = try? WanxiaJSON.decode(Roster.self, from: message.payload) { roster.withLock { $0 = value } }
                }
            }
            try await eventually("the roster is published") {
                try await watcher.subscribe(Topic.roster(site: "dongcheng-centre", programme: .volunteers))
                return roster.withLock { $0 != nil }
            }
            let published = try #require(roster.withLock { $0 })
            #expect(published.activities.map(\.activity) == [legalAid.id])
            #expect(published.people.map(\.displayName) == ["张*华", "李*", "王*英"])
            #expect(published.people.map(\.card) == ["C001", "C002", "C003"])

            // Two sites' kiosks send their scans (one card not on the roster).
            let east = try await Producer.start(broker, folder: folder, site: "dongcheng-centre")
            let west = try await Producer.start(broker, folder: folder, site: "xicheng-hall")
            func scans(_ site: Producer, _ activity: Activity, _ list: [(String, String, String)]) throws {
                let bodies = list.map { kind, card, time in
                    let scan = CardScan(activity: activity.id, card: card)
                    return (body: kind == "in" ? Observation.checkin(scan) : .checkout(scan),
                            topic: Topic.observations(site: site.site, programme: .volunteers), at: t("2024-05-12T\(time)"))
                }
                try site.outbox.enqueue(bodies)
            }
            try scans(east, legalAid, [("in", "C001", "08:45"), ("in", "C002", "09:10"), ("in", "C003", "09:20"),
                                       ("in", "C404", "09:25"), ("out", "C002", "11:50"), ("out", "C001", "12:10")])
            try scans(west, performance, [("in", "C004", "08:25"), ("in", "C006", "08:30"), ("in", "C005", "08:40"),
                                          ("out", "C006", "09:30"), ("out", "C005", "10:00"), ("in", "C006", "10:00"),
                                          ("out", "C006", "11:30"), ("out", "C004", "11:35")])
            try await eventually("both sites' scans answered") {
                try east.outbox.status().pending == 0 && west.outbox.status().pending == 0
            }
            #expect(try east.outbox.rejectedItems().map(\.code) == ["not-on-roster"])
            #expect(try west.outbox.status().rejected == 0)

            // The afternoon: the service closes P-003's forgotten check-out by itself.
            clock.set(t("2024-05-12T14:30"))
            try await eventually("the forgotten check-out is auto-closed") {
                try book.standing("P-003").map(\.status) == ["auto-closed"]
            }
            #expect(try book.standing("P-003").map(\.hours) == [2.5])

            // The leader corrects it from the tablet.
            let correction = Confirmation(activity: legalAid.id, leader: "P-001", decision: .correct,
                                          corrections: [.init(person: "P-003", hours: 1.5, reason: "11点提前离开，忘记签退")])
            try east.outbox.enqueue(Observation.confirmation(correction),
                                    to: Topic.observations(site: east.site, programme: .volunteers), at: t("2024-05-12T15:00"))

            // Everything reaches the registrar.
            let store = try RegistrarStore(path: registrarFolder.appendingPathComponent("registrar.sqlite").path,
                                           configuration: .init(readOnly: true))
            try await eventually("the registrar holds the corrected hours and the outboxes are empty") {
                guard try east.outbox.status().pending == 0,
                      try Outbox.status(ofDatabaseAt: folder.appendingPathComponent("volunteers.sqlite").path).pending == 0
                else { return false }
                return (try? store.queries.personHistory(person: "P-003").totalHours) == 1.5
            }
            #expect(try Outbox.status(ofDatabaseAt: folder.appendingPathComponent("volunteers.sqlite").path).rejected == 0)
            for (person, hours) in Self.expected {
                #expect(try store.queries.personHistory(person: person).totalHours == hours, "\(person)")
            }
            let law = try store.queries.groupParticipation(group: GroupRef(kind: .team, id: "law"))
            let arts = try store.queries.groupParticipation(group: GroupRef(kind: .team, id: "arts"))
            #expect(law.hours == 7.0)
            #expect(arts.hours == 5.5)
            #expect(law.events == 1 && law.personTimes == 3 && law.distinctPeople == 3)
            #expect(arts.personTimes == 3)
            let history = try store.queries.personHistory(person: "P-003")
            #expect(history.records.map(\.status) == ["served"])
            #expect(history.records.map(\.ledger) == [.clocked])
            #expect(try store.queries.personHistory(person: "P-001").records.map(\.role) == ["leader"])
            #expect(try store.statistics().corrections == 1)

            await east.stop()
            await west.stop()
            listener.cancel()
            await watcher.shutdown()
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
