import Foundation

/// JSON coding as the contract wants it: sorted keys, unescaped slashes, RFC 3339 times.
///
/// Encoders write times in China Standard Time (UTC+8) unless given another zone; decoders accept
/// any offset and reject times without one (a `DecodingError` that says so). Make a coder per use or
/// per task: `JSONEncoder` and `JSONDecoder` are classes with mutable settings.
public enum WanxiaJSON {
    /// China Standard Time, UTC+8, the bureau's zone unless configured otherwise.
    public static let defaultTimeZone = TimeZone(secondsFromGMT: 8 * 3600)!

    /// An encoder with sorted keys, unescaped slashes and times written in `timeZone`.
    public static func makeEncoder(timeZone: TimeZone = defaultTimeZone) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date, timeZone: timeZone))
        }
        return encoder
    }

    /// A decoder that reads RFC 3339 times with an offset or `Z`, with or without fractional seconds.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            do {
                return try RFC3339.date(from: text)
            } catch let error as ContractError {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.problem)
            }
        }
        return decoder
    }

    /// Encodes `value` with ``makeEncoder(timeZone:)``.
    public static func encode<T: Encodable>(_ value: T, timeZone: TimeZone = defaultTimeZone) throws -> Data {
        try makeEncoder(timeZone: timeZone).encode(value)
    }

    /// Decodes `type` from `data` with ``makeDecoder()``, then runs ``Validatable/validate()`` if the
    /// type has one, so the value returned obeys every rule of its schema.
    ///
    /// Throws `DecodingError` for malformed JSON or a wrong shape, and ``ContractError`` for an
    /// unsupported version, an unknown item type, a bad id or a broken rule.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let value = try makeDecoder().decode(type, from: data)
        if let validatable = value as? any Validatable {
            try validatable.validate()
        }
        return value
    }
}
