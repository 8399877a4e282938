import GRDB
import WanxiaDelivery

/// The tables of the competitions file and their migrations.
///
/// - `person`: players and officials (`announced` once a `person` record was enqueued).
/// - `competition`: the definition as JSON, its status, `state_dirty` until the retained fixtures
///   and standings are published, `records_sent` once the records went to the registrar.
/// - `entrant`, `member`: registrations and their people; `official`: referees, judges, jurors.
/// - `fixture`: matches; `result`: every match result received, with what it supersedes.
/// - `judge_score`: every judge's score (the latest per judge and entrant counts).
/// - `work`, `recusal`, `selection`: an exhibition's anonymous works, jurors' recusals, and each
///   sealed round (quota, seed, whether lots were needed).
/// Also the inbox's and outbox's own tables.
public enum CompetitionsSchema {
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        Inbox.registerMigrations(in: &migrator)
        Outbox.registerMigrations(in: &migrator)
        migrator.registerMigration("competitions-v1") { db in
            try db.execute(sql: """
                CREATE TABLE person (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    unit TEXT,
                    announced INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE competition (
                    id TEXT PRIMARY KEY,
                    definition TEXT NOT NULL,
                    status TEXT NOT NULL,
                    state_dirty INTEGER NOT NULL DEFAULT 1,
                    records_sent INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE entrant (
                    competition TEXT NOT NULL REFERENCES competition(id),
                    id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    unit TEXT,
                    seed INTEGER,
                    number INTEGER,
                    status TEXT NOT NULL DEFAULT 'registered',
                    registered_at INTEGER NOT NULL,
                    PRIMARY KEY (competition, id)
                );
                CREATE TABLE member (
                    competition TEXT NOT NULL,
                    entrant TEXT NOT NULL,
                    person TEXT NOT NULL REFERENCES person(id),
                    position INTEGER NOT NULL,
                    PRIMARY KEY (competition, person),
                    FOREIGN KEY (competition, entrant) REFERENCES entrant(competition, id)
                );
                CREATE TABLE official (
                    competition TEXT NOT NULL REFERENCES competition(id),
                    person TEXT NOT NULL REFERENCES person(id),
                    role TEXT NOT NULL,
                    PRIMARY KEY (competition, person, role)
                );
                CREATE TABLE fixture (
                    competition TEXT NOT NULL REFERENCES competition(id),
                    id TEXT NOT NULL,
                    round INTEGER NOT NULL,
                    board INTEGER NOT NULL,
                    home TEXT,
                    away TEXT,
                    home_from TEXT,
                    away_from TEXT,
                    status TEXT NOT NULL,
                    home_score INTEGER,
                    away_score INTEGER,
                    outcome TEXT,
                    referee TEXT,
                    confirmed_by TEXT,
                    result TEXT,
                    PRIMARY KEY (competition, id)
                );
                CREATE TABLE result (
                    item TEXT PRIMARY KEY,
                    competition TEXT NOT NULL,
                    match TEXT NOT NULL,
                    home_score INTEGER NOT NULL,
                    away_score INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    referee TEXT NOT NULL,
                    confirmed_by TEXT,
                    supersedes TEXT,
                    superseded_by TEXT,
                    source TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                CREATE INDEX result_match ON result(competition, match);
                CREATE TABLE judge_score (
                    item TEXT PRIMARY KEY,
                    competition TEXT NOT NULL,
                    entrant TEXT NOT NULL,
                    judge TEXT NOT NULL,
                    score REAL NOT NULL,
                    at INTEGER NOT NULL
                );
                CREATE INDEX judge_score_entrant ON judge_score(competition, entrant, judge, at);
                CREATE TABLE work (
                    competition TEXT NOT NULL REFERENCES competition(id),
                    id TEXT NOT NULL,
                    author TEXT NOT NULL REFERENCES person(id),
                    title TEXT NOT NULL,
                    reached INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (competition, id)
                );
                CREATE TABLE recusal (
                    competition TEXT NOT NULL,
                    juror TEXT NOT NULL,
                    work TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    PRIMARY KEY (competition, juror, work)
                );
                CREATE TABLE selection (
                    competition TEXT NOT NULL,
                    round INTEGER NOT NULL,
                    quota INTEGER NOT NULL,
                    seed INTEGER NOT NULL,
                    by_lot INTEGER NOT NULL,
                    sealed_at INTEGER NOT NULL,
                    PRIMARY KEY (competition, round)
                );
                """)
        }
    }
}
