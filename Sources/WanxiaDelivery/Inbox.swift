import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Synchronization
import WanxiaContract
import WanxiaMQTT

/// The consumer side of durable delivery: store once, then acknowledge.
///
/// Messages arriving on `subscriptions` (batches from sites on `.../obs/...`, or from services on
/// `wanxia/v1/registrar/records/...`) queue in memory. One writer drains the queue: everything
/// waiting goes into one transaction (group commit, up to `maxItemsPerCommit` items), where each
/// new item is handed to the `InboxHandler` under a savepoint and recorded by id. Only after the
/// commit are the `Ack`s and `Reject`s published, each to the producer's own topic. An item seen
/// before with the same content is acknowledged again (stored once); with different content it is
/// rejected as a conflict and the copy kept. Malformed, oversize or non-UTF-8 messages are refused
/// with a reason and kept with their raw bytes. A refusal that is not final (an unknown person or
/// event, which may still be on its way) is sent but not remembered: the next copy is judged afresh. A message lost from the in-memory queue by a crash
/// was never acknowledged, so its producer sends it again.
public final class Inbox: Service, Sendable {
    public struct Configuration: Sendable {
        public var maxItemsPerCommit: Int = 4000
        public var maxMessageBytes: Int = 1024 * 1024
        /// Pause after a failed commit (a full disk, say) before trying again.
        public var retryAfterFailure: Duration = .seconds(1)
        /// A producer whose `sentAt` is further than this from our clock has its clock off: its
        /// items are still stored, flagged with the difference, and the fact is logged.
        public var clockTolerance: Duration = .seconds(300)
        public init() {}
    }

    public let database: any DatabaseWriter
    public let consumer: TopicID
    private let client: MQTTClient
    private let subscriptions: [String]
    private let handler: any InboxHandler
    private let configuration: Configuration
    private let logger: Logger
    private let queue = Mutex<[MQTTMessage]>([])
    private let wakeup = Wakeup()
    private let counters = Mutex(InboxStatistics())

