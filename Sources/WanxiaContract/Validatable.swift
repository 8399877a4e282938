/// A payload with rules that `Codable` alone cannot check (id shapes, ranges, fields that depend on
/// one another).
///
/// ``WanxiaJSON/decode(_:from:)`` calls `validate()` after decoding, so a value it returns is valid.
/// Call `validate()` yourself before publishing a value you built in code.
public protocol Validatable {
    /// Throws a ``ContractError`` naming the first field that breaks a rule of the schema.
    func validate() throws
}
