import Foundation
import GRDB
import WanxiaContract

/// The registrar's tables, as a list of named migrations.
///
/// GRDB records applied migrations in its `grdb_migrations` table, so opening an older file runs
/// only the migrations it lacks, in order, each in its own transaction. Migrations are only ever
/// added at the end, and never edited once released: an upgrade never rewrites or drops data.
///
/// Times are integers: Unix milliseconds (UTC). Participation rows and event versions are
/// append-only; triggers refuse `UPDATE` and `DELETE` on them.
public enum RegistrarSchema {
    /// The identifiers of the registrar's migrations, oldest first.
    public static let migrationIdentifiers = ["v1-people-events-participation", "v2-person-source-and-imports",
                                              "v3-current-view", "v4-report-tally", "v5-lighter-record-triggers"]

    /// Registers the registrar's migrations in `migrator`.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration(migrationIdentifiers[0]) { db in
            try db.execute(sql: version1)
        }
        migrator.registerMigration(migrationIdentifiers[1]) { db in
            try db.execute(sql: version2)
        }
        migrator.registerMigration(migrationIdentifiers[2]) { db in
            try db.execute(sql: version3)
        }
        migrator.registerMigration(migrationIdentifiers[3]) { db in
            let offset = Int64(WanxiaJSON.defaultTimeZone.secondsFromGMT(for: Date())) * 1000
            try db.execute(sql: version4Tables)
            try db.execute(sql: version4Zone, arguments: ["offset": offset])
            try db.execute(sql: version4Fill)
        }
        migrator.registerMigration(migrationIdentifiers[4]) { db in
            try db.execute(sql: version5)
        }
    }

    /// The first released schema: people, event versions, participation records.
    ///
    /// Kept verbatim so tests can build a file "as version 1 left it" and check the upgrade.
    public static let version1 = """
        CREATE TABLE person (
            id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('retiree', 'staff', 'youth')),
            name TEXT,
            unit TEXT,
            age_band TEXT,
            updated_at INTEGER NOT NULL,
            CHECK (kind <> 'youth' OR (name IS NULL AND unit IS NULL))
        );

        CREATE TABLE event (
            version INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL UNIQUE,
            event TEXT NOT NULL,
            programme TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            site TEXT,
            organiser TEXT,
            parent TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            audience INTEGER,
            works_submitted INTEGER,
            works_selected INTEGER,
            suggestions_collected INTEGER,
            suggestions_adopted INTEGER,
            essays INTEGER,
            producer TEXT NOT NULL,
            at INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL
        );
        CREATE INDEX event_by_id ON event(event, at, version);
        CREATE INDEX event_by_parent ON event(parent);
        CREATE INDEX event_by_start ON event(start);
        CREATE INDEX event_by_site ON event(site);

        CREATE TABLE participation (
            record TEXT PRIMARY KEY NOT NULL,
            person TEXT NOT NULL REFERENCES person(id),
            event TEXT NOT NULL,
            role TEXT NOT NULL,
            hours REAL NOT NULL CHECK (hours >= 0),
            ledger TEXT NOT NULL CHECK (ledger IN ('clocked', 'backfilled')),
            status TEXT NOT NULL,
            start INTEGER,
            "end" INTEGER,
            team TEXT,
            producer TEXT NOT NULL,
            at INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL,
            supersedes TEXT REFERENCES participation(record),
            corrected_by TEXT,
            correction_reason TEXT
        );
        CREATE INDEX participation_by_person ON participation(person);
        CREATE INDEX participation_by_event ON participation(event);
        CREATE INDEX participation_by_team ON participation(team);
        CREATE UNIQUE INDEX participation_by_supersedes ON participation(supersedes) WHERE supersedes IS NOT NULL;

        CREATE TRIGGER participation_is_append_only_update BEFORE UPDATE ON participation
        BEGIN SELECT RAISE(ABORT, 'participation records are never edited: add a correcting record'); END;
        CREATE TRIGGER participation_is_append_only_delete BEFORE DELETE ON participation
        BEGIN SELECT RAISE(ABORT, 'participation records are never deleted: add a correcting record'); END;
        CREATE TRIGGER event_is_append_only_update BEFORE UPDATE ON event
        BEGIN SELECT RAISE(ABORT, 'event versions are never edited: record a newer version'); END;
        CREATE TRIGGER event_is_append_only_delete BEFORE DELETE ON event
        BEGIN SELECT RAISE(ABORT, 'event versions are never deleted: record a newer version'); END;
        """

    /// Version 2: where each person came from (`bus` or `import`) and a log of people imports.
    static let version2 = """
        ALTER TABLE person ADD COLUMN source TEXT NOT NULL DEFAULT 'bus';
        CREATE TABLE person_import (
            id INTEGER PRIMARY KEY,
            file TEXT NOT NULL,
            imported_at INTEGER NOT NULL,
            imported INTEGER NOT NULL,
            rejected INTEGER NOT NULL
        );
        """

    /// Version 3: the current view of the book, kept by triggers so every writer keeps it exact.
    ///
    /// - `event_current`: per event, the effective version (latest by `at`, then `version`);
    /// - `record_current`: every participation record no correction supersedes, whose event has a
    ///   version, with that event's effective start, programme, kind, title, site and parent copied
    ///   in; keyed by (person, event start, record), so one person's history is one range read;
    /// - `book_clock`: the latest `recorded_at` of any event version or record. The current view
    ///   equals the effective view as of any time at or after it; queries as of an earlier time
    ///   read the append-only tables instead.
    ///
    /// The migration fills the tables from the rows already stored (sorted, then indexed).
    static let version3 = """
        CREATE TABLE event_current (
            event TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            at INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO event_current (event, version, at)
        SELECT event, version, at FROM (
            SELECT event, version, at,
                   ROW_NUMBER() OVER (PARTITION BY event ORDER BY at DESC, version DESC) AS newest
            FROM event)
        WHERE newest = 1;

        CREATE TABLE record_current (
            person TEXT NOT NULL,
            ev_start INTEGER NOT NULL,
            record TEXT NOT NULL,
            event TEXT NOT NULL,
            role TEXT NOT NULL,
            hours REAL NOT NULL,
            ledger TEXT NOT NULL,
            status TEXT NOT NULL,
            start INTEGER,
            "end" INTEGER,
            team TEXT,
            programme TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            site TEXT,
            parent TEXT,
            PRIMARY KEY (person, ev_start, record)
        ) WITHOUT ROWID;
        INSERT INTO record_current
        SELECT p.person, e.start, p.record, p.event, p.role, p.hours, p.ledger, p.status, p.start, p."end", p.team,
               e.programme, e.kind, e.title, e.site, e.parent
        FROM participation p
        JOIN event_current c ON c.event = p.event
        JOIN event e ON e.version = c.version
        WHERE NOT EXISTS (SELECT 1 FROM participation s WHERE s.supersedes = p.record)
        ORDER BY p.person, e.start, p.record;
        CREATE UNIQUE INDEX record_current_by_record ON record_current(record);
        CREATE INDEX record_current_by_event ON record_current(event, status, role, hours, team);
        CREATE INDEX record_current_by_status ON record_current(status);

        CREATE TABLE book_clock (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_recorded_at INTEGER NOT NULL
        );
        INSERT INTO book_clock (id, last_recorded_at)
        SELECT 1, MAX(COALESCE((SELECT MAX(recorded_at) FROM event), 0),
                      COALESCE((SELECT MAX(recorded_at) FROM participation), 0));

        CREATE TRIGGER event_keeps_current_view AFTER INSERT ON event
        BEGIN
            UPDATE book_clock SET last_recorded_at = NEW.recorded_at WHERE last_recorded_at < NEW.recorded_at;
            INSERT OR REPLACE INTO event_current (event, version, at)
            SELECT NEW.event, NEW.version, NEW.at
            WHERE NOT EXISTS (SELECT 1 FROM event_current c
                              WHERE c.event = NEW.event
                                AND (c.at > NEW.at OR (c.at = NEW.at AND c.version > NEW.version)));
            UPDATE record_current
            SET ev_start = NEW.start, programme = NEW.programme, kind = NEW.kind, title = NEW.title,
                site = NEW.site, parent = NEW.parent
            WHERE event = NEW.event
              AND EXISTS (SELECT 1 FROM event_current c WHERE c.event = NEW.event AND c.version = NEW.version);
            INSERT OR IGNORE INTO record_current
            SELECT p.person, NEW.start, p.record, p.event, p.role, p.hours, p.ledger, p.status, p.start, p."end",
                   p.team, NEW.programme, NEW.kind, NEW.title, NEW.site, NEW.parent
            FROM participation p
            WHERE p.event = NEW.event
              AND EXISTS (SELECT 1 FROM event_current c WHERE c.event = NEW.event AND c.version = NEW.version)
              AND NOT EXISTS (SELECT 1 FROM participation s WHERE s.supersedes = p.record);
        END;

        CREATE TRIGGER participation_keeps_current_view AFTER INSERT ON participation
        BEGIN
            UPDATE book_clock SET last_recorded_at = NEW.recorded_at WHERE last_recorded_at < NEW.recorded_at;
            DELETE FROM record_current WHERE record = NEW.supersedes;
            INSERT INTO record_current
            SELECT NEW.person, e.start, NEW.record, NEW.event, NEW.role, NEW.hours, NEW.ledger, NEW.status,
                   NEW.start, NEW."end", NEW.team, e.programme, e.kind, e.title, e.site, e.parent
            FROM event_current c JOIN event e ON e.version = c.version
            WHERE c.event = NEW.event
              AND NOT EXISTS (SELECT 1 FROM participation s WHERE s.supersedes = NEW.record);
        END;
        """
}
