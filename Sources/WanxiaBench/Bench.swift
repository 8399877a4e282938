import Foundation
import GRDB
import Logging
import ServiceLifecycle
import WanxiaBroker
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT
import WanxiaRegistrar

/// `wanxia-bench [N]`: throughput of Wanxia's paths, each beside a reference run in the same
/// process on the same broker, reported as a ratio (this machine is shared and noisy; ratios travel
/// better than rates). Build with `swift build -c release --product wanxia-bench`.
///
/// - stock: `mosquitto_pub -l -q 1` into `mosquitto_sub -q 1`, N 200-byte lines (the reference)
/// - transport: WanxiaMQTT publisher and subscriber, QoS 1, N messages of 200 bytes
/// - sqlite: N rows in one transaction with a GRDB prepared statement, WAL, synchronous=FULL
/// - ingest: N participation records, as a backlog in 4 producers' outboxes, through the broker into
///   the registrar (validated, committed with synchronous=FULL, acknowledged) until every outbox is empty
@main
struct Bench {
    static func main() async throws {
        let n = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 50_000
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wanxia-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = Int.random(in: 20_000...40_000)
        let broker = LocalBroker(configuration: .init(dataDirectory: folder, port: port))
        let group = ServiceGroup(configuration: .init(services: [.init(service: broker)], logger: Logger(label: "bench")))
        let running = Task { try await group.run() }
        while !LoopbackPort.accepts(port: port) { try await Task.sleep(for: .milliseconds(20)) }

        print("wanxia-bench: N = \(n), 200-byte payloads, broker on 127.0.0.1:\(port), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let stock = try await stockClients(n: min(n, 60_000), port: port, folder: folder)
        report("stock mosquitto_pub/sub QoS 1", stock, unit: "msg/s")
        let transport = try await transport(n: n, port: port)
        report("WanxiaMQTT pub/sub QoS 1", transport, unit: "msg/s", reference: ("stock", stock))
        let sqlite = try sqliteInsert(n: n, folder: folder)
        report("SQLite insert, one transaction, FULL", sqlite, unit: "rows/s")
        let ingest = try await registrarIngest(n: n, port: port, folder: folder)
        report("registrar ingest (4 producers, backlog)", ingest.rate, unit: "records/s", reference: ("stock", stock))
        print(pad("") + String(format: "   = %.3f x the raw SQLite insert rate", ingest.rate / sqlite))
        print(pad("peak RSS of this process") + String(format: " %10.0f MB", peakRSSMegabytes()))

        await group.triggerGracefulShutdown()
        try await running.value
    }

    static func report(_ name: String, _ rate: Double, unit: String, reference: (String, Double)? = nil) {
        var line = pad(name) + String(format: " %10.0f ", rate) + unit
        if let (label, value) = reference { line += String(format: "   = %.2f x ", rate / value) + label }
        print(line)
    }

    static func pad(_ text: String) -> String {
        text.count >= 42 ? text : text + String(repeating: " ", count: 42 - text.count)
    }

    static func payload(_ index: Int) -> String {
        let head = #"{"seq":\#(index),"person":"p-\#(index % 500)","hours":1.5,"site":"dongcheng-centre","pad":""#
        return head + String(repeating: "x", count: max(0, 198 - head.count)) + #""}"#
    }

    // MARK: Reference: the stock clients

    static func stockClients(n: Int, port: Int, folder: URL) async throws -> Double {
        let input = folder.appendingPathComponent("payloads.txt")
        try (0..<n).map(payload).joined(separator: "\n").appending("\n").write(to: input, atomically: true, encoding: .utf8)
        guard let sub = Executable.locate("mosquitto_sub"), let pub = Executable.locate("mosquitto_pub") else {
            throw ChildProcessError("mosquitto-clients are not installed")
        }
        let subscriber = try ChildProcess.spawn(sub, arguments: ["-p", "\(port)", "-t", "bench/stock", "-q", "1", "-C", "\(n)", "-i", "bench-sub"])
        try await Task.sleep(for: .milliseconds(500))  // let the subscription settle before timing starts
        let start = ContinuousClock.now
        let publisher = Process()
        publisher.executableURL = pub
        // -M 65535: mosquitto_pub -l stops early when its 16-bit mids wrap (measured); N <= 60,000 stays below.
        publisher.arguments = ["-p", "\(port)", "-t", "bench/stock", "-q", "1", "-l", "-M", "65535", "-i", "bench-pub"]
        publisher.standardInput = try FileHandle(forReadingFrom: input)
        try publisher.run()
        await subscriber.exited()
        let elapsed = ContinuousClock.now - start
        publisher.waitUntilExit()
        return Double(n) / elapsed.timeInterval
    }

    // MARK: The transport

    static func transport(n: Int, port: Int) async throws -> Double {
        var configuration = MQTTConfiguration(port: port, clientID: "bench-transport-sub")
        configuration.receiveBuffer = n
        let subscriber = try MQTTClient(configuration: configuration)
        let publisher = try MQTTClient(configuration: .init(port: port, clientID: "bench-transport-pub"))
        try await subscriber.connect()
        try await publisher.connect()
        try await subscriber.subscribe("bench/transport", qos: .atLeastOnce)
        let payloads = (0..<n).map { Data(payload($0).utf8) }
        let start = ContinuousClock.now
        async let received: Int = {
            var count = 0
            for await _ in subscriber.messages {
                count += 1
                if count == n { break }
            }
            return count
        }()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<4 {
                group.addTask {
                    for index in stride(from: lane, to: n, by: 4) {
                        try await publisher.publish("bench/transport", payload: payloads[index], qos: .atLeastOnce)
                    }
                }
            }
            try await group.waitForAll()
        }
        _ = await received
        let elapsed = ContinuousClock.now - start
        await publisher.shutdown()
        await subscriber.shutdown()
        return Double(n) / elapsed.timeInterval
    }

