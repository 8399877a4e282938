import Foundation
import GRDB
import Logging
import WanxiaContract
import WanxiaDelivery
import WanxiaDeliveryTesting
import WanxiaMQTT
import WanxiaTesting

/// Several producers sending the registrar a backlog of records, each through its own `Outbox`.
///
/// Producer `k` is `stream-k` (its client id, and the producer on `Topic.records(producer:)`), with
/// its own SQLite file in the folder. By default `start` first sends every producer's people and
/// events and waits until the registrar has acknowledged them all, then commits the participation
/// records as one backlog: so no record can reach the registrar before the person and event it
/// names. With `interleaved` the backlog is committed at once in the order a programme service
/// makes records (its people, then each event followed by the records at it), and a record may
/// overtake its event when a fault loses the event's message. Every record is one the registrar
/// accepts, so at the end every outbox must be empty with nothing refused. The ids of everything
/// enqueued are kept for the final comparison with the registrar's file (``RecordStreamAudit``).
final class RecordStream: Sendable {
    /// How big the stream is, and how the producers pace it.
    ///
    /// The pacing suits a debug-built registrar on a busy machine (a few hundred records a second):
    /// at most 2 batches of 200 items in flight per producer and a 5 s acknowledgement timeout
    /// (at most 10 s), so that what is in flight is acknowledged before it times out. A larger
    /// window against so slow a consumer makes every producer resend what is still queued at the
    /// registrar, and the registrar spends its time on copies.
    struct Plan: Sendable {
        var producers = 4
        var participationsPerProducer = 25_000
        var peoplePerProducer = 50
        var eventsPerProducer = 5
        var batchSize = 200
        var maxBatchesInFlight = 2
        var ackTimeout: Duration = .seconds(5)
        /// Send people and events in the same backlog as the records that name them.
        var interleaved = false

        /// A plan with `records` participation records per producer, or the number in the
        /// environment variable `WANXIA_FAULT_RECORDS` when set.
        static func sized(_ records: Int) -> Plan {
            var plan = Plan()
            plan.participationsPerProducer = ProcessInfo.processInfo.environment["WANXIA_FAULT_RECORDS"].flatMap(Int.init) ?? records
            return plan
        }
    }

    /// One producer: its connection, its outbox, and the task running them.
    struct Lane: Sendable {
        var producer: TopicID
        var client: MQTTClient
        var outbox: Outbox
        var running: Running
    }

    let plan: Plan
    let lanes: [Lane]
    let people: Set<String>
    let events: Set<MessageID>
    let participations: Set<MessageID>
    /// Every item id enqueued, of every type.
    let items: Set<MessageID>
    /// How many participation records name each person (for a query's expected answer).
    let recordsPerPerson: [String: Int]

    /// Hours on every participation record of the stream.
    static let hours = 1.5
    /// 2023-05-12 09:00 +08:00: the first event's start; event `e` starts `e` days later.
    static let firstStart = Date(timeIntervalSince1970: 1_683_853_200)

    /// Commits every producer's backlog and starts sending it (the broker must be running).
    static func start(_ broker: TestBroker, folder: URL, plan: Plan) async throws -> RecordStream {
        // The producers' own warnings (connection lost, resending) would drown the test's output.
        var quiet = Logger(label: "wanxia.stream")
        quiet.logLevel = .error
        var lanes: [Lane] = []
        var people = Set<String>()
        var events = Set<MessageID>()
        var participations = Set<MessageID>()
        var items = Set<MessageID>()
        var recordsPerPerson: [String: Int] = [:]
        var waiting: [(Outbox, [(body: WanxiaContract.Record, topic: String, at: Date)])] = []
        for index in 0..<plan.producers {
            let producer = TopicID(stringLiteral: "stream-\(index)")
            let database = try DeliveryDatabase.openPool(at: folder.appendingPathComponent("\(producer).sqlite").path)
            var migrator = DatabaseMigrator()
            Outbox.registerMigrations(in: &migrator)
            try migrator.migrate(database)
            var settings = MQTTConfiguration(host: broker.host, port: broker.port, clientID: producer.description)
            settings.reconnect = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500))
            let client = try MQTTClient(configuration: settings, logger: quiet)
            try await client.connect(timeout: .seconds(10))
            let router = MessageRouter(client: client, logger: quiet)
            var configuration = Outbox.Configuration()
            configuration.ackTimeout = plan.ackTimeout
            configuration.maxAckTimeout = plan.ackTimeout * 2
            configuration.batchSize = plan.batchSize
            configuration.maxBatchesInFlight = plan.maxBatchesInFlight
            let outbox = Outbox(database: database, producer: producer, client: client, router: router,
                                ackTopic: Topic.serviceAck(service: producer), rejectTopic: Topic.serviceReject(service: producer),
                                configuration: configuration, logger: quiet)

