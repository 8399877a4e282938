import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The reference for storing: N rows with UUIDv7 keys in one transaction, GRDB prepared
/// statement, WAL, `synchronous=FULL`.
enum SQLiteReference {
    static func run(_ context: BenchContext) throws -> Double {
        let n = context.options.n
        let database = try DeliveryDatabase.openPool(at: context.folder.appendingPathComponent("raw.sqlite").path)
        try database.write { db in
            try db.execute(sql: "CREATE TABLE entry (id TEXT PRIMARY KEY, person TEXT, hours REAL, at INTEGER)")
        }
        let ids = (0..<n).map { _ in MessageID.make().description }
        let start = ContinuousClock.now
        try database.write { db in
            let statement = try db.makeStatement(sql: "INSERT INTO entry(id, person, hours, at) VALUES (?, ?, ?, ?)")
            for (index, id) in ids.enumerated() {
                try statement.execute(arguments: [id, "p-\(index % 500)", 1.5, index])
            }
        }
        return Double(n) / (ContinuousClock.now - start).timeInterval
    }
}
