/// The machine-readable reason of a rejection: a kebab-case word. Extensible: consumers may send
/// codes added after this build, so compare with the static members and treat others as generic.
public struct RejectCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// The message is not JSON (or not an object).
    public static let malformedJSON: RejectCode = "malformed-json"
    /// The payload's `v` is not understood.
    public static let unsupportedVersion: RejectCode = "unsupported-version"
    /// The item's `type` is not understood.
    public static let unknownType: RejectCode = "unknown-type"
    /// A field is missing or breaks a rule of the schema.
    public static let invalidField: RejectCode = "invalid-field"
    /// The person id is not known to the consumer (yet: see ``isFinal``).
    public static let unknownPerson: RejectCode = "unknown-person"
    /// The event id is not known to the consumer (yet: see ``isFinal``).
    public static let unknownEvent: RejectCode = "unknown-event"

    /// Whether the refusal stands for good. `unknown-person` and `unknown-event` do not: the person
    /// or event record may still be on its way (records overtake each other when batches are
    /// resent), so the consumer does not remember the refusal and the producer keeps the item and
    /// sends it again on its usual back-off until it is stored.
    public var isFinal: Bool {
        self != .unknownPerson && self != .unknownEvent
    }
    /// The id was seen before with different content; the new version is kept for inspection.
    public static let conflict: RejectCode = "conflict"
    /// The message or batch is too large.
    public static let oversize: RejectCode = "oversize"
    /// The payload is not valid UTF-8.
    public static let invalidUTF8: RejectCode = "invalid-utf8"
    /// A number or time is outside what the programme allows.
    public static let outOfRange: RejectCode = "out-of-range"
    /// The card or person is not on the activity's roster.
    public static let notOnRoster: RejectCode = "not-on-roster"
    /// The person is already checked in to the activity.
    public static let duplicateCheckin: RejectCode = "duplicate-checkin"
    /// A checkout with no matching checkin.
    public static let checkoutWithoutCheckin: RejectCode = "checkout-without-checkin"
    /// A confirmation from someone who does not lead the activity's team.
    public static let notLeader: RejectCode = "not-leader"
}
