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
/// `wanxia/v1/registrar/records/...`) are read on arrival (decoded as the handler's item type,
/// fingerprinted, checked: ``ArrivedMessage``) and queue in memory; at most `maxItemsReadAhead`
/// items wait read, and later messages wait as they came until there is room (``InboxQueue``).
/// One writer drains the queue: everything waiting goes into one transaction (group commit, up
/// to `maxItemsPerCommit` items), where each new item is handed to the `InboxHandler` under a
/// savepoint (unless the handler refuses only before writing) and recorded by id. Only after the
/// commit are the `Ack`s and `Reject`s published, each to the producer's own topic, while the
/// writer goes on with the next transaction.
///
/// An item seen before with the same content is acknowledged again (stored once); with
/// different content it is rejected as a conflict and the copy kept. Malformed, oversize or
/// non-UTF-8 messages are refused with a reason and kept with their raw bytes. A refusal that is
/// not final (an unknown person or event, which may still be on its way) is sent but not
/// remembered: the next copy is judged afresh. A message lost from the in-memory queue by a crash
/// was never acknowledged, so its producer sends it again.
public final class Inbox: Service, Sendable {
    public struct Configuration: Sendable {
        public var maxItemsPerCommit: Int = 4000
        /// Items read ahead of the writer, at most; later messages wait unread (see ``InboxQueue``).
        public var maxItemsReadAhead: Int = 8000
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
    /// Arrived messages, read as the handler's item type off the writer's path.
    private let queue: InboxQueue<MQTTMessage, ArrivedMessage>
    private let configuration: Configuration
    private let logger: Logger
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
        let maxMessageBytes = configuration.maxMessageBytes
        queue = InboxQueue(readAhead: configuration.maxItemsReadAhead, items: ArrivedMessage.estimatedItems) { message in
            ArrivedMessage(message, handler: handler, maxMessageBytes: maxMessageBytes)
        }
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
        queue.append(message)
    }

    public func run() async throws {
        for filter in subscriptions { try await client.subscribe(filter, qos: .atLeastOnce) }
        counters.withLock { $0.subscribed = true }
        // The answers of one commit go out while the next is written: waiting for their PUBACKs
        // left the writer idle for a broker round trip per commit.
        let (outcomes, answers) = AsyncStream.makeStream(of: Outcome.self)
        await withDiscardingTaskGroup { group in
            group.addTask { await self.queue.readWaiting() }
            group.addTask { await self.answer(outcomes) }
            await write(answering: answers)
            answers.finish()
            queue.close()
        }
    }

