import WanxiaContract

/// A random generator whose sequence depends only on its seed: the shared ``SplitMix64``, with the
/// shuffle that competitions' draws were first made with (kept, so recorded seeds still replay).
///
/// Draws of lots, knockout draws and demo plans use it so that anyone holding the recorded seed can
/// repeat a draw and get the same result on any machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    public init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    public mutating func next() -> UInt64 { generator.next() }

    /// Shuffles `array` by Fisher-Yates with this generator, the same way on every Swift version
    /// (the standard library's `shuffle(using:)` does not promise a fixed algorithm).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            array.swapAt(i, j)
        }
    }
}
