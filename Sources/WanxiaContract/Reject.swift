import Foundation

/// Consumer to producer: items, or whole messages, that will never be accepted, with reasons.
///
/// The consumer stores each rejection in its rejects table; the producer must not resend the item
/// unchanged. `id` is null when the message could not be parsed at all.
public struct Reject: Codable, Sendable, Equatable, Validatable {
    /// One rejected item or message.
    public struct Entry: Codable, Sendable, Equatable {
        /// The item's id, or nil (written as JSON null) when the message could not be parsed.
        public var id: MessageID?
        /// The item's sequence number, when known.
        public var seq: Int64?
        public var code: RejectCode
        /// What is wrong, for people.
        public var message: String

        public init(id: MessageID?, seq: Int64? = nil, code: RejectCode, message: String) {
            self.id = id
            self.seq = seq
            self.code = code
            self.message = message
        }

        private enum CodingKeys: String, CodingKey {
            case id, seq, code, message
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            // A producer may send a sequence number below 1 (that is one reason to reject it); it
            // is not a sequence number, so it is left out rather than echoed into a Reject that
            // the contract, and so the producer, would refuse as a whole.
            try container.encodeIfPresent(seq.flatMap { $0 >= 1 ? $0 : nil }, forKey: .seq)
            try container.encode(code, forKey: .code)
            try container.encode(Self.readable(message), forKey: .message)
        }

        /// `message` as the contract's text allows (1 to 500 characters, no NUL): a reason often
        /// quotes the bad value, and a Reject that broke its own schema would be refused whole by
        /// the producer, with every other rejection in it.
        static func readable(_ message: String) -> String {
            let text = message.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
            if text.isEmpty { return "rejected" }
            return text.count <= 500 ? text : String(text.prefix(499)) + "…"
        }
    }

    public var v: SchemaVersion = .current
    public var consumer: TopicID
    public var at: Date
    public var rejected: [Entry]

    public init(consumer: TopicID, at: Date = Date(), rejected: [Entry]) {
        self.consumer = consumer
        self.at = at
        self.rejected = rejected
    }

    public func validate() throws {
        try Check.count(rejected.count, 1...1000, "rejected")
        try Check.each(rejected, "rejected") { entry in
            try Check.atLeast(entry.seq, 1, "seq")
            try Check.keyword(entry.code.rawValue, "code")
            try Check.text(entry.message, "message")
        }
    }
}
