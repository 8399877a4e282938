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
@testable import WanxiaMentoring

@Suite("A mentoring half-year through a real broker into a real registrar, with every bus byte captured")
struct PrivacyScenarioTests {
    @Test("no name, ID number, school, guardian or birth date of a young person appears on the bus or at the registrar")
    func noIdentityLeaves() async throws {
        try await TestBroker.with { broker in
            let folder = try TemporaryDirectory.make(prefix: "wanxia-mentoring-scenario")
            defer { try? FileManager.default.removeItem(at: folder) }

            // Everything on the bus, from before the first service connects.
            let tap = try await makeClient(broker, id: "tap") { $0.receiveBuffer = 100_000 }
            let captured = Mutex<[MQTTMessage]>([])
            let listener = Task { for await message in tap.messages { captured.withLock { $0.append(message) } } }
            _ = try await tap.subscribe("#")

            // The identity officer enrols three young people and records consent, before the service runs.
            let desk = try Desk(directory: folder)
            try desk.recordConsents()

            var mqtt = MQTTConfiguration(host: broker.host, port: broker.port, clientID: "mentoring")
            mqtt.reconnect = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500))
            var outbox = Outbox.Configuration()
            outbox.ackTimeout = .milliseconds(500)
            outbox.maxAckTimeout = .seconds(2)
            let mentoring = MentoringService(configuration: .init(dataDirectory: folder, mqtt: mqtt, outbox: outbox))
            var registrarMQTT = mqtt
            registrarMQTT.clientID = "registrar"
            let registrarFolder = folder.appendingPathComponent("registrar")
            let registrar = RegistrarService(configuration: .init(dataDirectory: registrarFolder, mqtt: registrarMQTT))
            let group = ServiceGroup(services: [mentoring, registrar], logger: Logger(label: "test"))
            let running = Task { try await group.run() }

            // Staff pair them: A (12) with M-01 for sponsorship, B (16) with M-02 for guidance, C (9) with both mentors.
            let store = desk.store
            try store.propose(id: "pair-a", mentor: "M-01", youth: desk.a, kind: .sponsorship, actor: "S-01", reason: "学校推荐", at: t("2024-03-01T09:00"))
            try store.propose(id: "pair-b", mentor: "M-02", youth: desk.b, kind: .guidance, actor: "S-01", reason: "司法所推荐", at: t("2024-03-01T09:00"))
            try store.propose(id: "pair-c1", mentor: "M-01", youth: desk.c, kind: .other, actor: "S-01", reason: "社区推荐", at: t("2024-03-01T09:00"))
            try store.propose(id: "pair-c2", mentor: "M-02", youth: desk.c, kind: .other, actor: "S-01", reason: "社区推荐", at: t("2024-03-01T09:00"))
            for pair in ["pair-a", "pair-b", "pair-c1", "pair-c2"] {
                try desk.office.activate(pair: pair, actor: "S-01", reason: "审批通过", at: t("2024-03-02T09:00"))
            }

            // Mentors' phones log meetings; one names a pair that is not the mentor's.
            let phone1 = try await Producer.start(broker, folder: folder, site: "phone-m-01")
            let phone2 = try await Producer.start(broker, folder: folder, site: "phone-m-02")
            func log(_ phone: Producer, _ entries: [(String, String, Int, String)]) throws {
                try phone.outbox.enqueue(entries.map { pair, mentor, minutes, end in
                    (body: Observation.meetingLog(MeetingLog(pair: pair, mentor: mentor, minutes: minutes, mode: .visit)),
                     topic: Topic.observations(site: phone.site, programme: .mentoring), at: t(end))
                })
            }
            try log(phone1, [("pair-a", "M-01", 90, "2024-03-09T11:00"), ("pair-c1", "M-01", 60, "2024-03-16T16:00"),
                             ("pair-b", "M-01", 60, "2024-03-17T16:00")])
            try log(phone2, [("pair-b", "M-02", 120, "2024-03-10T17:00"), ("pair-c2", "M-02", 45, "2024-03-23T10:00")])

            // A sponsorship, a school talk, B's pair closes when he graduates.
            try store.sponsor(pair: "pair-a", what: "助学金 1000 元", amount: 1000, actor: "S-01", at: t("2024-03-20T10:00"))
            try store.recordTalk(Talk(kind: "法治教育报告会", title: "法治教育报告会", site: "school-talk-hall", start: t("2024-04-12T14:00"),
                                      end: t("2024-04-12T15:30"), audience: 320, speakers: ["M-01", "M-02"]))
            try store.close(pair: "pair-b", reason: "graduated", note: "考入大学", actor: "S-01", at: t("2024-06-30T09:00"))

