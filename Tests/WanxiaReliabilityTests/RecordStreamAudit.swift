import Foundation
import GRDB
import WanxiaContract
import WanxiaRegistrar

/// What the registrar's file holds compared with what a ``RecordStream`` enqueued.
///
/// `problems` is empty when every outbox is empty with nothing refused, and the file holds exactly
/// the stream's items, each once: the participation records by id (no more, no fewer, no copy),
/// every item accepted once in `inbox_item`, each person once, each event version once, no
/// message refused, and the book passes `wanxia registrar check` (SQLite's integrity check and the
/// book's rules). Reads the file read-only, so the registrar may still be running.
struct RecordStreamAudit {
    var problems: [String] = []
    var participations = 0
    var inboxItems = 0

    init(stream: RecordStream, databasePath: String) throws {
        let outboxes = try stream.status()
        if outboxes.pending != 0 { problems.append("\(outboxes.pending) items still pending in the outboxes") }
        if outboxes.rejected != 0 {
            problems.append("\(outboxes.rejected) items refused: \(try stream.refusals().joined(separator: "; "))")
        }

        var configuration = Configuration()
        configuration.readonly = true
        let book = try DatabaseQueue(path: databasePath, configuration: configuration)
        try book.read { db in
            let records = try String.fetchAll(db, sql: "SELECT record FROM participation")
            participations = records.count
            compare("participation records", found: records, expected: Set(stream.participations.map(\.description)))

            let items = try Row.fetchAll(db, sql: "SELECT id, status FROM inbox_item")
            inboxItems = items.count
            compare("inbox items", found: items.map { $0["id"] as String }, expected: Set(stream.items.map(\.description)))
            let refused = items.filter { ($0["status"] as Int) != 1 }.count
            if refused > 0 { problems.append("\(refused) inbox items are not marked accepted") }

            compare("people", found: try String.fetchAll(db, sql: "SELECT id FROM person"), expected: stream.people)
            compare("event versions", found: try String.fetchAll(db, sql: "SELECT item_id FROM event"),
                    expected: Set(stream.events.map(\.description)))
            let rejects = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox_reject") ?? 0
            if rejects > 0 { problems.append("\(rejects) rows in inbox_reject") }
        }
        let check = try RegistrarStore(path: databasePath, configuration: .init(readOnly: true)).integrityCheck()
        problems += check.problems.map { "registrar check: \($0)" }
    }

    /// Notes rows found more than once, missing, or not expected at all.
    private mutating func compare(_ what: String, found: [String], expected: Set<String>) {
        let distinct = Set(found)
        if distinct.count != found.count { problems.append("\(what): \(found.count - distinct.count) stored more than once") }
        let missing = expected.subtracting(distinct)
        if !missing.isEmpty { problems.append("\(what): \(missing.count) missing, e.g. \(missing.sorted().prefix(3))") }
        let extra = distinct.subtracting(expected)
        if !extra.isEmpty { problems.append("\(what): \(extra.count) never sent, e.g. \(extra.sorted().prefix(3))") }
    }
}
