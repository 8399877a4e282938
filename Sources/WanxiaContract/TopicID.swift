/// An id that can stand as one MQTT topic level: a site, service, client or producer id, or the
/// kind and id of a state document.
///
/// Its text matches `^[a-z0-9][a-z0-9-]{0,63}$`, so it can never hold `/`, `+`, `#` or uppercase
/// letters. Build one from user input with ``init(validating:)``; a string literal is checked too
/// and traps if invalid (a literal is the programmer's responsibility).
public struct TopicID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The id's text.
    public let rawValue: String

    /// Checks `text` and wraps it; throws ``ContractError`` with code ``ContractError/Code/invalidID``.
    public init(validating text: String, field: String? = nil) throws {
        guard Self.isValid(text) else { throw Self.invalid(text, field: field) }
        self.rawValue = text
    }

    private static func invalid(_ text: String, field: String?) -> ContractError {
        ContractError(.invalidID, field: field, "\"\(text)\" is not a topic-safe id (1-64 of a-z 0-9 -, not starting with -)")
    }

    public init(stringLiteral text: String) {
        precondition(Self.isValid(text), "\"\(text)\" is not a topic-safe id")
        self.rawValue = text
    }

    /// Whether `text` matches `^[a-z0-9][a-z0-9-]{0,63}$`.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, (1...64).contains(bytes.count), first != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        // The field's path (a string built from the coding path) only for a refusal: every id
        // of every batch is decoded here.
        guard Self.isValid(text) else { throw Self.invalid(text, field: decoder.fieldPath) }
        self.rawValue = text
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: TopicID, rhs: TopicID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}