    /// The writer: stores what the queue holds read, a commit at a time, until the service stops.
    private func write(answering answers: AsyncStream<Outcome>.Continuation) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let messages = queue.take(maxItems: configuration.maxItemsPerCommit)
            if messages.isEmpty {
                await queue.waitForMessages(timeout: .seconds(1))
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
                answers.yield(outcome)
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

    // MARK: The transaction

    struct Outcome: Sendable {
        var acks: [String: [MessageID]] = [:]
        var rejects: [String: [Reject.Entry]] = [:]
        var accepted = 0
        var duplicates = 0
        /// Refused for now only (``RejectCode/isFinal`` false); also counted in `rejects`.
        var deferred = 0
        var rejectedCount: Int { rejects.values.reduce(0) { $0 + $1.count } - deferred }
    }

    private func commit(_ messages: [ArrivedMessage]) async throws -> Outcome {
        try await database.write { db in
            var outcome = Outcome()
            let now = Date()
            for arrived in messages {
                try self.store(arrived, now: now, outcome: &outcome, in: db)
            }
            return outcome
        }
    }

    private func store(_ arrived: ArrivedMessage, now: Date, outcome: inout Outcome, in db: Database) throws {
        let message = arrived.message
        switch arrived.reading {
        case .unroutable:
            try InboxStore.keepRejected(
                topic: message.topic, producer: nil, itemID: nil,
                rejection: Rejection(.invalidField, "no producer can be told apart from the topic \(message.topic)"),
                raw: message.payload, now: now, in: db)
            logger.warning("message on an unexpected topic kept as rejected", metadata: ["mqtt.topic": "\(message.topic)"])
        case .refused(let route, let rejection):
            try InboxStore.keepRejected(topic: message.topic, producer: route.producer, itemID: nil,
                                        rejection: rejection, raw: message.payload, now: now, in: db)
            outcome.rejects[route.rejectTopic, default: []].append(.init(id: nil, code: rejection.code, message: rejection.message))
        case .batch(let route, let batch):
            // The handler's item type, opened from the existential.
            try batch.store(by: self, route: route, message: message, now: now, outcome: &outcome, in: db)
        }
    }

    /// Stores the items of a message read by ``TypedBatch``: called back from it.
    func store<Handler: InboxHandler>(_ typed: TypedBatch<Handler>, route: AnswerRoute, message: MQTTMessage, now: Date,
                                      outcome: inout Outcome, in db: Database) throws {
        let batch = typed.batch
        let skew = Int64(batch.sentAt.timeIntervalSince(now).rounded())
        let clockSkew = abs(Double(skew)) > configuration.clockTolerance.timeInterval ? skew : nil
        if let clockSkew {
            logger.warning("a producer's clock is off; its items are kept and flagged", metadata: [
                "producer": "\(route.producer)", "clock.skewSeconds": "\(clockSkew)",
            ])
        }
        // The items as plain JSON, read only when an item needs them: a body that would not decode,
        // a refused item's bytes to keep, or a fingerprint to compare in an older form.
        var plain: [RawItem]?
        func plainItem(_ index: Int) -> RawItem? {
            if plain == nil { plain = (try? WanxiaJSON.makeDecoder().decode(RawBatch.self, from: message.payload))?.items ?? [] }
            return plain.flatMap { index < $0.count ? $0[index] : nil }
        }
        for (index, (received, reading)) in zip(batch.items, typed.items).enumerated() {
            let content: ItemContent
            switch (received.item, reading.digest) {
            case (.success(let item), let digest?):
                content = ItemContent(digest: digest, canonical: { (try? WanxiaJSON.encode(item)) ?? Data() },
                                      plain: { plainItem(index) })
            default:
                let canonical = (try? plainItem(index)?.canonicalData()) ?? Data()
                content = ItemContent(digest: Fingerprint.of(canonical), canonical: { canonical }, plain: { plainItem(index) })
            }
            try process(received, content: content, refusal: reading.refusal, handler: typed.handler,
                        route: route, topic: message.topic, clockSkew: clockSkew, now: now, outcome: &outcome, in: db)
        }
    }

    /// Whether `payload` is JSON text (RFC 8259), whatever its shape.
    static func parses(_ payload: Data) -> Bool {
        (try? JSONSerialization.jsonObject(with: payload, options: [.fragmentsAllowed])) != nil
    }

    /// An item's content as the inbox compares and keeps it.
    private struct ItemContent {
        /// The fingerprint `inbox_item` keeps: of the typed item (``ContentFingerprint``), or of
        /// the plain JSON when the body could not be read.
        let digest: Int64
        /// Sorted-key JSON of the item with times in UTC+8 (equal content gives equal bytes): what
        /// a refusal keeps, and the form of fingerprint versions before 2026-11-24 stored.
        let canonical: () -> Data
        /// The item as plain JSON (for the fingerprint in the form still earlier versions stored).
        let plain: () -> RawItem?

        /// Whether `stored`, a fingerprint kept when the item first came, is of this content: in the
        /// current form, or in a form that earlier versions stored. Only a conflicting copy, or one
        /// first stored by an earlier version, pays for the older forms.
        func matches(_ stored: Int64) -> Bool {
            if stored == digest { return true }
            if Fingerprint.of(canonical()) == stored { return true }
            guard let legacy = try? plain()?.canonicalData() else { return false }
            return Fingerprint.of(legacy) == stored
        }
    }

    private func process<Handler: InboxHandler>(
        _ received: ReceivedItem<Handler.Body>, content: ItemContent, refusal: Rejection?, handler: Handler, route: AnswerRoute, topic: String,
        clockSkew: Int64?, now: Date, outcome: inout Outcome, in db: Database
    ) throws {
        let id = received.id
        func refuse(_ rejection: Rejection) throws {
            try InboxStore.keepRejected(topic: topic, producer: route.producer, itemID: id,
                                        rejection: rejection, raw: content.canonical(), now: now, in: db)
            outcome.rejects[route.rejectTopic, default: []].append(
                .init(id: id, seq: received.seq, code: rejection.code, message: rejection.message))
        }

        // The item's line in the idempotency book is claimed first, as accepted: one statement
        // both tells a new item from a copy and records it. A refusal then amends or removes it.
        let claimed = try InboxStore.claim(id: id, producer: route.producer, seq: received.seq, type: received.type,
                                           digest: content.digest, clockSkew: clockSkew, now: now, in: db)
        if !claimed {
            let seen = try InboxStore.seen(id, in: db)
            guard let seen, content.matches(seen.digest) else {
                return try refuse(Rejection(.conflict, "item \(id) was received before with different content; the first copy stands"))
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
            if let refusal { throw refusal }
            if handler.refusesBeforeWriting {
                // A statement either runs whole or not at all, so nothing needs undoing; a handler
                // that wrote and then refused anyway fails the whole commit rather than keep half an item.
                let changes = db.totalChangesCount
                do {
                    try handler.apply(item, from: route.producer, in: db)
                } catch let rejection as Rejection where db.totalChangesCount != changes {
                    throw InboxError.wroteBeforeRefusing(item: id, rejection)
                }
            } else {
                try db.inSavepoint {
                    try handler.apply(item, from: route.producer, in: db)
                    return .commit
                }
            }
            outcome.acks[route.ackTopic, default: []].append(id)
            outcome.accepted += 1
        } catch let rejection as Rejection where !rejection.code.isFinal {
            // Not yet: nothing is remembered, so the producer's next copy is judged afresh.
            try InboxStore.forget(id, in: db)
            outcome.rejects[route.rejectTopic, default: []].append(
                .init(id: id, seq: received.seq, code: rejection.code, message: rejection.message))
            outcome.deferred += 1
        } catch let rejection as Rejection {
            try InboxStore.markRejected(id, rejection: rejection, in: db)
            try refuse(rejection)
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

    /// Publishes each committed outcome's acks and refusals, in commit order, until the writer
    /// stops. An answer that cannot be published is not lost work: its items are stored, and the
    /// producer, never acknowledged, sends them again and is acknowledged then.
    private func answer(_ outcomes: AsyncStream<Outcome>) async {
        for await outcome in outcomes {
            do {
                try await answer(outcome)
            } catch let error as MQTTError where error.code == .shutdown {
                return
            } catch is CancellationError {
                return
            } catch {
                logger.warning("answers not published; the producers will send those items again", metadata: ["error": "\(error)"])
            }
        }
    }

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