    // MARK: Reference: raw SQLite

    static func sqliteInsert(n: Int, folder: URL) throws -> Double {
        let database = try DeliveryDatabase.openPool(at: folder.appendingPathComponent("raw.sqlite").path)
        try database.write { db in
            try db.execute(sql: "CREATE TABLE entry (id TEXT PRIMARY KEY, person TEXT, hours REAL, at INTEGER)")
        }
        let ids = (0..<n).map { _ in MessageID.make().description }
        let start = ContinuousClock.now
        try database.write { db in
            let statement = try db.makeStatement(sql: "INSERT INTO entry(id, person, hours, at) VALUES (?, ?, ?, ?)")
            for (index, id) in ids.enumerated() {
                try statement.execute(arguments: [id, "p-\(index % 500)", 1.5, index])
            }
        }
        return Double(n) / (ContinuousClock.now - start).timeInterval
    }

    // MARK: Registrar ingest

    static func registrarIngest(n: Int, port: Int, folder: URL) async throws -> (rate: Double, seconds: Double) {
        let registrar = RegistrarService(configuration: .init(
            dataDirectory: folder.appendingPathComponent("registrar"), mqtt: MQTTConfiguration(port: port, clientID: "registrar")))
        let registrarGroup = ServiceGroup(configuration: .init(services: [.init(service: registrar)], logger: Logger(label: "bench")))
        let registrarTask = Task { try await registrarGroup.run() }

        let producers = 4
        let start = Date(timeIntervalSince1970: 1_683_853_200)  // 2023-05-12 09:00 +08:00
        var outboxes: [(Outbox, MQTTClient, MessageRouter)] = []
        for index in 0..<producers {
            let name = TopicID(stringLiteral: "bench-\(index)")
            let database = try DeliveryDatabase.openPool(at: folder.appendingPathComponent("producer-\(index).sqlite").path)
            var migrator = DatabaseMigrator()
            Outbox.registerMigrations(in: &migrator)
            try migrator.migrate(database)
            let client = try MQTTClient(configuration: .init(port: port, clientID: name.description))
            let router = MessageRouter(client: client)
            let outbox = Outbox(database: database, producer: name, client: client, router: router,
                                ackTopic: Topic.serviceAck(service: name), rejectTopic: Topic.serviceReject(service: name))
            // The backlog: people and an event first, then the participation records.
            let topic = Topic.records(producer: name)
            var bodies: [(body: WanxiaContract.Record, topic: String, at: Date)] = []
            let event = "ev-bench-\(index)"
            bodies.append((.event(EventRecord(event: event, programme: .volunteers, kind: "法律援助进社区", title: "基准测试",
                                               start: start, end: start.addingTimeInterval(4 * 3600))), topic, start))
            for person in 0..<100 {
                bodies.append((.person(PersonRecord(person: "p-\(index)-\(person)", kind: .retiree, name: "志愿者\(person)")), topic, start))
            }
            for record in 0..<(n / producers) {
                bodies.append((.participation(ParticipationRecord(
                    person: "p-\(index)-\(record % 100)", event: event, role: "volunteer", hours: 1.5, ledger: .clocked,
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
        while try outboxes.contains(where: { try $0.0.status().pending > 0 }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = (ContinuousClock.now - began).timeInterval
        let rejected = try outboxes.reduce(0) { $0 + (try $1.0.status().rejected) }
        if rejected > 0 { print("warning: \(rejected) records were refused by the registrar") }
        for task in producerTasks { task.cancel() }
        for (_, client, _) in outboxes { await client.shutdown() }
        await registrarGroup.triggerGracefulShutdown()
        try? await registrarTask.value
        let book = try DatabaseQueue(path: registrar.configuration.databasePath)
        let commits = try book.read { db in
            try Row.fetchOne(db, sql: "SELECT COUNT(*) AS items, COUNT(DISTINCT received_at) AS commits, MAX(received_at) - MIN(received_at) AS span FROM inbox_item")!
        }
        print("  registrar: \(commits["items"] as Int) items in \(commits["commits"] as Int) commits over \(commits["span"] as Int) ms")
        return (Double(total) / elapsed, elapsed)
    }

    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
