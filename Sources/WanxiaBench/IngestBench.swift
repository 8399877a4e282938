import Foundation
import GRDB
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT
import WanxiaRegistrar

/// Registrar ingest: N participation records queued as a backlog in 4 producers' outboxes,
/// delivered through the broker to the registrar (validated, committed with synchronous=FULL,
/// acknowledged) until every outbox is empty.
enum IngestBench {
    /// Records per second, with the registrar in this process.
    static func run(_ context: BenchContext) async throws -> Double {
        let data = try context.scratch("ingest-registrar")
        let registrar = RegistrarService(configuration: .init(
            dataDirectory: data, mqtt: MQTTConfiguration(port: context.port, clientID: "registrar")))
        let registrarGroup = ServiceGroup(configuration: .init(services: [.init(service: registrar)], logger: Logger(label: "bench")))
        let registrarTask = Task { try await registrarGroup.run() }
        let rate = try await deliver(records: context.options.n, producers: 4, tag: "ingest", context: context)
        await registrarGroup.triggerGracefulShutdown()
        try? await registrarTask.value
        let book = try DatabaseQueue(path: registrar.configuration.databasePath)
        let commits = try book.read { db in
            try Row.fetchOne(db, sql: "SELECT COUNT(*) AS items, COUNT(DISTINCT received_at) AS commits, MAX(received_at) - MIN(received_at) AS span FROM inbox_item")!
        }
        BenchReport.note("registrar: \(commits["items"] as Int) items in \(commits["commits"] as Int) commits over \(commits["span"] as Int) ms")
        return rate
    }

    /// Queues `records` participation records (plus their people and one event per producer) in
    /// `producers` outboxes, then delivers them to whatever registrar listens on the broker, and
    /// returns records per second from the start of delivery until every outbox is empty.
    static func deliver(records: Int, producers: Int, tag: String, context: BenchContext) async throws -> Double {
        let start = Date(timeIntervalSince1970: 1_683_853_200)  // 2023-05-12 09:00 +08:00
        let folder = try context.scratch("producers-\(tag)")
        var outboxes: [(Outbox, MQTTClient, MessageRouter)] = []
        for index in 0..<producers {
            let name = TopicID(stringLiteral: "bench-\(tag)-\(index)")
            let database = try DeliveryDatabase.openPool(at: folder.appendingPathComponent("producer-\(index).sqlite").path)
            var migrator = DatabaseMigrator()
            Outbox.registerMigrations(in: &migrator)
            try migrator.migrate(database)
            let client = try MQTTClient(configuration: .init(port: context.port, clientID: name.description))
            let router = MessageRouter(client: client)
            let outbox = Outbox(database: database, producer: name, client: client, router: router,
                                ackTopic: Topic.serviceAck(service: name), rejectTopic: Topic.serviceReject(service: name))
            // The backlog: people and an event first, then the participation records.
            let topic = Topic.records(producer: name)
            var bodies: [(body: WanxiaContract.Record, topic: String, at: Date)] = []
            let event = "ev-bench-\(tag)-\(index)"
            bodies.append((.event(EventRecord(event: event, programme: .volunteers, kind: "法律援助进社区", title: "基准测试",
                                               start: start, end: start.addingTimeInterval(4 * 3600))), topic, start))
            for person in 0..<100 {
                bodies.append((.person(PersonRecord(person: "p-\(tag)-\(index)-\(person)", kind: .retiree, name: "志愿者\(person)")), topic, start))
            }
            for record in 0..<(records / producers) {
                bodies.append((.participation(ParticipationRecord(
                    person: "p-\(tag)-\(index)-\(record % 100)", event: event, role: "volunteer", hours: 1.5, ledger: .clocked,
                    status: "served")), topic, start))
            }
            _ = try outbox.enqueue(bodies)
            outboxes.append((outbox, client, router))
        }
        let total = outboxes.reduce(0) { $0 + ((try? $1.0.status().pending) ?? 0) }
        let began = ContinuousClock.now
        let producerTasks = outboxes.map { outbox, client, router in
            Task {
                client.start()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await router.run() }
                    group.addTask { try await outbox.run() }
                    try await group.waitForAll()
                }
            }
        }
        while try outboxes.contains(where: { try !$0.0.isDrained() }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = (ContinuousClock.now - began).timeInterval
        let rejected = try outboxes.reduce(0) { $0 + (try $1.0.status().rejected) }
        if rejected > 0 { BenchReport.note("warning: \(rejected) records were refused by the registrar") }
        for task in producerTasks { task.cancel() }
        for (_, client, _) in outboxes { await client.shutdown() }
        return Double(total) / elapsed
    }
}
