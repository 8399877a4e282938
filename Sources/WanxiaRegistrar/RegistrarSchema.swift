import GRDB

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
    public static let migrationIdentifiers = ["v1-people-events-participation", "v2-person-source-and-imports"]

    /// Registers the registrar's migrations in `migrator`.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration(migrationIdentifiers[0]) { db in
            try db.execute(sql: version1)
        }
        migrator.registerMigration(migrationIdentifiers[1]) { db in
            try db.execute(sql: version2)
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
}
