import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Synchronization
import WanxiaContract
import WanxiaMQTT

/// The producer side of durable delivery: commit first, publish, resend until acknowledged.
///
/// `enqueue` commits an item to the producer's own SQLite file and returns; nothing is published
/// before that commit. `run()` publishes pending items at QoS 1 in batches (several items in one
/// message, grouped by topic), at most `maxBatchesInFlight` batches awaiting an answer at once,
/// and resends whatever the consumer has not acknowledged after a timeout that backs off, forever
/// and across restarts. An `Ack` deletes the items it names; a `Reject` marks them refused with
/// the consumer's reason (kept, not resent), unless its code is not final (an unknown person or
/// event, which may still be on its way): those stay pending and go again on their back-off.
/// After a restart or a reconnect every pending item is due at once, since the broker may have
/// lost what it held.
public final class Outbox: Service, Sendable {
    public struct Configuration: Sendable {
        /// Items in one message, at most (the contract allows 1000).
        public var batchSize: Int = 500
        /// Bytes of item bodies in one message, at most (roughly: the envelope adds a little).
        public var batchBytes: Int = 256 * 1024
        /// Batches awaiting an answer at once, at the start: enough that a consumer's writer finds
        /// the next batches waiting when it finishes a commit (8 left it idle for a round trip
        /// each time). The window then adapts (``OutboxInFlight``): it grows while whole batches
        /// are answered within a quarter of their timeout and halves when batches time out.
        public var initialBatchesInFlight: Int = 16
        /// The most the window opens to: 64 batches of 500 check-ins are about 5 MB, which only a
        /// link that answers them within a quarter of `ackTimeout` is given.
        public var maxBatchesInFlight: Int = 64
        /// The first wait for an acknowledgement; it doubles with each try up to `maxAckTimeout`.
        public var ackTimeout: Duration = .seconds(10)
        public var maxAckTimeout: Duration = .seconds(300)
        public init() {}
    }

    public let database: any DatabaseWriter
    public let producer: TopicID
    private let client: MQTTClient
    private let configuration: Configuration
    private let logger: Logger
    private let ackTopic: String
    private let rejectTopic: String
    private let wakeup = Wakeup()
    private let replies = Mutex<[ReplyMessage]>([])
    private let inFlight: Mutex<OutboxInFlight>
    private let skew = Mutex<Duration?>(nil)

    private enum ReplyMessage: Sendable {
        case ack(Ack)
        case reject(Reject)
    }

