import Foundation
import GRDB
import WanxiaContract

/// The rosters this site has received (retained messages), kept in the site's SQLite file so a
/// kiosk that restarts offline still knows who is expected; and who is checked in right now.
public struct RosterBook: Sendable {
    let database: any DatabaseWriter

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("site-roster-v1") { db in
            try db.execute(sql: """
                CREATE TABLE roster (programme TEXT PRIMARY KEY, document BLOB NOT NULL, updated_at INTEGER NOT NULL);
                CREATE TABLE open_checkin (card TEXT NOT NULL, activity TEXT NOT NULL, at INTEGER NOT NULL,
                                           PRIMARY KEY (card, activity));
                """)
        }
    }

    /// Keeps `roster` unless an equally new or newer one is already stored.
    func store(_ roster: Roster) throws {
        let document = try WanxiaJSON.encode(roster)
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO roster(programme, document, updated_at) VALUES (?, ?, ?)
                ON CONFLICT(programme) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
                WHERE excluded.updated_at >= roster.updated_at
                """, arguments: [roster.programme.rawValue, document, Int64(roster.updatedAt.timeIntervalSince1970 * 1000)])
        }
    }

    func roster(for programme: Programme) throws -> Roster? {
        try database.read { db in
            try Data.fetchOne(db, sql: "SELECT document FROM roster WHERE programme = ?", arguments: [programme.rawValue])
                .map { try WanxiaJSON.decode(Roster.self, from: $0) }
        }
    }

    /// Who a card belongs to, and the activities it is expected at.
    func lookUp(card: String, programme: Programme) throws -> (person: Roster.Person, activities: [Roster.Activity])? {
        guard let roster = try roster(for: programme),
              let person = roster.people.first(where: { $0.card == card || $0.person == card })
        else { return nil }
        return (person, roster.activities.filter { person.activities.contains($0.activity) })
    }

    /// The activity under way (or starting within the hour) among `activities`.
    static func current(_ activities: [Roster.Activity], now: Date) -> [Roster.Activity] {
        activities.filter { $0.start.addingTimeInterval(-3600) <= now && now <= $0.end }
    }

    func isCheckedIn(card: String, activity: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM open_checkin WHERE card = ? AND activity = ?", arguments: [card, activity]) ?? false
        }
    }

    static func noteCheckin(card: String, activity: String, at: Date, in db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO open_checkin(card, activity, at) VALUES (?, ?, ?)",
                       arguments: [card, activity, Int64(at.timeIntervalSince1970 * 1000)])
    }

    static func noteCheckout(card: String, activity: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM open_checkin WHERE card = ? AND activity = ?", arguments: [card, activity])
    }
}
