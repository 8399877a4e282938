import Foundation

/// Any JSON value, for bodies the code passing them on does not need to understand.
///
/// Numbers are `Double`: integers beyond ±2^53 lose precision. Integral numbers are written without
/// a fraction (`3`, not `3.0`). ``canonicalData()`` writes keys sorted, so two values with the same
/// content give the same bytes: use it to compare content.
public enum JSONValue: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 9_007_199_254_740_992 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The JSON form of any `Encodable` value, times written as ``WanxiaJSON`` writes them.
    public init(encoding value: some Encodable) throws {
        self = try WanxiaJSON.makeDecoder().decode(JSONValue.self, from: WanxiaJSON.encode(value))
    }

    /// Decodes this value as `type` (and validates it, see ``WanxiaJSON/decode(_:from:)``).
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try WanxiaJSON.decode(type, from: canonicalData())
    }

    /// UTF-8 JSON with sorted keys and unescaped slashes: equal content gives equal bytes.
    public func canonicalData() throws -> Data {
        try WanxiaJSON.encode(self)
    }

    /// The members of an object, or nil for any other value.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { members } else { nil }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
