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
@testable import WanxiaClasses

@Suite("A full cohort through a real broker, marks from a teacher's phone and a kiosk, into a real registrar")
struct CohortScenarioTests {
    /// Hand-computed from ``cohortMarks`` (2 h sessions), with one correction from the phone after
    /// session 4 closed (L-02 was there after all):
    ///   attending learners per session: s1 4, s2 3 (L-03 excused), s3 4, s4 4 + 1 corrected, s5 3 = 19
    ///   plus the teacher at 5 sessions = 24 person-times, 48 hours, 6 people
    ///   L-02: s1 P, s2 late (kiosk 09:15), s3 P, s4 P (corrected), s5 P = 10 h
    ///   completion: L-01 and L-02 completed; L-03 (40 %), L-04 (no essay), L-05 (2/3) not.
    @Test("five Thursdays of a reading class: the registrar's figures match by hand")
    func readingCohort() async throws {
        try await TestBroker.with { broker in
            let folder = try TemporaryDirectory.make(prefix: "wanxia-classes-scenario")
            defer { try? FileManager.default.removeItem(at: folder) }
            let book = try Book(directory: folder)
            let clock = TestClock(t("2025-03-05T08:00"))

            var mqtt = MQTTConfiguration(host: broker.host, port: broker.port, clientID: "classes")
            mqtt.reconnect = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500))
            var outbox = Outbox.Configuration()
            outbox.ackTimeout = .milliseconds(500)
            outbox.maxAckTimeout = .seconds(2)
            let classes = ClassesService(configuration: .init(dataDirectory: folder, mqtt: mqtt, upkeepInterval: .milliseconds(50),
                                                              clock: { clock.now }, outbox: outbox))
            var registrarMQTT = mqtt
            registrarMQTT.clientID = "registrar"
            let registrarFolder = folder.appendingPathComponent("registrar")
            let registrar = RegistrarService(configuration: .init(dataDirectory: registrarFolder, mqtt: registrarMQTT))
            let group = ServiceGroup(services: [classes, registrar], logger: Logger(label: "test"))
            let running = Task { try await group.run() }

            // The retained roster greets learners at the kiosk: the next two weeks' sessions, names masked.
            let watcher = try await makeClient(broker, id: "roster-watcher")
            let roster = Mutex<Roster?>(nil)
            let listener = Task {
                for await message in watcher.messages {
                    if let value = try? WanxiaJSON.decode(Roster.self, from: message.payload) { roster.withLock { $0 = value } }
                }
            }
            try await eventually("the roster is published") {
                try await watcher.subscribe(Topic.roster(site: "senior-university", programme: .classes))
                return roster.withLock { $0 != nil }
            }
            let published = try #require(roster.withLock { $0 })
            #expect(published.programme == .classes)
            #expect(published.activities.map(\.activity) == [session(1), session(2)])
            #expect(published.people.map(\.card) == ["C001", "C002", "L-03", "C004", "C005"])
            #expect(published.people.map(\.displayName) == ["张*国", "李*兰", "王*明", "赵*英", "刘*华"])

            // The teacher's phone sends the marks and essays; the kiosk sends the self check-ins.
            let phone = try await Producer.start(broker, folder: folder, site: "phone-t01")
            let kiosk = try await Producer.start(broker, folder: folder, site: "senior-university")
            var fromPhone: [(body: Observation, topic: String, at: Date)] = []
            var fromKiosk: [(body: Observation, topic: String, at: Date)] = []
            for line in cohortMarks {
                guard let (body, at) = observation(line) else { continue }
                if case .checkin = body {
                    fromKiosk.append((body, Topic.observations(site: kiosk.site, programme: .classes), at))
                } else {
                    fromPhone.append((body, Topic.observations(site: phone.site, programme: .classes), at))
                }
            }
            for learner in ["L-01", "L-02", "L-03", "L-05"] {
                fromPhone.append((.essay(Essay(cohort: "reading-2025-1", learner: learner, title: "学习心得")),
                                  Topic.observations(site: phone.site, programme: .classes), t("2025-04-03T11:00")))
            }
            // One mark the service must refuse: L-05 had not enrolled by session 1.
            fromPhone.append((.attendance(AttendanceMark(session: session(1), learner: "L-05", status: .present, markedBy: "T-01")),
                              Topic.observations(site: phone.site, programme: .classes), t("2025-03-06T10:30")))
            try phone.outbox.enqueue(fromPhone)
            try kiosk.outbox.enqueue(fromKiosk)
            try await eventually("the phone's and the kiosk's observations are answered") {
                try phone.outbox.status().pending == 0 && kiosk.outbox.status().pending == 0
            }
            #expect(try phone.outbox.rejectedItems().map(\.code) == ["not-enrolled"])
            #expect(try kiosk.outbox.status().rejected == 0)

