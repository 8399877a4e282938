extension RegistrarSchema {
    /// Version 4: the report tally, kept by the same triggers that keep the current view.
    ///
    /// - `tally_zone`: one row, the fixed offset (ms east of UTC) in which the tally cuts months:
    ///   the bureau's zone at migration time. Readers use the tally only for periods made of whole
    ///   months in that offset.
    /// - `report_tally`: per (month of the event's effective start, programme, kind, person) over
    ///   `record_current`: records, hours, `events_taking` (distinct events in which the person has
    ///   a record that counts as taking part, as the reports count it), and the record counts the
    ///   half-year report needs (players, officials, sponsored, mentors' meeting hours, learner
    ///   marks and attendance at sessions, completions on cohorts). Young people have rows too:
    ///   readers exclude them where the report does.
    /// - `report_team_tally`: per (month, volunteer team key = the record's team, else the event's
    ///   parent, person): volunteer records taking part.
    ///
    /// A record entering or leaving `record_current` adds or subtracts its contribution (counting
    /// an event for a person only when no other taking record of theirs is current on it); a new
    /// effective event version subtracts the event's whole contribution before its records move
    /// and adds it back after. Rows whose `records` fall to 0 stay (all figures 0, hours within
    /// rounding of 0); readers skip them.
    static let version4Tables = """
        CREATE TABLE tally_zone (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            offset_ms INTEGER NOT NULL
        );
        CREATE TABLE report_tally (
            month TEXT NOT NULL,
            programme TEXT NOT NULL,
            kind TEXT NOT NULL,
            person TEXT NOT NULL,
            records INTEGER NOT NULL,
            hours REAL NOT NULL,
            events_taking INTEGER NOT NULL,
            played INTEGER NOT NULL,
            judged INTEGER NOT NULL,
            given INTEGER NOT NULL,
            met_hours REAL NOT NULL,
            marks INTEGER NOT NULL,
            attended INTEGER NOT NULL,
            completed INTEGER NOT NULL,
            not_completed INTEGER NOT NULL,
            PRIMARY KEY (month, programme, kind, person)
        ) WITHOUT ROWID;
        CREATE TABLE report_team_tally (
            month TEXT NOT NULL,
            team TEXT NOT NULL,
            person TEXT NOT NULL,
            records INTEGER NOT NULL,
            PRIMARY KEY (month, team, person)
        ) WITHOUT ROWID;
        """

    /// The offset row; bound argument `:offset` (ms).
    static let version4Zone = "INSERT INTO tally_zone (id, offset_ms) VALUES (1, :offset)"

    /// Fills the tallies from `record_current`, then replaces the version 3 triggers by ones that
    /// also keep the tallies.
    static let version4Fill = """
        INSERT INTO report_tally (\(tallyColumns))
        SELECT month, programme, kind, person, SUM(records), TOTAL(hours), SUM(events_taking), SUM(played),
               SUM(judged), SUM(given), TOTAL(met_hours), SUM(marks), SUM(attended), SUM(completed),
               SUM(not_completed)
        FROM (SELECT \(month("r")) AS month, r.programme AS programme, r.kind AS kind, r.person AS person,
                     \(eventFigures("r", sign: 1))
              FROM record_current r, tally_zone z
              GROUP BY r.person, r.ev_start, r.event)
        GROUP BY month, programme, kind, person;

        INSERT INTO report_team_tally (month, team, person, records)
        SELECT \(month("r")), COALESCE(r.team, r.parent), r.person, COUNT(*)
        FROM record_current r, tally_zone z
        WHERE \(teamCondition("r"))
        GROUP BY 1, 2, 3;

        DROP TRIGGER event_keeps_current_view;
        CREATE TRIGGER event_keeps_current_view AFTER INSERT ON event
        BEGIN
            UPDATE book_clock SET last_recorded_at = NEW.recorded_at WHERE last_recorded_at < NEW.recorded_at;
            INSERT OR REPLACE INTO event_current (event, version, at)
            SELECT NEW.event, NEW.version, NEW.at
            WHERE NOT EXISTS (SELECT 1 FROM event_current c
                              WHERE c.event = NEW.event
                                AND (c.at > NEW.at OR (c.at = NEW.at AND c.version > NEW.version)));
            \(eventTally(sign: -1))
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
            \(eventTally(sign: 1))
        END;

        DROP TRIGGER participation_keeps_current_view;
        CREATE TRIGGER participation_keeps_current_view AFTER INSERT ON participation
        BEGIN
            UPDATE book_clock SET last_recorded_at = NEW.recorded_at WHERE last_recorded_at < NEW.recorded_at;
            \(recordTally("NEW.supersedes", sign: -1))
            DELETE FROM record_current WHERE record = NEW.supersedes;
            INSERT INTO record_current
            SELECT NEW.person, e.start, NEW.record, NEW.event, NEW.role, NEW.hours, NEW.ledger, NEW.status,
                   NEW.start, NEW."end", NEW.team, e.programme, e.kind, e.title, e.site, e.parent
            FROM event_current c JOIN event e ON e.version = c.version
            WHERE c.event = NEW.event
              AND NOT EXISTS (SELECT 1 FROM participation s WHERE s.supersedes = NEW.record);
            \(recordTally("NEW.record", sign: 1))
        END;
        """

    // MARK: - Pieces of the version 4 SQL (fixed text once released)

    static let tallyColumns = """
        month, programme, kind, person, records, hours, events_taking, played, judged, given, met_hours, marks, \
        attended, completed, not_completed
        """

    static let tallyUpsert = """
        ON CONFLICT (month, programme, kind, person) DO UPDATE SET
            records = records + excluded.records, hours = hours + excluded.hours,
            events_taking = events_taking + excluded.events_taking, played = played + excluded.played,
            judged = judged + excluded.judged, given = given + excluded.given,
            met_hours = met_hours + excluded.met_hours, marks = marks + excluded.marks,
            attended = attended + excluded.attended, completed = completed + excluded.completed,
            not_completed = not_completed + excluded.not_completed;
        """

    /// `yyyy-MM` of row `r`'s event start in the tally's offset (`z` is `tally_zone`); the same
    /// expression the reports use for their months.
    static func month(_ r: String) -> String {
        "strftime('%Y-%m', (\(r).ev_start + z.offset_ms) / 1000, 'unixepoch')"
    }

    /// Whether record `r` of `record_current` counts as taking part in the reports.
    static func taking(_ r: String) -> String {
        """
        (CASE WHEN \(r).programme = 'classes'
              THEN \(r).role = 'learner' AND \(r).status IN ('present', 'late') AND \(r).parent IS NOT NULL
              ELSE \(r).status NOT IN \(RegistrarQueries.nonAttendanceList) END)
        """
    }

    static func teamCondition(_ r: String) -> String {
        "\(r).programme = 'volunteers' AND COALESCE(\(r).team, \(r).parent) IS NOT NULL AND \(taking(r))"
    }

    /// The counting columns of one record `r`, each 0/1 (hours: the record's), by name.
    static func recordCounts(_ r: String) -> [(name: String, value: String)] {
        [
            ("played", "(\(r).programme = 'competitions' AND \(r).role = 'player' AND \(r).status = 'played')"),
            ("judged", "(\(r).programme = 'competitions' AND \(r).role IN ('referee', 'judge', 'juror') AND \(r).status = 'judged')"),
            ("given", "(\(r).programme = 'mentoring' AND \(r).role = 'sponsored' AND \(r).status = 'given')"),
            ("met_hours", "(CASE WHEN \(r).programme = 'mentoring' AND \(r).status = 'met' AND \(r).role = 'mentor' THEN \(r).hours ELSE 0.0 END)"),
            ("marks", "(\(r).programme = 'classes' AND \(r).parent IS NOT NULL AND \(r).role = 'learner')"),
            ("attended", "(\(r).programme = 'classes' AND \(r).parent IS NOT NULL AND \(r).role = 'learner' AND \(r).status IN ('present', 'late'))"),
            ("completed", "(\(r).programme = 'classes' AND \(r).parent IS NULL AND \(r).role = 'learner' AND \(r).status = 'completed')"),
            ("not_completed", "(\(r).programme = 'classes' AND \(r).parent IS NULL AND \(r).role = 'learner' AND \(r).status = 'not-completed')"),
        ]
    }

    /// Aggregates over one person's current records of one event: records, hours, events_taking
    /// (0 or 1) and the counts, times `sign`, named as the tally's columns.
    static func eventFigures(_ r: String, sign: Int) -> String {
        (["\(sign) * COUNT(*) AS records", "\(sign) * TOTAL(\(r).hours) AS hours",
          "\(sign) * MAX(\(taking(r))) AS events_taking"]
         + recordCounts(r).map { item in
             item.name == "met_hours" ? "\(sign) * TOTAL(\(item.value)) AS \(item.name)" : "\(sign) * SUM(\(item.value)) AS \(item.name)"
         }).joined(separator: ", ")
    }

    /// Adds (`sign` 1) or subtracts (-1) the whole contribution of event `NEW.event` when `NEW` is
    /// its effective version, from the event's rows in `record_current` as they stand.
    static func eventTally(sign: Int) -> String {
        let current = "EXISTS (SELECT 1 FROM event_current c WHERE c.event = NEW.event AND c.version = NEW.version)"
        return """
            INSERT INTO report_tally (\(tallyColumns))
            SELECT \(month("r")), r.programme, r.kind, r.person, \(eventFigures("r", sign: sign))
            FROM record_current r, tally_zone z
            WHERE r.event = NEW.event AND \(current)
            GROUP BY r.person
            \(tallyUpsert)
            INSERT INTO report_team_tally (month, team, person, records)
            SELECT \(month("r")), COALESCE(r.team, r.parent), r.person, \(sign) * COUNT(*)
            FROM record_current r, tally_zone z
            WHERE r.event = NEW.event AND \(current) AND \(teamCondition("r"))
            GROUP BY COALESCE(r.team, r.parent), r.person
            ON CONFLICT (month, team, person) DO UPDATE SET records = records + excluded.records;
            """
    }

    /// Adds (`sign` 1) or subtracts (-1) the contribution of the `record_current` row whose record
    /// is `record` (nothing when there is none), while that row is current.
    ///
    /// The other taking records of the same person and event are found by the primary key
    /// (person, event start): `+o.event` keeps the planner off the event index, which would read
    /// every record of the event (thousands on a large event, for each record arriving).
    ///
    /// `lighter` gives version 5's form of the same figures (`recordCountsV5`, and the other taking
    /// records looked for only when this one takes part); version 4's text is the default.
    static func recordTally(_ record: String, sign: Int, lighter: Bool = false) -> String {
        let alone = """
            NOT EXISTS (SELECT 1 FROM record_current o
                        WHERE o.person = r.person AND o.ev_start = r.ev_start AND +o.event = r.event
                          AND o.record <> r.record AND \(taking("o")))
            """
        let events = lighter ? "(CASE WHEN \(taking("r")) THEN \(alone) ELSE 0 END)" : "(\(taking("r")) AND \(alone))"
        let figures = lighter ? recordCountsV5("r").map { "(\($0))" } : recordCounts("r").map(\.value)
        let counts = figures.map { "\(sign) * \($0)" }.joined(separator: ", ")
        return """
            INSERT INTO report_tally (\(tallyColumns))
            SELECT \(month("r")), r.programme, r.kind, r.person, \(sign), \(sign) * r.hours,
                   \(sign) * \(events), \(counts)
            FROM record_current r, tally_zone z
            WHERE r.record = \(record)
            \(tallyUpsert)
            INSERT INTO report_team_tally (month, team, person, records)
            SELECT \(month("r")), COALESCE(r.team, r.parent), r.person, \(sign)
            FROM record_current r, tally_zone z
            WHERE r.record = \(record) AND \(teamCondition("r"))
            ON CONFLICT (month, team, person) DO UPDATE SET records = records + excluded.records;
            """
    }
}
