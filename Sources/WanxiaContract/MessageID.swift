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
        guard Self.isValid(text) else {
            throw ContractError(.invalidID, field: field,
                                "\"\(text)\" is not a lowercase UUIDv7 like 019e19b2-b250-7420-a03c-fde6f1c26b30")
        }
        self.rawValue = text
    }

    /// A new id for `now`, time-ordered within this process (see ``MessageIDGenerator``).
    public static func make(now: Date = Date()) -> MessageID {
        MessageIDGenerator.shared.next(now: now)
    }

    /// Builds the canonical text from 16 bytes that already carry version and variant bits.
    init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a UUID has 16 bytes")
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        self.rawValue = String(decoding: text, as: UTF8.self)
    }

    /// The time in the id, to the millisecond.
    public var timestamp: Date {
        let hex = rawValue.prefix(13).replacingOccurrences(of: "-", with: "")
        return Date(timeIntervalSince1970: Double(UInt64(hex, radix: 16) ?? 0) / 1000)
    }

    /// Whether `text` is a lowercase, hyphenated UUIDv7 with variant 10.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return false }
            case 14:
                guard byte == UInt8(ascii: "7") else { return false }
            case 19:
                guard "89ab".utf8.contains(byte) else { return false }
            default:
                guard "0123456789abcdef".utf8.contains(byte) else { return false }
            }
        }
        return true
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(validating: text, field: decoder.fieldPath)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: MessageID, rhs: MessageID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}
