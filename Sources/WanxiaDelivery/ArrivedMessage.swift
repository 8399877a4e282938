import Foundation
import GRDB
import WanxiaContract
import WanxiaMQTT

/// A message as the inbox reads it on arrival, before any transaction: its route, and either the
/// reason the whole message is refused or its items decoded as the consumer's own type, each
/// with its fingerprint and the outcome of the handler's `check`.
///
/// Reading needs no database, so the inbox does it on the task that delivers messages while its
/// writer stores the previous batch: decoding and storing run side by side on two cores.
struct ArrivedMessage: Sendable {
    let message: MQTTMessage
    let reading: Reading
    /// A rough item count from the size: the limits on a transaction and on reading ahead only
    /// need a bound.
    static func estimatedItems(_ message: MQTTMessage) -> Int { max(1, message.payload.count / 200) }

    enum Reading: Sendable {
        /// The topic names no producer to answer.
        case unroutable
        /// The whole message is refused (its envelope unreadable, or the wrong size or producer).
        case refused(AnswerRoute, Rejection)
        case batch(AnswerRoute, any ArrivedBatch)
    }

    init<Handler: InboxHandler>(_ message: MQTTMessage, handler: Handler, maxMessageBytes: Int) {
        self.message = message
        guard let route = AnswerRoute(topic: message.topic) else {
            reading = .unroutable
            return
        }
        do {
            reading = .batch(route, try TypedBatch(message, route: route, handler: handler, maxMessageBytes: maxMessageBytes))
        } catch let rejection as Rejection {
            reading = .refused(route, rejection)
        } catch {
            reading = .refused(route, Inbox.rejection(for: error))
        }
    }
}

/// A message's items, read; the inbox stores them through ``Inbox/store(_:route:message:now:outcome:in:)``.
protocol ArrivedBatch: Sendable {
    func store(by inbox: Inbox, route: AnswerRoute, message: MQTTMessage, now: Date,
               outcome: inout Inbox.Outcome, in db: GRDB.Database) throws
}

/// The items of one message as `Handler` reads them.
struct TypedBatch<Handler: InboxHandler>: ArrivedBatch {
    let handler: Handler
    let batch: ReceivedBatch<Handler.Body>
    /// One per item of `batch`, in order.
    let items: [Reading]

    /// What reading found of one item.
    struct Reading: Sendable {
        /// The fingerprint of the typed item (nil when its body could not be read).
        var digest: Int64?
        /// Why `check` refused it, if it did.
        var refusal: Rejection?
    }

    /// Reads `message`; throws the `Rejection` that refuses it whole.
    init(_ message: MQTTMessage, route: AnswerRoute, handler: Handler, maxMessageBytes: Int) throws {
        guard message.payload.count <= maxMessageBytes else {
            throw Rejection(.oversize, "the message has \(message.payload.count) bytes; at most \(maxMessageBytes) are accepted")
        }
        guard String(validating: message.payload, as: UTF8.self) != nil else {
            throw Rejection(.invalidUTF8, "the message is not valid UTF-8")
        }
        let batch: ReceivedBatch<Handler.Body>
        do {
            batch = try WanxiaJSON.makeDecoder().decode(ReceivedBatch<Handler.Body>.self, from: message.payload)
        } catch {
            // Foundation reports a whole-number field given 1.5 or 1e30 as data that is not JSON;
            // if the text parses, it is JSON, and the fault is a field's.
            throw Inbox.rejection(for: error, parsed: Inbox.parses(message.payload))
        }
        if batch.items.contains(where: { if case .failure = $0.item { true } else { false } }), !Inbox.parses(message.payload) {
            throw Rejection(.malformedJSON, "not JSON: a string in an item holds a raw control character, or other text JSON does not allow")
        }
        guard batch.producer == route.producer else {
            throw Rejection(.invalidField, "producer \"\(batch.producer)\" does not match the topic's \"\(route.producer)\"")
        }
        guard (1...RawBatch.maxItems).contains(batch.items.count) else {
            throw Rejection(.invalidField, "items: a batch holds 1 to \(RawBatch.maxItems) items, this one \(batch.items.count)")
        }
        self.handler = handler
        self.batch = batch
        items = try batch.items.map { received in
            guard case .success(let item) = received.item else { return Reading() }
            var refusal: Rejection?
            do {
                try handler.check(item)
            } catch {
                refusal = Inbox.rejection(for: error)
            }
            return Reading(digest: try ContentFingerprint.of(item), refusal: refusal)
        }
    }

    func store(by inbox: Inbox, route: AnswerRoute, message: MQTTMessage, now: Date,
               outcome: inout Inbox.Outcome, in db: GRDB.Database) throws {
        try inbox.store(self, route: route, message: message, now: now, outcome: &outcome, in: db)
    }
}