            let topic = Topic.records(producer: producer)
            var backlog: [(body: WanxiaContract.Record, topic: String, at: Date)] = []
            let names = (0..<plan.peoplePerProducer).map { "p-\(index)-\($0)" }
            for (number, person) in names.enumerated() {
                backlog.append((.person(PersonRecord(person: person, kind: .retiree, name: "离退休干部\(number)")), topic, firstStart))
            }
            let perEvent = (plan.participationsPerProducer + plan.eventsPerProducer - 1) / plan.eventsPerProducer
            var eventCount = 0
            for record in 0..<plan.participationsPerProducer {
                let event = record / perEvent
                let start = firstStart.addingTimeInterval(Double(event) * 86_400)
                if record % perEvent == 0 {
                    eventCount += 1
                    backlog.append((.event(EventRecord(
                        event: "ev-\(index)-\(event)", programme: .volunteers, kind: "法律援助进社区", title: "故障演练 \(event)",
                        start: start, end: start.addingTimeInterval(4 * 3600))), topic, start))
                }
                let person = names[record % names.count]
                recordsPerPerson[person, default: 0] += 1
                backlog.append((.participation(ParticipationRecord(
                    person: person, event: "ev-\(index)-\(event)", role: "volunteer", hours: hours, ledger: .clocked,
                    status: "served")), topic, start))
            }
            let references = backlog.filter { if case .participation = $0.body { false } else { true } }
            let records = backlog.filter { if case .participation = $0.body { true } else { false } }
            let enqueued = try outbox.enqueue(plan.interleaved ? backlog : references)
            people.formUnion(names)
            for item in enqueued {
                items.insert(item.id)
                switch item.body {
                case .person: break
                case .event: events.insert(item.id)
                case .participation: participations.insert(item.id)
                }
            }
            precondition(eventCount == plan.eventsPerProducer, "the plan's events do not divide its records")
            lanes.append(Lane(producer: producer, client: client, outbox: outbox, running: Running([router, outbox])))
            if !plan.interleaved { waiting.append((outbox, records)) }
        }
        for (outbox, records) in waiting {
            try await eventually("the registrar has acknowledged \(outbox.producer)'s people and events", timeout: .seconds(60)) {
                try outbox.status().pending == 0
            }
            for item in try outbox.enqueue(records) {
                items.insert(item.id)
                participations.insert(item.id)
            }
        }
        return RecordStream(plan: plan, lanes: lanes, people: people, events: events, participations: participations,
                            items: items, recordsPerPerson: recordsPerPerson)
    }

    private init(plan: Plan, lanes: [Lane], people: Set<String>, events: Set<MessageID>, participations: Set<MessageID>,
                 items: Set<MessageID>, recordsPerPerson: [String: Int]) {
        self.plan = plan
        self.lanes = lanes
        self.people = people
        self.events = events
        self.participations = participations
        self.items = items
        self.recordsPerPerson = recordsPerPerson
    }

    /// The producers' outboxes added up.
    func status() throws -> (pending: Int, rejected: Int, delivered: Int) {
        try lanes.reduce(into: (0, 0, 0)) { sum, lane in
            let status = try lane.outbox.status()
            sum.0 += status.pending
            sum.1 += status.rejected
            sum.2 += status.delivered
        }
    }

    /// The first few refused items of every producer, for a failure message.
    func refusals() throws -> [String] {
        try lanes.flatMap { lane in
            try lane.outbox.rejectedItems(limit: 5).map { "\(lane.producer) #\($0.seq) \($0.type): \($0.code) \($0.message)" }
        }
    }

    /// Stops every producer and closes its connection.
    func stop() async {
        for lane in lanes {
            await lane.running.stop()
            await lane.client.shutdown()
        }
    }
}