    /// - Parameters:
    ///   - database: the producer's own SQLite file; the outbox migration must have run
    ///     (`Outbox.registerMigrations`).
    ///   - ackTopic, rejectTopic: where this producer's consumers answer
    ///     (`Topic.siteAck(site:)` for a site, `Topic.serviceAck(service:)` for a service).
    public init(
        database: any DatabaseWriter, producer: TopicID, client: MQTTClient, router: MessageRouter,
        ackTopic: String, rejectTopic: String, configuration: Configuration = .init(),
        logger: Logger = Logger(label: "wanxia.outbox")
    ) {
        self.database = database
        self.producer = producer
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.ackTopic = ackTopic
        self.rejectTopic = rejectTopic
        inFlight = Mutex(OutboxInFlight(window: configuration.initialBatchesInFlight, maxWindow: configuration.maxBatchesInFlight))
        router.route(ackTopic) { [weak self] message in self?.received(message, isAck: true) }
        router.route(rejectTopic) { [weak self] message in self?.received(message, isAck: false) }
    }

    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        OutboxStore.registerMigrations(in: &migrator)
    }

    // MARK: Enqueue

    /// Commits one item for `topic` and wakes the sender. Throws if the item can't be stored
    /// (for example a full disk): then nothing was stored and the caller must say so.
    @discardableResult
    public func enqueue<Body: ItemBody>(_ body: Body, to topic: String, at: Date = Date()) throws -> Item<Body> {
        let item = try database.write { db in try Self.enqueue(body, to: topic, at: at, in: db) }
        wakeup.signal()
        return item
    }

    /// Commits many items in one transaction (a card-swipe file, a back-fill).
    @discardableResult
    public func enqueue<Body: ItemBody>(_ bodies: [(body: Body, topic: String, at: Date)]) throws -> [Item<Body>] {
        let items = try database.write { db in
            try bodies.map { try Self.enqueue($0.body, to: $0.topic, at: $0.at, in: db) }
        }
        wakeup.signal()
        return items
    }

    /// Adds an item inside the caller's transaction, so that it commits (or not) with the caller's
    /// own writes: how a service derives records from what its inbox received. The sender is woken
    /// when the transaction commits.
    @discardableResult
    public static func enqueue<Body: ItemBody>(_ body: Body, to topic: String, at: Date, in db: Database) throws -> Item<Body> {
        try body.validate()
        let data = try body.canonicalJSON() ?? WanxiaJSON.encode(EncodableBody(body: body))
        let at = at.wholeMilliseconds
        let (id, seq) = try OutboxStore.insert(topic: topic, type: body.type, at: at, body: data, now: Date(), in: db)
        return Item(id: id, seq: seq, at: at, body: body)
    }

    /// Asks the sender to look for due items now (after an `enqueue(_:to:at:in:)` commit).
    public func wake() {
        wakeup.signal()
    }

    // MARK: Status

    /// How far our clock is from the last consumer that answered (its `at` minus our time of
    /// receipt); nil before the first answer. A site whose clock is minutes off should say so.
    public var consumerClockOffset: Duration? { skew.withLock { $0 } }

    public func status() throws -> OutboxStatus {
        try database.read { db in try OutboxStore.status(in: db) }
    }

    /// Whether every item has had its answer (`status().pending == 0`, at the cost of one index
    /// probe instead of a count of the backlog: for loops that wait for a drain).
    public func isDrained() throws -> Bool {
        try database.read { db in try OutboxStore.isDrained(in: db) }
    }

    /// ``isDrained()`` for an outbox in a file another process runs, read on `db`.
    public static func isDrained(in db: Database) throws -> Bool {
        try OutboxStore.isDrained(in: db)
    }

    /// The most recent refused items, newest first.
    public func rejectedItems(limit: Int = 50) throws -> [OutboxStatus.RejectedItem] {
        try database.read { db in try OutboxStore.rejected(limit: limit, in: db) }
    }

    /// ``status()`` of an outbox in a file another process runs, read on `db`.
    public static func status(in db: Database) throws -> OutboxStatus {
        try OutboxStore.status(in: db)
    }

    /// The status of an outbox in a file, read without running it (`wanxia site status`).
    public static func status(ofDatabaseAt path: String) throws -> OutboxStatus {
        let queue = try DatabaseQueue(path: path, configuration: { var c = GRDB.Configuration(); c.readonly = true; return c }())
        return try queue.read { db in try OutboxStore.status(in: db) }
    }

    /// The latest refused items of an outbox in a file, newest first.
    public static func rejectedItems(ofDatabaseAt path: String, limit: Int) throws -> [OutboxStatus.RejectedItem] {
        let queue = try DatabaseQueue(path: path, configuration: { var c = GRDB.Configuration(); c.readonly = true; return c }())
        return try queue.read { db in try OutboxStore.rejected(limit: limit, in: db) }
    }

    // MARK: Running

    public func run() async throws {
        try await database.write { db in try OutboxStore.makeAllDue(in: db) }
        try await client.subscribe(ackTopic, qos: .atLeastOnce)
        try await client.subscribe(rejectTopic, qos: .atLeastOnce)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.watchConnections() }
            group.addTask { try await self.sendLoop() }
            try await group.next()
            group.cancelAll()
        }
    }

    /// After every reconnect, whatever was in flight may be lost with the broker: resend at once.
    private func watchConnections() async {
        var last: UInt64 = 0
        for await state in client.stateChanges().cancelOnGracefulShutdown() {
            guard case .connected(let connection, _) = state, connection > last else { continue }
            if last > 0 {
                inFlight.withLock { $0.removeAll() }
                _ = try? await database.write { db in try OutboxStore.makeAllDue(in: db) }
                wakeup.signal()
            }
            last = connection
        }
    }

    private func sendLoop() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try await applyReplies()
            let now = ContinuousClock.now
            let (free, expired, window) = inFlight.withLock { inFlight in
                let expired = inFlight.expire(now: now)
                return (inFlight.free, expired, inFlight.window)
            }
            if expired > 0 {
                logger.info("batches not answered in time: sending them again, with fewer in flight", metadata: [
                    "outbox.timedOut": "\(expired)", "outbox.window": "\(window)",
                ])
            }
            if free > 0, try await send(upTo: free) {
                continue
            }
            await wakeup.wait(timeout: try await nextWake())
        }
    }

    /// How long the sender may sleep: until the next resend is due or a batch times out.
    private func nextWake() async throws -> Duration {
        let earliest = try await database.read { db in try OutboxStore.earliestDue(in: db) }
        let deadline = inFlight.withLock { $0.earliestDeadline }
        var wait = Duration.seconds(5)  // also picks up items another process added to the file
        if let earliest {
            let due = Duration.milliseconds(max(0, Int64(earliest.timeIntervalSinceNow * 1000)) + 1)
            wait = min(wait, due)
        }
        if let deadline { wait = min(wait, max(.milliseconds(1), deadline - .now)) }
        return wait
    }

    /// Groups due rows into messages: one topic each, at most `batchSize` items and about `batchBytes`.
    private func pack(_ rows: [OutboxStore.Row]) -> [[OutboxStore.Row]] {
        var order: [String] = []
        var byTopic: [String: [[OutboxStore.Row]]] = [:]
        var bytes: [String: Int] = [:]
        for row in rows {
            if byTopic[row.topic] == nil {
                order.append(row.topic)
                byTopic[row.topic] = [[]]
            }
            let full = byTopic[row.topic]!.last!.count >= configuration.batchSize
                || bytes[row.topic, default: 0] + row.body.count > configuration.batchBytes
            if full && !byTopic[row.topic]!.last!.isEmpty {
                byTopic[row.topic]!.append([])
                bytes[row.topic] = 0
            }
            byTopic[row.topic]![byTopic[row.topic]!.count - 1].append(row)
            bytes[row.topic, default: 0] += row.body.count
        }
        return order.flatMap { byTopic[$0]! }
    }

    /// Reads the due rows for up to `free` batches and marks them sent, in one transaction on the
    /// writer (whose page cache the outbox's own writes keep warm), then publishes them. Returns
    /// false if nothing was due.
    private func send(upTo free: Int) async throws -> Bool {
        let sentAt = Date()
        let batches = try await database.write { [configuration] db in
            let rows = try OutboxStore.due(now: sentAt, limit: free * configuration.batchSize, in: db)
            var generator = SystemRandomNumberGenerator()
            return try self.pack(rows).prefix(free).map { rows in
                let attempts = rows.map(\.attempts).max() ?? 0
                let timeout = Self.ackTimeout(attempt: attempts, configuration: configuration, using: &generator)
                try OutboxStore.markSent(rows.map(\.seq), nextAttempt: sentAt.addingTimeInterval(timeout.timeInterval), in: db)
                return (rows: rows, timeout: timeout)
            }
        }
        guard !batches.isEmpty else { return false }
        let now = ContinuousClock.now
        inFlight.withLock { inFlight in
            for batch in batches { inFlight.add(batch.rows.map { ($0.id, $0.seq) }, sentAt: now, deadline: now + batch.timeout) }
        }
        for batch in batches {
            guard let first = batch.rows.first else { continue }
            do {
                let payload = try Self.batchPayload(producer: producer, sentAt: sentAt, rows: batch.rows)
                try await client.publish(first.topic, payload: payload, qos: .atLeastOnce)
                logger.debug("batch sent", metadata: [
                    "mqtt.topic": "\(first.topic)", "outbox.items": "\(batch.rows.count)", "outbox.firstSeq": "\(first.seq)",
                ])
            } catch let error as MQTTError where error.code == .shutdown {
                throw error
            } catch {
                // The rows stay pending and come due again after the timeout.
                logger.warning("publish failed; will resend", metadata: ["mqtt.topic": "\(first.topic)", "error": "\(error)"])
            }
        }
        return true
    }

    /// The batch message for `rows`, as ``RawBatch`` would encode it (sorted keys, times in UTC+8),
    /// with each item's body spliced in as it was stored: it was written by the same encoder when
    /// the item was enqueued, so it is not read and written again for every send.
    static func batchPayload(producer: TopicID, sentAt: Date, rows: [OutboxStore.Row]) throws -> Data {
        var json = CanonicalJSON(capacity: rows.reduce(64) { $0 + $1.body.count + 120 })
        json.beginObject()
        json.key("items")
        json.beginArray()
        for row in rows {
            json.element()
            json.beginObject()
            json.key("at")
            try json.date(row.at)
            json.key("body")
            json.raw(row.body)
            json.key("id")
            try json.string(row.id.description)
            json.key("seq")
            json.integer(row.seq)
            json.key("type")
            try json.string(row.type)
            json.endObject()
        }
        json.endArray()
        json.key("producer")
        try json.string(producer.description)
        json.key("sentAt")
        try json.date(sentAt)
        json.key("v")
        json.integer(Int64(SchemaVersion.current.rawValue))
        json.endObject()
        return json.data
    }

    static func ackTimeout<G: RandomNumberGenerator>(attempt: Int, configuration: Configuration, using generator: inout G) -> Duration {
        MQTTReconnectPolicy(initialDelay: configuration.ackTimeout, maximumDelay: configuration.maxAckTimeout)
            .delay(attempt: attempt, using: &generator) + configuration.ackTimeout / 2
    }

    // MARK: Answers from consumers

    private func received(_ message: MQTTMessage, isAck: Bool) {
        do {
            let reply: ReplyMessage = isAck
                ? .ack(try WanxiaJSON.decode(Ack.self, from: message.payload))
                : .reject(try WanxiaJSON.decode(Reject.self, from: message.payload))
            let theirTime: Date = switch reply {
            case .ack(let ack): ack.at
            case .reject(let reject): reject.at
            }
            skew.withLock { $0 = .milliseconds(Int64(theirTime.timeIntervalSinceNow * 1000)) }
            replies.withLock { $0.append(reply) }
            wakeup.signal()
        } catch {
            logger.error("unreadable answer from a consumer", metadata: ["mqtt.topic": "\(message.topic)", "error": "\(error)"])
        }
    }

    private func applyReplies() async throws {
        let pending = replies.withLock { queue -> [ReplyMessage] in
            defer { queue.removeAll() }
            return queue
        }
        guard !pending.isEmpty else { return }
        // Each answered item leaves its batch first; an acknowledged one is then deleted by its
        // row's key, or by its id if it is no longer in flight (answered late, or after a restart).
        var acknowledged: [(seqs: [Int64], ids: [MessageID])] = []
        let now = ContinuousClock.now
        inFlight.withLock { inFlight in
            for reply in pending {
                switch reply {
                case .ack(let ack):
                    var seqs: [Int64] = []
                    var ids: [MessageID] = []
                    seqs.reserveCapacity(ack.ids.count)
                    for id in ack.ids {
                        if let seq = inFlight.answer(id, now: now) { seqs.append(seq) } else { ids.append(id) }
                    }
                    acknowledged.append((seqs, ids))
                case .reject(let reject):
                    for entry in reject.rejected {
                        if let id = entry.id { _ = inFlight.answer(id, now: now) }
                    }
                }
            }
        }
        try await database.write { [logger, acknowledged] db in
            for (seqs, ids) in acknowledged {
                _ = try OutboxStore.acknowledge(seqs: seqs, ids: ids, in: db)
            }
            for case .reject(let reject) in pending {
                for entry in reject.rejected where !entry.code.isFinal {
                    // Refused for now: the item stays pending and goes again on its back-off.
                    guard let id = entry.id else { continue }
                    logger.info("item refused for now; it will be sent again", metadata: [
                        "record.id": "\(id)", "reject.code": "\(entry.code.rawValue)", "reject.message": "\(entry.message)",
                    ])
                }
                for entry in reject.rejected where entry.code.isFinal {
                    if try OutboxStore.reject(entry, consumer: reject.consumer.description, at: reject.at, in: db) {
                        logger.warning("item rejected", metadata: [
                            "record.id": "\(entry.id?.description ?? "-")", "reject.code": "\(entry.code.rawValue)",
                            "reject.message": "\(entry.message)",
                        ])
                    }
                    if entry.id == nil {
                        logger.error("a consumer could not read a message at all", metadata: [
                            "reject.code": "\(entry.code.rawValue)", "reject.message": "\(entry.message)",
                        ])
                    }
                }
            }
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    public var timeInterval: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// Lets an `ItemBody` (which encodes itself but isn't `Encodable`) go through a JSON encoder.
struct EncodableBody<Body: ItemBody>: Encodable {
    let body: Body
    func encode(to encoder: any Encoder) throws { try body.encode(to: encoder) }
}