    public init(
        database: any DatabaseWriter, client: MQTTClient, router: MessageRouter, consumer: TopicID,
        subscriptions: [String], handler: some InboxHandler, configuration: Configuration = .init(),
        logger: Logger = Logger(label: "wanxia.inbox")
    ) {
        self.database = database
        self.client = client
        self.consumer = consumer
        self.subscriptions = subscriptions
        self.handler = handler
        self.configuration = configuration
        self.logger = logger
        for filter in subscriptions {
            router.route(filter) { [weak self] message in self?.enqueue(message) }
        }
    }

    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        InboxStore.registerMigrations(in: &migrator)
    }

    /// Whether `run()` has subscribed to every filter (messages sent from now on will be seen).
    public var isReady: Bool { counters.withLock { $0.subscribed } }

    /// What the inbox has done since it started.
    public var statistics: InboxStatistics { counters.withLock { $0 } }

    private func enqueue(_ message: MQTTMessage) {
        queue.withLock { $0.append(message) }
        wakeup.signal()
    }

    public func run() async throws {
        for filter in subscriptions { try await client.subscribe(filter, qos: .atLeastOnce) }
        counters.withLock { $0.subscribed = true }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let messages = takeBatch()
            if messages.isEmpty {
                await wakeup.wait(timeout: .seconds(1))
                continue
            }
            do {
                let outcome = try await commit(messages)
                counters.withLock {
                    $0.commits += 1
                    $0.accepted += outcome.accepted
                    $0.duplicates += outcome.duplicates
                    $0.rejected += outcome.rejectedCount
                    $0.deferred += outcome.deferred
                }
                try await answer(outcome)
            } catch let error as MQTTError where error.code == .shutdown {
                return
            } catch {
                // Nothing was committed, nothing acknowledged: the producers will send these again.
                let diskFull = (error as? DatabaseError)?.resultCode == .SQLITE_FULL
                counters.withLock {
                    $0.failedCommits += 1
                    if diskFull { $0.diskFullCommits += 1 }
                }
                if diskFull {
                    logger.critical("the disk is full: nothing stored, nothing acknowledged; producers keep their records and send them again once there is space", metadata: [
                        "database": "\(database.path)", "inbox.messages": "\(messages.count)",
                    ])
                } else {
                    logger.error("inbox commit failed; the messages will come again", metadata: [
                        "error": "\(error)", "inbox.messages": "\(messages.count)",
                    ])
                }
                try? await Task.sleep(for: configuration.retryAfterFailure)
            }
        }
    }

    /// Takes queued messages up to about `maxItemsPerCommit` items (at least one message).
    private func takeBatch() -> [MQTTMessage] {
        queue.withLock { queued in
            var taken = 0
            var estimate = 0
            while taken < queued.count {
                // A rough item count from the size: the limit only needs to bound a transaction.
                estimate += max(1, queued[taken].payload.count / 200)
                taken += 1
                if estimate >= configuration.maxItemsPerCommit { break }
            }
            defer { queued.removeFirst(taken) }
            return Array(queued.prefix(taken))
        }
    }

    // MARK: The transaction

    struct Outcome {
        var acks: [String: [MessageID]] = [:]
        var rejects: [String: [Reject.Entry]] = [:]
        var accepted = 0
        var duplicates = 0
        /// Refused for now only (``RejectCode/isFinal`` false); also counted in `rejects`.
        var deferred = 0
        var rejectedCount: Int { rejects.values.reduce(0) { $0 + $1.count } - deferred }
    }

    private func commit(_ messages: [MQTTMessage]) async throws -> Outcome {
        try await database.write { db in
            var outcome = Outcome()
            let now = Date()
            for message in messages {
                try self.process(message, now: now, outcome: &outcome, in: db)
            }
            return outcome
        }
    }

    private func process(_ message: MQTTMessage, now: Date, outcome: inout Outcome, in db: Database) throws {
        guard let route = AnswerRoute(topic: message.topic) else {
            try InboxStore.keepRejected(
                topic: message.topic, producer: nil, itemID: nil,
                rejection: Rejection(.invalidField, "no producer can be told apart from the topic \(message.topic)"),
                raw: message.payload, now: now, in: db)
            logger.warning("message on an unexpected topic kept as rejected", metadata: ["mqtt.topic": "\(message.topic)"])
            return
        }
        func refuseMessage(_ rejection: Rejection) throws {
            try InboxStore.keepRejected(topic: message.topic, producer: route.producer, itemID: nil,
                                        rejection: rejection, raw: message.payload, now: now, in: db)
            outcome.rejects[route.rejectTopic, default: []].append(.init(id: nil, code: rejection.code, message: rejection.message))
        }

        guard message.payload.count <= configuration.maxMessageBytes else {
            return try refuseMessage(Rejection(.oversize, "the message has \(message.payload.count) bytes; at most \(configuration.maxMessageBytes) are accepted"))
        }
        guard String(validating: message.payload, as: UTF8.self) != nil else {
            return try refuseMessage(Rejection(.invalidUTF8, "the message is not valid UTF-8"))
        }
        do {
            // The handler's item type, opened from the existential: each message is decoded once.
            try process(message, route: route, handler: handler, now: now, outcome: &outcome, in: db)
        } catch let refusal as MessageRefusal {
            try refuseMessage(refusal.rejection)
        }
    }

    /// A whole message refused (its envelope unreadable, or the wrong size or producer).
    private struct MessageRefusal: Error {
        var rejection: Rejection
    }

    private func process<Handler: InboxHandler>(_ message: MQTTMessage, route: AnswerRoute, handler: Handler, now: Date,
                                                outcome: inout Outcome, in db: Database) throws {
        let batch: ReceivedBatch<Handler.Body>
        do {
            batch = try WanxiaJSON.makeDecoder().decode(ReceivedBatch<Handler.Body>.self, from: message.payload)
        } catch {
            // Foundation reports a whole-number field given 1.5 or 1e30 as data that is not JSON;
            // if the text parses, it is JSON, and the fault is a field's.
            throw MessageRefusal(rejection: Self.rejection(for: error, parsed: Self.parses(message.payload)))
        }
        if batch.items.contains(where: { if case .failure = $0.item { true } else { false } }), !Self.parses(message.payload) {
            throw MessageRefusal(rejection: Rejection(.malformedJSON, "not JSON: a string in an item holds a raw control character, or other text JSON does not allow"))
        }
        guard batch.producer == route.producer else {
            throw MessageRefusal(rejection: Rejection(.invalidField, "producer \"\(batch.producer)\" does not match the topic's \"\(route.producer)\""))
        }
        guard (1...RawBatch.maxItems).contains(batch.items.count) else {
            throw MessageRefusal(rejection: Rejection(.invalidField, "items: a batch holds 1 to \(RawBatch.maxItems) items, this one \(batch.items.count)"))
        }
        let skew = Int64(batch.sentAt.timeIntervalSince(now).rounded())
        let clockSkew = abs(Double(skew)) > configuration.clockTolerance.timeInterval ? skew : nil
        if let clockSkew {
            logger.warning("a producer's clock is off; its items are kept and flagged", metadata: [
                "producer": "\(route.producer)", "clock.skewSeconds": "\(clockSkew)",
            ])
        }
        let encoder = WanxiaJSON.makeEncoder()
        // The items as plain JSON, read only when an item needs them: a body that would not decode,
        // or a fingerprint to compare in the older form.
        var plain: [RawItem]?
        func plainItem(_ index: Int) -> RawItem? {
            if plain == nil { plain = (try? WanxiaJSON.makeDecoder().decode(RawBatch.self, from: message.payload))?.items ?? [] }
            return plain.flatMap { index < $0.count ? $0[index] : nil }
        }
        for (index, received) in batch.items.enumerated() {
            let content: ItemContent
            switch received.item {
            case .success(let item):
                content = ItemContent(canonical: try encoder.encode(item), plain: { plainItem(index) })
            case .failure:
                content = ItemContent(canonical: (try? plainItem(index)?.canonicalData()) ?? Data(), plain: { plainItem(index) })
            }
            try process(received, content: content, handler: handler, route: route, topic: message.topic,
                        clockSkew: clockSkew, now: now, outcome: &outcome, in: db)
        }
    }

    /// Whether `payload` is JSON text (RFC 8259), whatever its shape.
    static func parses(_ payload: Data) -> Bool {
        (try? JSONSerialization.jsonObject(with: payload, options: [.fragmentsAllowed])) != nil
    }

    /// An item's content as the inbox compares and keeps it.
    private struct ItemContent {
        /// Sorted-key JSON of the item with times in UTC+8: equal content gives equal bytes.
        let canonical: Data
        /// The fingerprint of `canonical`, as `inbox_item` keeps it.
        let digest: Int64
        /// The item as plain JSON (for the fingerprint in the form earlier versions stored).
        let plain: () -> RawItem?

        init(canonical: Data, plain: @escaping () -> RawItem?) {
            self.canonical = canonical
            self.digest = Fingerprint.of(canonical)
            self.plain = plain
        }

        /// Whether `stored`, a fingerprint kept when the item first came, is of this content: in the
        /// current form, or in the plain-JSON form that versions before the typed reading stored.
        func matches(_ stored: Int64) -> Bool {
            if stored == digest { return true }
            guard let legacy = try? plain()?.canonicalData() else { return false }
            return Fingerprint.of(legacy) == stored
        }
    }

    private func process<Handler: InboxHandler>(
        _ received: ReceivedItem<Handler.Body>, content: ItemContent, handler: Handler, route: AnswerRoute, topic: String,
        clockSkew: Int64?, now: Date, outcome: inout Outcome, in db: Database
    ) throws {
        let id = received.id
        func refuse(_ rejection: Rejection, record: Bool) throws {
            if record {
                try InboxStore.record(id: id, producer: route.producer, seq: received.seq, type: received.type,
                                      digest: content.digest, status: .rejected, rejection: rejection, now: now, in: db)
            }
            try InboxStore.keepRejected(topic: topic, producer: route.producer, itemID: id,
                                        rejection: rejection, raw: content.canonical, now: now, in: db)
            outcome.rejects[route.rejectTopic, default: []].append(
                .init(id: id, seq: received.seq, code: rejection.code, message: rejection.message))
        }

        if let seen = try InboxStore.seen(id, in: db) {
            guard content.matches(seen.digest) else {
                return try refuse(Rejection(.conflict, "item \(id) was received before with different content; the first copy stands"), record: false)
            }
            switch seen.status {
            case .accepted:
                // A copy within this same commit is already in the ack list.
                if outcome.acks[route.ackTopic]?.last != id {
                    outcome.acks[route.ackTopic, default: []].append(id)
                }
                outcome.duplicates += 1
            case .rejected:
                outcome.rejects[route.rejectTopic, default: []].append(.init(
                    id: id, seq: received.seq, code: RejectCode(rawValue: seen.code ?? "rejected"), message: seen.message ?? ""))
            }
            return
        }
        do {
            let item = try received.item.get()
            do {
                try handler.check(item)
            } catch {
                throw Self.rejection(for: error)
            }
            try db.inSavepoint {
                try handler.apply(item, from: route.producer, in: db)
                return .commit
            }
            try InboxStore.record(id: id, producer: route.producer, seq: received.seq, type: received.type,
                                  digest: content.digest, status: .accepted, clockSkew: clockSkew, now: now, in: db)
            outcome.acks[route.ackTopic, default: []].append(id)
            outcome.accepted += 1
        } catch let rejection as Rejection where !rejection.code.isFinal {
            // Not yet: nothing is remembered, so the producer's next copy is judged afresh.
            outcome.rejects[route.rejectTopic, default: []].append(
                .init(id: id, seq: received.seq, code: rejection.code, message: rejection.message))
            outcome.deferred += 1
        } catch let rejection as Rejection {
            try refuse(rejection, record: true)
        }
    }

    /// The refusal for an error met while reading or checking an item: the contract's own words,
    /// with the field named by its path. `droppingPathPrefix` leaves out that many leading path
    /// components (an item's `items[3]`), so a refusal reads the same in a batch as alone.
    /// `parsed` says the text is known to be JSON, so data "not valid JSON" is a number that does
    /// not fit its field.
    static func rejection(for error: any Error, droppingPathPrefix: Int = 0, parsed: Bool = false) -> Rejection {
        switch error {
        case let error as Rejection: return error
        case let error as ContractError:
            guard droppingPathPrefix > 0, let field = error.field else { return Rejection(error.rejectCode, error.message) }
            var shortened = error
            shortened.field = DecodingErrorText.dropping(droppingPathPrefix, from: field)
            return Rejection(error.rejectCode, shortened.message)
        case let error as DecodingError:
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                if parsed {
                    return Rejection(.invalidField, "a number is fractional or out of range where a whole number is expected (seq, or a count)")
                }
                return Rejection(.malformedJSON, "not JSON: \(context.debugDescription)")
            }
            return Rejection(.invalidField, DecodingErrorText.describe(error, droppingPathPrefix: droppingPathPrefix))
        default: return Rejection(.invalidField, "\(error)")
        }
    }

    // MARK: Answers

    private func answer(_ outcome: Outcome) async throws {
        let now = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (topic, ids) in outcome.acks {
                for chunk in ids.chunked(1000) {
                    let payload = try WanxiaJSON.encode(Ack(consumer: consumer, at: now, ids: Array(chunk)))
                    group.addTask { try await self.client.publish(topic, payload: payload, qos: .atLeastOnce) }
                }
            }
            for (topic, entries) in outcome.rejects {
                for chunk in entries.chunked(1000) {
                    let payload = try WanxiaJSON.encode(Reject(consumer: consumer, at: now, rejected: Array(chunk)))
                    group.addTask { try await self.client.publish(topic, payload: payload, qos: .atLeastOnce) }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// Counters of an inbox since it started.
public struct InboxStatistics: Sendable, Hashable {
    public var subscribed = false
    public var commits = 0
    public var failedCommits = 0
    /// Failed commits that failed because the disk (or the database's size limit) was full.
    public var diskFullCommits = 0
    public var accepted = 0
    public var duplicates = 0
    public var rejected = 0
    /// Items refused for now only, waiting for a person or event record still on its way.
    public var deferred = 0
}

/// Where the answers to a message go, from the topic it came on.
struct AnswerRoute {
    var producer: TopicID
    var ackTopic: String
    var rejectTopic: String

    init?(topic: String) {
        switch try? Topic.parse(topic) {
        case .observations(let site, _)?:
            self.init(producer: site, ackTopic: Topic.siteAck(site: site), rejectTopic: Topic.siteReject(site: site))
        case .records(let producer)?:
            self.init(producer: producer, ackTopic: Topic.serviceAck(service: producer), rejectTopic: Topic.serviceReject(service: producer))
        default:
            return nil
        }
    }

    init(producer: TopicID, ackTopic: String, rejectTopic: String) {
        self.producer = producer
        self.ackTopic = ackTopic
        self.rejectTopic = rejectTopic
    }
}

/// Turns a `DecodingError` into a sentence naming the field.
public enum DecodingErrorText {
    public static func describe(_ error: DecodingError, droppingPathPrefix: Int = 0) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.dropFirst(droppingPathPrefix)
                .map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? whole : text)
        }
        let whole = droppingPathPrefix > 0 ? "(item)" : "(message)"
        switch error {
        case .keyNotFound(let key, let context):
            let base = path(context)
            return "\(base == whole ? "" : base + ".")\(key.stringValue) is missing"
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type); \(context.debugDescription)"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(type), found null"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// `field` (a path such as `items[3].body.hours`) without its first `count` components.
    static func dropping(_ count: Int, from field: String) -> String {
        var rest = Substring(field)
        for _ in 0..<count {
            guard !rest.isEmpty else { break }
            if rest.hasPrefix("[") {
                rest = rest.drop(while: { $0 != "]" }).dropFirst()
            } else {
                rest = rest.drop(while: { $0 != "." && $0 != "[" })
            }
            if rest.hasPrefix(".") { rest = rest.dropFirst() }
        }
        return String(rest)
    }
}
