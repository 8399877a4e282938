import GRDB
import WanxiaDelivery

/// The tables of the mentoring service's operational file (`mentoring.sqlite`) and their migrations.
///
/// No young person's real identity is ever written here: only the pseudonym, an age band and
/// whether (and when, and by guardian or self) consent was recorded. Real identities live in the
/// separate identity file (``IdentityStore``).
/// - `mentor`: retirees who mentor or speak (person id, name, phone); `announced` once a `person`
///   record was enqueued.
/// - `youth`: pseudonym, age band, consent, `identity_deleted_at` once deletion was carried out.
/// - `closure_reason`: the catalogue, seeded and extensible.
/// - `pair`, `pair_transition`: pairs and every lifecycle step (time, actor, reason);
///   `mentor_record`/`mentee_record` are the `paired` records sent at activation.
/// - `meeting`, `sponsorship`, `talk`, `talk_speaker`: what happened, with the event id sent.
/// Also the inbox's and outbox's own tables.
public enum MentoringSchema {
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        Inbox.registerMigrations(in: &migrator)
        Outbox.registerMigrations(in: &migrator)
        migrator.registerMigration("mentoring-v1") { db in
            try db.execute(sql: """
                CREATE TABLE mentor (
                    person TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    phone TEXT,
                    announced INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE youth (
                    pseudonym TEXT PRIMARY KEY,
                    age_band TEXT,
                    enrolled_at INTEGER NOT NULL,
                    consent_at INTEGER,
                    consent_by TEXT CHECK (consent_by IN ('guardian', 'self')),
                    identity_deleted_at INTEGER,
                    announced INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE closure_reason (
                    code TEXT PRIMARY KEY,
                    label TEXT NOT NULL,
                    planned INTEGER NOT NULL
                );
                CREATE TABLE pair (
                    id TEXT PRIMARY KEY,
                    mentor TEXT NOT NULL REFERENCES mentor(person),
                    youth TEXT NOT NULL REFERENCES youth(pseudonym),
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL,
                    proposed_at INTEGER NOT NULL,
                    activated_at INTEGER,
                    closed_at INTEGER,
                    closure_reason TEXT REFERENCES closure_reason(code),
                    mentor_record TEXT,
                    mentee_record TEXT
                );
                CREATE UNIQUE INDEX pair_open ON pair(mentor, youth) WHERE state <> 'closed';
                CREATE TABLE pair_transition (
                    id INTEGER PRIMARY KEY,
                    pair TEXT NOT NULL REFERENCES pair(id),
                    from_state TEXT,
                    to_state TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    reason TEXT NOT NULL
                );
                CREATE INDEX pair_transition_pair ON pair_transition(pair, at, id);
                CREATE TABLE meeting (
                    event TEXT PRIMARY KEY,
                    pair TEXT NOT NULL REFERENCES pair(id),
                    mentor TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    minutes INTEGER NOT NULL,
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    source TEXT NOT NULL
                );
                CREATE INDEX meeting_pair ON meeting(pair, start);
                CREATE TABLE sponsorship (
                    event TEXT PRIMARY KEY,
                    pair TEXT NOT NULL REFERENCES pair(id),
                    what TEXT NOT NULL,
                    amount REAL,
                    given_at INTEGER NOT NULL,
                    actor TEXT NOT NULL
                );
                CREATE TABLE talk (
                    event TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL,
                    site TEXT,
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    audience INTEGER NOT NULL
                );
                CREATE TABLE talk_speaker (
                    talk TEXT NOT NULL REFERENCES talk(event),
                    person TEXT NOT NULL REFERENCES mentor(person),
                    PRIMARY KEY (talk, person)
                );
                """)
            for reason in ClosureReason.seeded {
                try db.execute(sql: "INSERT INTO closure_reason (code, label, planned) VALUES (?, ?, ?)",
                               arguments: [reason.code, reason.label, reason.planned])
            }
        }
    }
}