            let registrarDB = try RegistrarStore(path: registrarFolder.appendingPathComponent("registrar.sqlite").path,
                                                 configuration: .init(readOnly: true))
            try await eventually("every record reached the registrar and the phones were answered") {
                guard try phone1.outbox.status().pending == 0, try phone2.outbox.status().pending == 0,
                      try Outbox.status(ofDatabaseAt: folder.appendingPathComponent("mentoring.sqlite").path).pending == 0
                else { return false }
                return (try? registrarDB.queries.personHistory(person: desk.b).records.count) == 2
            }
            #expect(try phone1.outbox.rejectedItems().map(\.code) == [RejectCode.notPairMentor.rawValue])
            #expect(try phone2.outbox.status().rejected == 0)
            #expect(try Outbox.status(ofDatabaseAt: folder.appendingPathComponent("mentoring.sqlite").path).rejected == 0)

            // The registrar holds the pseudonymous records: A paired, met, sponsored; B closed (the
            // paired record corrected) and met; C in two pairs.
            let a = try registrarDB.queries.personHistory(person: desk.a)
            #expect(a.records.map(\.status).sorted() == ["given", "met", "paired"])
            #expect(a.records.map(\.role).sorted() == ["mentee", "mentee", "sponsored"])
            let b = try registrarDB.queries.personHistory(person: desk.b)
            #expect(b.records.map(\.status).sorted() == ["closed", "met"])
            #expect(b.totalHours == 2)
            #expect(try registrarDB.queries.personHistory(person: desk.c).records.count == 4)
            #expect(try registrarDB.queries.personHistory(person: "M-01").records.map(\.role).sorted()
                        == ["mentor", "mentor", "mentor", "mentor", "speaker", "sponsor"])

            // The service's own figures.
            let figures = try store.figures(from: t("2024-01-01T00:00"), to: t("2024-07-01T00:00"))
            #expect(figures.pairsActive == 4 && figures.mentorsActive == 2 && figures.youngPeopleHelped == 3)
            #expect(figures.studentsSponsored == 1 && figures.talksHeld == 1 && figures.audienceReached == 320)
            #expect(figures.meetings == 4 && figures.meetingHours == 5.25 && figures.pairsClosed == ["graduated": 1])

            await phone1.stop()
            await phone2.stop()
            await group.triggerGracefulShutdown()
            try await running.value
            // The tap has seen the services go offline: the last presence messages are in.
            try await eventually("the tap saw the mentoring service's offline status") {
                captured.withLock { messages in
                    messages.contains { message in
                        message.topic == Topic.serviceStatus(service: "mentoring")
                            && (try? WanxiaJSON.decode(Presence.self, from: message.payload))?.online == false
                    }
                }
            }
            listener.cancel()
            #expect(tap.statistics.droppedMessages == 0)
            await tap.shutdown()

            let messages = captured.withLock { $0 }
            var bus = Data()
            for message in messages {
                bus.append(Data(message.topic.utf8))
                bus.append(message.payload)
            }
            // The capture is real: records with the pseudonyms, meeting logs and rejects went by.
            #expect(messages.contains { $0.topic == Topic.records(producer: "mentoring") })
            #expect(messages.contains { $0.topic == Topic.observations(site: "phone-m-01", programme: .mentoring) })
            #expect(messages.contains { $0.topic == Topic.siteReject(site: "phone-m-01") })
            for pseudonym in [desk.a, desk.b, desk.c] { #expect(bus.range(of: Data(pseudonym.utf8)) != nil) }

            let registrarBytes = try bytesOfFiles(in: registrarFolder)
            #expect(registrarBytes.range(of: Data(desk.a.utf8)) != nil)
            for minor in [minorA, minorB, minorC] {
                #expect(leaks(of: minor.secrets, in: bus).isEmpty, "on the bus: \(minor.name)")
                #expect(leaks(of: minor.secrets, in: registrarBytes).isEmpty, "at the registrar: \(minor.name)")
            }
            // The check itself can see a leak: a mentor's name (a retiree's, allowed) is on the bus.
            #expect(!leaks(of: ["张建华"], in: bus).isEmpty)
        }
    }
}
