import GRDB
import WanxiaContract

/// What a consumer does with each item its inbox receives.
///
/// The inbox decodes every item once, as `Item<Body>` (``Observation`` for a programme service,
/// ``Record`` for the registrar); an item whose body does not decode is refused with the
/// contract's words and never reaches the handler. For the others it calls ``check(_:)`` and then
/// ``apply(_:from:in:)`` inside its write transaction, under a savepoint per item, after it has
/// made sure the item is new (not a duplicate or a conflicting copy of one). Whatever `apply`
/// writes commits together with the inbox's own record of the item, and only then is the item
/// acknowledged: stored once, derived once.
public protocol InboxHandler: Sendable {
    /// The item bodies this consumer reads.
    associatedtype Body: ItemBody

    /// Checks an item's contract rules before it is applied. The default runs the item's own
    /// `validate()`; a consumer that words some refusals its own way checks those first. It runs
    /// when the message arrives, outside any transaction and on the task that delivers messages,
    /// so it may look at the item only, never at stored state.
    func check(_ item: Item<Body>) throws

    /// Checks and stores one item.
    ///
    /// Throw a `Rejection` to refuse the item: its writes are rolled back to the savepoint, the
    /// refusal is remembered (a resent copy gets the same answer) and sent to the producer's reject
    /// topic. Any other error aborts the whole batch, which is not acknowledged and so comes again.
    func apply(_ item: Item<Body>, from producer: TopicID, in db: Database) throws

    /// True when `apply` throws a `Rejection` only before its first write: the inbox then runs it
    /// without a savepoint, which costs as much as a small item's own writes (every page the
    /// savepoint is first to touch is copied). False by default.
    var refusesBeforeWriting: Bool { get }
}

extension InboxHandler {
    public var refusesBeforeWriting: Bool { false }

    public func check(_ item: Item<Body>) throws {
        try item.validate()
    }

    /// Decodes, checks and applies one item given as plain JSON, refusing it exactly as the inbox
    /// would: for tools and tests that hand a consumer single items without a broker.
    public func apply(raw: RawItem, from producer: TopicID, in db: Database) throws {
        let item: Item<Body>
        do {
            item = try WanxiaJSON.makeDecoder().decode(Item<Body>.self, from: raw.canonicalData())
        } catch {
            throw Inbox.rejection(for: error)
        }
        do {
            try check(item)
        } catch {
            throw Inbox.rejection(for: error)
        }
        try apply(item, from: producer, in: db)
    }
}

/// A consumer's refusal of one item, with a machine-readable code and a sentence for people.
public struct Rejection: Error, Sendable, CustomStringConvertible {
    public var code: RejectCode
    public var message: String

    public init(_ code: RejectCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// A fault in a consumer's own code rather than in its input: the commit fails, nothing of it is
/// kept or acknowledged, and it is logged for the operator.
public enum InboxError: Error, Sendable, CustomStringConvertible {
    /// A handler whose `refusesBeforeWriting` is true wrote and then refused an item. Kept, the
    /// item's first writes would stand without it, so the whole commit is given up instead.
    case wroteBeforeRefusing(item: MessageID, Rejection)

    public var description: String {
        switch self {
        case .wroteBeforeRefusing(let item, let rejection):
            "the handler refused item \(item) (\(rejection)) after writing, though it says it refuses only before writing; nothing of this commit was kept"
        }
    }
}
