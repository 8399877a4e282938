/// Random pseudonymous ids for young people (`Y-...`) and pairs (`pair-...`).
///
/// Drawn from `SystemRandomNumberGenerator` (the OS CSPRNG: `getrandom` on Linux), never derived
/// from a name or ID number, so nothing outside the identity store can link one back to a person.
/// 20 base-32 characters carry 100 random bits.
public enum Pseudonym {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// A fresh young person's pseudonym such as `Y-7k2m9q...`.
    public static func youth() -> String { "Y-" + random(20) }

    /// A fresh pair id such as `pair-3hx8...` (12 characters: 60 bits).
    public static func pair() -> String { "pair-" + random(12) }

    /// `count` random base-32 characters.
    public static func random(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }
}
