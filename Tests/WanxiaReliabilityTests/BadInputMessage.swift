import Foundation
import WanxiaContract

/// One MQTT message of the bad-input corpus: where it goes, its bytes, and what must happen to it.
struct BadInputMessage: Sendable {
    /// What the consumer must answer.
    enum Fate: Sendable {
        /// The message is read; each item is answered on its own (an ack, or a reject with its id).
        case items([Answer])
        /// The whole message is refused: one reject with no id, on the producer's reject topic.
        case refused(RejectCode)
        /// No producer can be told apart from the topic: the message is kept as rejected, unanswered.
        case kept(RejectCode)
    }

    /// The answer one item of a readable message must get.
    struct Answer: Sendable, Equatable {
        var id: MessageID
        /// nil: an ack; otherwise a reject with this code.
        var rejection: RejectCode?
        /// Whether this copy is the first the consumer sees of the id (and so stores or keeps it).
        var first: Bool
    }

    /// The producer whose connection publishes it (and whose topics carry the answers).
    var producer: TopicID
    var topic: String
    var payload: Data
    var fate: Fate
    /// Which kind of message this is, for the corpus summary.
    var label: String

    /// How many answer entries (ack ids plus reject entries) the message brings.
    var answerCount: Int {
        switch fate {
        case .items(let answers): answers.count
        case .refused: 1
        case .kept: 0
        }
    }
}
