import Foundation

/// The seed of a fault test's random choices, printed so a failure can be replayed.
///
/// Taken from `WANXIA_FAULT_SEED` when set (to replay a run), else drawn fresh. The seed fixes the
/// test's choices (when to kill, for how long); the timing of the processes still varies.
enum RegistrarFaultSeed {
    /// The seed for `test`, printed with how to replay it.
    static func make(for test: String) -> UInt64 {
        let seed = ProcessInfo.processInfo.environment["WANXIA_FAULT_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("\(test): seed \(seed) (replay with WANXIA_FAULT_SEED=\(seed))")
        return seed
    }
}
