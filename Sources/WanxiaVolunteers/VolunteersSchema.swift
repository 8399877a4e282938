import GRDB
import WanxiaDelivery

/// The tables of the volunteers file and their migrations.
///
/// - `volunteer`: the talent pool (人才库); `announced` once a `person` record was enqueued.
/// - `team`, `team_member` (with `leader` 1 for a team leader).
/// - `activity`: planned service activities; `roster_dirty` until the site's roster is published,
///   `event_sent` once the current version went out as an `event` record.
/// - `scan`: every accepted check-in and check-out; `stint`: check-ins paired with check-outs.
/// - `record`: every participation record enqueued for the registrar (both ledgers), with what it
///   supersedes; `confirmation`: leaders' confirmations and corrections.
/// Also the inbox's and outbox's own tables.
public enum VolunteersSchema {
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        Inbox.registerMigrations(in: &migrator)
        Outbox.registerMigrations(in: &migrator)
        migrator.registerMigration("volunteers-v1") { db in
            try db.execute(sql: """
                CREATE TABLE volunteer (
                    person TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    card TEXT UNIQUE,
                    specialities TEXT NOT NULL DEFAULT '',
                    phone TEXT,
                    announced INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE team (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL
                );
                CREATE TABLE team_member (
                    team TEXT NOT NULL REFERENCES team(id),
                    person TEXT NOT NULL REFERENCES volunteer(person),
                    leader INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (team, person)
                );
                CREATE TABLE activity (
                    id TEXT PRIMARY KEY,
                    team TEXT NOT NULL REFERENCES team(id),
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL,
                    site TEXT NOT NULL,
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    roster_dirty INTEGER NOT NULL DEFAULT 1,
                    event_sent INTEGER NOT NULL DEFAULT 0,
                    closed_at INTEGER
                );
                CREATE INDEX activity_site ON activity(site, "end");
                CREATE TABLE scan (
                    item TEXT PRIMARY KEY,
                    activity TEXT NOT NULL REFERENCES activity(id),
                    person TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    site TEXT NOT NULL
                );
                CREATE TABLE stint (
                    id INTEGER PRIMARY KEY,
                    activity TEXT NOT NULL REFERENCES activity(id),
                    person TEXT NOT NULL REFERENCES volunteer(person),
                    checkin INTEGER NOT NULL,
                    checkout INTEGER,
                    closed_by TEXT
                );
                CREATE INDEX stint_person ON stint(person, checkin);
                CREATE INDEX stint_activity ON stint(activity, person);
                CREATE TABLE record (
                    id TEXT PRIMARY KEY,
                    activity TEXT NOT NULL REFERENCES activity(id),
                    person TEXT NOT NULL,
                    role TEXT NOT NULL,
                    ledger TEXT NOT NULL,
                    status TEXT NOT NULL,
                    hours REAL NOT NULL,
                    start INTEGER,
                    "end" INTEGER,
                    supersedes TEXT REFERENCES record(id),
                    superseded_by TEXT,
                    corrected_by TEXT,
                    reason TEXT,
                    at INTEGER NOT NULL
                );
                CREATE INDEX record_activity ON record(activity, person);
                CREATE TABLE confirmation (
                    id INTEGER PRIMARY KEY,
                    activity TEXT NOT NULL REFERENCES activity(id),
                    leader TEXT NOT NULL,
                    decision TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                """)
        }
    }
}
