/// The schema version carried as `"v"` in every top-level payload.
///
/// Decoding a version this build does not understand throws a ``ContractError`` with code
/// ``ContractError/Code/unsupportedVersion`` that names the version. Payloads built in code always
/// carry ``current``.
public struct SchemaVersion: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The version number.
    public let rawValue: Int

    /// Version 1, the only one so far.
    public static let v1 = SchemaVersion(rawValue: 1)
    /// The version this build writes.
    public static let current = v1
    /// The versions this build reads.
    public static let supported: Set<SchemaVersion> = [.v1]

    private init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let number = try decoder.singleValueContainer().decode(Int.self)
        let version = SchemaVersion(rawValue: number)
        guard Self.supported.contains(version) else {
            throw ContractError(.unsupportedVersion, field: decoder.fieldPath,
                                "schema version \(number) is not supported; this build reads version \(Self.current.rawValue)")
        }
        self = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: SchemaVersion, rhs: SchemaVersion) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "v\(rawValue)" }
}
