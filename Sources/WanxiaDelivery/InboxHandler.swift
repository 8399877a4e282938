import GRDB
import WanxiaContract

/// What a consumer does with each item its inbox receives.
///
/// The inbox calls `apply` inside its write transaction, under a savepoint per item, after it has
/// checked that the item is new (not a duplicate or a conflicting copy of one). Whatever `apply`
/// writes commits together with the inbox's own record of the item, and only then is the item
/// acknowledged: stored once, derived once.
public protocol InboxHandler: Sendable {
    /// Checks and stores one item.
    ///
    /// Throw a `Rejection` to refuse the item: its writes are rolled back to the savepoint, the
    /// refusal is remembered (a resent copy gets the same answer) and sent to the producer's reject
    /// topic. Any other error aborts the whole batch, which is not acknowledged and so comes again.
    func apply(_ item: RawItem, from producer: TopicID, in db: Database) throws
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
