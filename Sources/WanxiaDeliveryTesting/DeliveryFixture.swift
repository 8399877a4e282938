import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT
import WanxiaTesting

/// A consumer that keeps what it receives in a table whose primary key is the item id, so a
/// second application of the same item would fail the transaction. It takes items of any type;
/// items whose body has `"refuse": true` are rejected.
public struct RecordingHandler: InboxHandler {
    public init() {}

    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("received") { db in
            try db.execute(sql: "CREATE TABLE received (id TEXT PRIMARY KEY, producer TEXT, type TEXT, seq INTEGER)")
        }
    }

    public func apply(_ item: Item<PlainBody>, from producer: TopicID, in db: Database) throws {
        if item.body.json.objectValue?["refuse"] == .bool(true) {
            throw Rejection(.invalidField, "refuse: the test asked for a refusal")
        }
        try db.execute(sql: "INSERT INTO received(id, producer, type, seq) VALUES (?, ?, ?, ?)",
                       arguments: [item.id.description, producer.description, item.type, item.seq])
    }
}

/// Runs services as child tasks for the duration of a test.
public final class Running: Sendable {
    private let task: Task<Void, Never>

    public init(_ services: [any Sendable & RunnableService]) {
        task = Task {
            await withTaskGroup(of: Void.self) { group in
                for service in services { group.addTask { try? await service.run() } }
                await group.waitForAll()
            }
        }
    }

    public func stop() async {
        task.cancel()
        await task.value
    }
}

public protocol RunnableService { func run() async throws }
extension Inbox: RunnableService {}
extension Outbox: RunnableService {}
extension MessageRouter: RunnableService {}

/// One consumer (an inbox over a SQLite file) for the site observations of `volunteers`; its
/// handler keeps what it takes in the `received` table (``RecordingHandler`` by default).
public struct Consumer: Sendable {
    public let client: MQTTClient
    public let database: DatabasePool
    public let inbox: Inbox
    public let running: Running

    public static func start(_ broker: TestBroker, folder: URL, id: String = "volunteers",
                             persistentSession: Bool = false, handler: any InboxHandler = RecordingHandler(),
                             configure: (inout MQTTConfiguration) -> Void = { _ in }) async throws -> Consumer {
        let database = try DeliveryDatabase.openPool(at: folder.appendingPathComponent("\(id).sqlite").path)
        var migrator = DatabaseMigrator()
        Inbox.registerMigrations(in: &migrator)
        RecordingHandler.registerMigrations(in: &migrator)
        try migrator.migrate(database)
        let client = try await makeClient(broker, id: id) { configuration in
            configuration.cleanStart = !persistentSession
            configuration.receiveBuffer = 100_000
            configure(&configuration)
        }
        let router = MessageRouter(client: client)
        let inbox = Inbox(database: database, client: client, router: router, consumer: TopicID(stringLiteral: id),
                          subscriptions: [Topic.allObservations(programme: .volunteers)], handler: handler)
        let running = Running([router, inbox])
        try await eventually("the inbox has subscribed") { inbox.isReady }
        return Consumer(client: client, database: database, inbox: inbox, running: running)
    }

    public func receivedCount() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM received")! }
    }

    public func stop() async {
        await running.stop()
        await client.shutdown()
    }
}

/// One producer (a site's outbox over a SQLite file).
public struct Producer: Sendable {
    public let client: MQTTClient
    public let database: DatabasePool
    public let outbox: Outbox
    public let running: Running
    public let site: TopicID

    public static func open(folder: URL, site: TopicID) throws -> DatabasePool {
        let database = try DeliveryDatabase.openPool(at: folder.appendingPathComponent("site-\(site).sqlite").path)
        var migrator = DatabaseMigrator()
        Outbox.registerMigrations(in: &migrator)
        try migrator.migrate(database)
        return database
    }

    public static func start(_ broker: TestBroker, folder: URL, site: TopicID = "dongcheng-centre",
                      configure: (inout Outbox.Configuration) -> Void = { _ in }) async throws -> Producer {
        let database = try open(folder: folder, site: site)
        let client = try await makeClient(broker, id: "site-\(site)")
        let router = MessageRouter(client: client)
        var configuration = Outbox.Configuration()
        configuration.ackTimeout = .milliseconds(300)
        configuration.maxAckTimeout = .seconds(2)
        configure(&configuration)
        let outbox = Outbox(database: database, producer: site, client: client, router: router,
                            ackTopic: Topic.siteAck(site: site), rejectTopic: Topic.siteReject(site: site),
                            configuration: configuration)
        return Producer(client: client, database: database, outbox: outbox, running: Running([router, outbox]), site: site)
    }

    public func checkIn(_ n: Int) throws -> [MessageID] {
        let bodies = (0..<n).map { index in
            (body: Observation.checkin(CardScan(activity: "act-2023-0412", card: "card-\(index)")),
             topic: Topic.observations(site: site, programme: .volunteers), at: Date())
        }
        return try outbox.enqueue(bodies).map(\.id)
    }

    public func stop() async {
        await running.stop()
        await client.shutdown()
    }
}

public func makeClient(_ broker: TestBroker, id: String, configure: (inout MQTTConfiguration) -> Void = { _ in }) async throws -> MQTTClient {
    var configuration = MQTTConfiguration(host: broker.host, port: broker.port, clientID: id)
    configuration.reconnect = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500))
    configure(&configuration)
    let client = try MQTTClient(configuration: configuration)
    try await client.connect(timeout: .seconds(10))
    return client
}

/// Waits until `condition` holds, checking every 10 ms; throws after `timeout`.
public func eventually(_ what: String, timeout: Duration = .seconds(60),
                       _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(try await condition()) {
        if ContinuousClock.now > deadline { throw TestSupportError("timed out waiting for: \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
