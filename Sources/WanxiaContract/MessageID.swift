import Foundation

/// The id of an item or command: a UUIDv7 in lowercase with hyphens.
///
/// Ids sort by creation time (their first 48 bits are Unix milliseconds), which keeps SQLite
/// inserts fast, and compare as their text. Make new ones with ``make(now:)``; read ids from
/// elsewhere with ``init(validating:)``, which accepts only canonical lowercase UUIDv7 text.
public struct MessageID: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The canonical text, e.g. `019e19b2-b250-7420-a03c-fde6f1c26b30`.
    public let rawValue: String

    /// Checks that `text` is a lowercase, hyphenated UUID of version 7 and variant 10.
    public init(validating text: String, field: String? = nil) throws {
        guard Self.isValid(text) else { throw Self.invalid(text, field: field) }
        self.rawValue = text
    }

    private static func invalid(_ text: String, field: String?) -> ContractError {
        ContractError(.invalidID, field: field, "\"\(text)\" is not a lowercase UUIDv7 like 019e19b2-b250-7420-a03c-fde6f1c26b30")
    }

    /// A new id for `now`, time-ordered within this process (see ``MessageIDGenerator``).
    public static func make(now: Date = Date()) -> MessageID {
        MessageIDGenerator.shared.next(now: now)
    }

    /// Builds the canonical text from 16 bytes that already carry version and variant bits.
    init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a UUID has 16 bytes")
        let hex: StaticString = "0123456789abcdef"
        self.rawValue = String(unsafeUninitializedCapacity: 36) { text in
            var end = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[end] = UInt8(ascii: "-")
                    end += 1
                }
                text[end] = hex.utf8Start[Int(byte >> 4)]
                text[end + 1] = hex.utf8Start[Int(byte & 0x0F)]
                end += 2
            }
            return end
        }
    }

    /// The time in the id, to the millisecond.
    public var timestamp: Date {
        let hex = rawValue.prefix(13).replacingOccurrences(of: "-", with: "")
        return Date(timeIntervalSince1970: Double(UInt64(hex, radix: 16) ?? 0) / 1000)
    }

    /// Whether `text` is a lowercase, hyphenated UUIDv7 with variant 10.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        // Byte by byte, without copying: every item of every message is checked on arrival.
        let bytes = text.utf8
        guard bytes.count == 36 else { return false }
        func isHex(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        }
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return false }
            case 14:
                guard byte == UInt8(ascii: "7") else { return false }
            case 19:
                guard (UInt8(ascii: "8")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "a") || byte == UInt8(ascii: "b") else {
                    return false
                }
            default:
                guard isHex(byte) else { return false }
            }
        }
        return true
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

    public static func < (lhs: MessageID, rhs: MessageID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}
