import GRDB
import WanxiaDelivery

/// The tables of the classes file and their migrations.
///
/// - `learner`: everyone who learns or teaches (person id, name, card, unit); `announced` once a
///   `person` record was enqueued.
/// - `course` (a class: kind and title), `cohort` (期: course, site, teacher, capacity, recurrence
///   rule and completion rule as JSON, `closed_at`, `event_body` = the cohort event last sent).
/// - `session`: the cohort's sessions numbered 1..N; `closed_at` once its records went out.
///   `skipped`: the days a rule picked that hold no session, and why.
/// - `enrolment` (state applied, enrolled, waiting or withdrawn; `position` on the waiting list),
///   `enrolment_log` (every step, for audit), `lottery` (seed, applicants, drawn order).
/// - `mark`: each learner's current mark per session; `record`: every participation record sent.
/// - `essay`, `suggestion`; `holiday` (seeded with ``HolidayTable/china``); `roster_state` (the
///   roster last published per site).
/// Also the inbox's and outbox's own tables.
public enum ClassesSchema {
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        Inbox.registerMigrations(in: &migrator)
        Outbox.registerMigrations(in: &migrator)
        migrator.registerMigration("classes-v1") { db in
            try db.execute(sql: """
                CREATE TABLE learner (
                    person TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    card TEXT UNIQUE,
                    unit TEXT,
                    phone TEXT,
                    announced INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE course (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL
                );
                CREATE TABLE cohort (
                    id TEXT PRIMARY KEY,
                    course TEXT NOT NULL REFERENCES course(id),
                    name TEXT NOT NULL,
                    site TEXT NOT NULL,
                    teacher TEXT NOT NULL REFERENCES learner(person),
                    capacity INTEGER NOT NULL,
                    recurrence TEXT,
                    completion TEXT NOT NULL,
                    closed_at INTEGER,
                    event_body TEXT
                );
                CREATE TABLE session (
                    id TEXT PRIMARY KEY,
                    cohort TEXT NOT NULL REFERENCES cohort(id),
                    number INTEGER NOT NULL,
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    make_up_day INTEGER NOT NULL DEFAULT 0,
                    closed_at INTEGER,
                    UNIQUE (cohort, number)
                );
                CREATE INDEX session_end ON session("end");
                CREATE TABLE skipped (
                    cohort TEXT NOT NULL REFERENCES cohort(id),
                    date TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    name TEXT,
                    PRIMARY KEY (cohort, date)
                );
                CREATE TABLE enrolment (
                    cohort TEXT NOT NULL REFERENCES cohort(id),
                    person TEXT NOT NULL REFERENCES learner(person),
                    state TEXT NOT NULL,
                    position INTEGER,
                    applied_at INTEGER NOT NULL,
                    enrolled_at INTEGER,
                    withdrawn_at INTEGER,
                    PRIMARY KEY (cohort, person)
                );
                CREATE TABLE enrolment_log (
                    id INTEGER PRIMARY KEY,
                    cohort TEXT NOT NULL,
                    person TEXT NOT NULL,
                    step TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    detail TEXT
                );
                CREATE TABLE lottery (
                    cohort TEXT PRIMARY KEY REFERENCES cohort(id),
                    seed TEXT NOT NULL,
                    places INTEGER NOT NULL,
                    applicants TEXT NOT NULL,
                    drawn TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                CREATE TABLE mark (
                    session TEXT NOT NULL REFERENCES session(id),
                    person TEXT NOT NULL REFERENCES learner(person),
                    status TEXT NOT NULL,
                    source TEXT NOT NULL,
                    marked_by TEXT,
                    at INTEGER NOT NULL,
                    PRIMARY KEY (session, person)
                );
                CREATE TABLE record (
                    id TEXT PRIMARY KEY,
                    event TEXT NOT NULL,
                    person TEXT NOT NULL,
                    role TEXT NOT NULL,
                    status TEXT NOT NULL,
                    hours REAL NOT NULL,
                    supersedes TEXT REFERENCES record(id),
                    superseded_by TEXT,
                    at INTEGER NOT NULL
                );
                CREATE INDEX record_event ON record(event, person);
                CREATE TABLE essay (
                    cohort TEXT NOT NULL REFERENCES cohort(id),
                    person TEXT NOT NULL REFERENCES learner(person),
                    title TEXT,
                    at INTEGER NOT NULL,
                    PRIMARY KEY (cohort, person)
                );
                CREATE TABLE suggestion (
                    id INTEGER PRIMARY KEY,
                    cohort TEXT NOT NULL REFERENCES cohort(id),
                    person TEXT,
                    text TEXT NOT NULL,
                    adopted INTEGER NOT NULL DEFAULT 0,
                    at INTEGER NOT NULL
                );
                CREATE TABLE holiday (
                    date TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL
                );
                CREATE TABLE roster_state (
                    site TEXT PRIMARY KEY,
                    body TEXT NOT NULL
                );
                """)
            for entry in HolidayTable.china.sorted {
                try db.execute(sql: "INSERT INTO holiday (date, kind, name) VALUES (?, ?, ?)",
                               arguments: [entry.date.description, entry.kind.rawValue, entry.name])
            }
        }
    }
}
