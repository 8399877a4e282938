import Foundation

/// The seed of a randomised corpus: `WANXIA_BAD_INPUT_SEED` from the environment to replay a run,
/// a fresh random one otherwise. Tests print it.
enum BadInputSeed {
    /// How many messages a corpus holds: `WANXIA_BAD_INPUT_MESSAGES` (to try a small one while
    /// working on the suite), else `default`.
    static func messages(default count: Int) -> Int {
        ProcessInfo.processInfo.environment["WANXIA_BAD_INPUT_MESSAGES"].flatMap { Int($0) } ?? count
    }

    static func current() -> UInt64 {
        if let text = ProcessInfo.processInfo.environment["WANXIA_BAD_INPUT_SEED"], let seed = UInt64(text) {
            return seed
        }
        return UInt64.random(in: 1...UInt64.max)
    }
}