            // The sessions close by themselves as the days pass (unmarked L-02 at session 4 gets absent).
            clock.set(t("2025-04-03T14:00"))
            try await eventually("all five sessions are closed") {
                try book.store.sessions(cohort: "reading-2025-1").allSatisfy { $0.closedAt != nil }
            }
            #expect(try book.standing(session(4)).contains("L-02 learner absent 0.0"))

            // L-02 was there on 27 March after all: the teacher corrects it from the phone.
            try phone.outbox.enqueue(Observation.attendance(AttendanceMark(session: session(4), learner: "L-02", status: .present,
                                                                            markedBy: "T-01")),
                                     to: Topic.observations(site: phone.site, programme: .classes), at: t("2025-04-03T15:00"))
            try await eventually("the correction is made") { try book.standing(session(4)).contains("L-02 learner present 2.0") }

            // Suggestions collected at the last session; the cohort closes (结业) the next day.
            let first = try book.store.addSuggestion(cohort: "reading-2025-1", person: "L-01", text: "增加讨论时间", at: t("2025-04-03T16:00"))
            try book.store.addSuggestion(cohort: "reading-2025-1", person: "L-04", text: "提供大字版教材", at: t("2025-04-03T16:01"))
            try book.store.adoptSuggestion(first, at: t("2025-04-03T17:00"))
            let summaries = try book.store.closeCohort("reading-2025-1", now: t("2025-04-04T09:00"))
            #expect(summaries.filter(\.completes).map(\.person) == ["L-01", "L-02"])

            // Everything reaches the registrar.
            let store = try RegistrarStore(path: registrarFolder.appendingPathComponent("registrar.sqlite").path,
                                           configuration: .init(readOnly: true))
            let classesFile = folder.appendingPathComponent("classes.sqlite").path
            try await eventually("the registrar holds the completion records and the outbox is empty") {
                guard try Outbox.status(ofDatabaseAt: classesFile).pending == 0 else { return false }
                return (try? store.queries.personHistory(person: "L-05").records.contains { $0.status == "not-completed" }) == true
            }
            #expect(try Outbox.status(ofDatabaseAt: classesFile).rejected == 0)
            let cohort = try store.queries.groupParticipation(group: GroupRef(kind: .cohort, id: "reading-2025-1"))
            #expect(cohort.events == 5)
            #expect(cohort.personTimes == 24)
            #expect(cohort.hours == 48)
            #expect(cohort.distinctPeople == 6)
            #expect(try store.queries.personHistory(person: "L-02").totalHours == 10)
            #expect(try store.queries.personHistory(person: "T-01").records.map(\.role) == Array(repeating: "teacher", count: 5))
            for (person, status) in ["L-01": "completed", "L-02": "completed", "L-03": "not-completed", "L-04": "not-completed"] {
                let records = try store.queries.personHistory(person: person).records.filter { $0.event == "reading-2025-1" }
                #expect(records.map(\.status) == [status], "\(person)")
            }
            let totals = try store.queries.periodTotals(period: try Period(parsing: "2025H1"), programme: .classes)
            let row = try #require(totals.rows.first { $0.kind == "读书班" })
            #expect(row.events == 6)
            #expect(row.essays == 4)
            #expect(row.suggestionsCollected == 2 && row.suggestionsAdopted == 1)
            #expect(try store.statistics().corrections == 1)

            await phone.stop()
            await kiosk.stop()
            listener.cancel()
            await watcher.shutdown()
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
