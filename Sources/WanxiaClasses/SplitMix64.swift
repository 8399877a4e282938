/// SplitMix64 (Steele, Lea and Flood 2014; Vigna's public-domain C reference): a tiny PRNG whose
/// output depends only on the seed, so a lottery drawn today can be re-drawn and checked on any
/// platform and any Swift version (`SystemRandomNumberGenerator` cannot be seeded, and the
/// standard library's shuffle algorithm is not promised to stay the same).
///
/// With seed 1234567 the first outputs are 6457827717110365317, 3203168211198807973, ...
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in `0..<bound` by rejection (no modulo bias); `bound` must be positive.
    public mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "below(0)")
        let threshold = (0 &- bound) % bound  // 2^64 mod bound: outputs under it are rejected.
        while true {
            let value = next()
            if value >= threshold { return value % bound }
        }
    }

    /// The Fisher-Yates shuffle of `items` (from the last position down, swapping with a position
    /// drawn by ``below(_:)``): the documented algorithm a re-draw must repeat exactly.
    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var items = items
        var index = items.count - 1
        while index > 0 {
            let other = Int(below(UInt64(index + 1)))
            items.swapAt(index, other)
            index -= 1
        }
        return items
    }
}
