import Foundation

/// The typed body of a batch item: a closed set of item types, chosen by the item's `type` field.
///
/// ``Observation`` (site to service) and ``Record`` (service to registrar) conform. An ``Item``
/// decodes `type` first and hands the `body` decoder to ``init(type:from:)``.
public protocol ItemBody: Sendable, Equatable, Validatable {
    /// The item's `type`, e.g. `checkin` or `participation`.
    var type: String { get }

    /// Decodes the body of an item of type `type`; throws ``ContractError`` with code
    /// ``ContractError/Code/unknownType`` for a type this build does not know.
    init(type: String, from decoder: any Decoder) throws

    /// Encodes the body only (not the type).
    func encode(to encoder: any Encoder) throws

    /// The body's JSON exactly as ``WanxiaJSON/encode(_:timeZone:)`` writes it in the default
    /// zone, when the type writes it faster by hand; nil (the default) leaves it to the encoder.
    func canonicalJSON() throws -> Data?
}

extension ItemBody {
    public func canonicalJSON() throws -> Data? { nil }

    static func unknownType(_ type: String, _ decoder: any Decoder, known: [String]) -> ContractError {
        let path = AnyCodingKey.path(decoder.codingPath.dropLast())
        return ContractError(.unknownType, field: path.isEmpty ? "type" : path + ".type",
                             "unknown item type \"\(type)\"; known types are \(known.joined(separator: ", "))")
    }
}
