/// An error in a topic or payload of the Wanxia contract.
///
/// `message` names the field (as a path such as `items[2].body.minutes`) and the problem, so it can
/// be shown to an operator or sent back in a ``Reject`` as is. `code` is stable and machine-readable;
/// ``rejectCode`` maps it onto the reject vocabulary.
public struct ContractError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem this is. Extensible: new codes may be added in later versions.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        /// A topic that is not one of the contract's topics.
        public static let invalidTopic = Code(rawValue: "invalid-topic")
        /// An id that does not have the required shape.
        public static let invalidID = Code(rawValue: "invalid-id")
        /// A field whose value breaks a rule of the schema.
        public static let invalidField = Code(rawValue: "invalid-field")
        /// A time that is not RFC 3339 with an offset.
        public static let invalidTime = Code(rawValue: "invalid-time")
        /// A payload whose `v` this build does not understand.
        public static let unsupportedVersion = Code(rawValue: "unsupported-version")
        /// An item whose `type` this build does not understand.
        public static let unknownType = Code(rawValue: "unknown-type")
    }

    /// The kind of problem.
    public var code: Code
    /// Path of the offending field, such as `items[0].body.card`, or nil for the whole value.
    public var field: String?
    /// What is wrong, without the field name.
    public var problem: String
    /// The error that caused this one, if any.
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, field: String? = nil, _ problem: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.field = field
        self.problem = problem
        self.underlying = underlying
    }

    /// The field and the problem, in one sentence for people.
    public var message: String {
        guard let field, !field.isEmpty else { return problem }
        return "\(field): \(problem)"
    }

    public var description: String { message }

    /// The reject code a consumer sends back for this error.
    public var rejectCode: RejectCode {
        switch code {
        case .unsupportedVersion: .unsupportedVersion
        case .unknownType: .unknownType
        default: .invalidField
        }
    }

    /// This error with `prefix` put in front of its field path (`items[2]` + `body.minutes`).
    func within(_ prefix: String) -> ContractError {
        var copy = self
        switch field {
        case nil, "": copy.field = prefix
        case let field? where field.hasPrefix("["): copy.field = prefix + field
        case let field?: copy.field = prefix + "." + field
        }
        return copy
    }
}
