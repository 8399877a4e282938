import Foundation
import GRDB

/// The seed of a fault test's random choices, printed so a failure can be replayed.
///
/// Taken from `WANXIA_FAULT_SEED` when set (to replay a run), else drawn fresh. Also home to the
/// small reads the fault tests poll with.
enum RegistrarFaultSeed {
    /// The seed for `test`, printed with how to replay it.
    static func make(for test: String) -> UInt64 {
        let seed = ProcessInfo.processInfo.environment["WANXIA_FAULT_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("\(test): seed \(seed) (replay with WANXIA_FAULT_SEED=\(seed))")
        return seed
    }

    /// Items the registrar has committed (rows of `inbox_item`), or 0 while its file can't be read.
    static func storedItems(at path: String?) -> Int {
        guard let path, FileManager.default.fileExists(atPath: path) else { return 0 }
        var configuration = Configuration()
        configuration.readonly = true
        guard let book = try? DatabaseQueue(path: path, configuration: configuration) else { return 0 }
        return (try? book.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox_item") }) ?? 0
    }
}
