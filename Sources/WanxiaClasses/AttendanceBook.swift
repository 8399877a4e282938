import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The rules that turn attendance marks, kiosk check-ins, essays and closes into state and
/// participation records, applied inside the caller's write transaction.
///
/// Every method runs in `db` (the inbox's transaction for observations, the CLI's for admin
/// commands) and enqueues what it derives with `Outbox.enqueue(_:to:at:in:)`, so state and records
/// commit together. A refusal is a `Rejection` with a contract code (or `unknown-session`,
/// `unknown-cohort`, `not-enrolled`) naming the field; the caller rolls back.
///
/// Marks: a teacher's mark (from the phone or the CLI) replaces any earlier mark and is replaced by
/// a later one; a kiosk check-in is `present`, or `late` after the policy's window, and never
/// replaces a teacher's mark. A session closes at its end plus the grace: enrolled learners nobody
/// marked get the default status, and the records go out (person records the first time, the
/// cohort's event version, the session event, one record per learner and one for the teacher).
/// A mark that changes a learner's status after the close goes out as a correcting record that
/// supersedes the standing one.
public struct AttendanceBook: Sendable {
    public var policy: AttendancePolicy
    /// Where records for the registrar go: `Topic.records(producer:)`.
    public var recordsTopic: String

    public init(policy: AttendancePolicy = AttendancePolicy(), recordsTopic: String = Topic.records(producer: "classes")) {
        self.policy = policy
        self.recordsTopic = recordsTopic
    }

    /// Where a mark came from; a kiosk never overrides a teacher, a default never overrides anyone.
    public enum Source: String, Sendable {
        case teacher, kiosk, unmarked

        fileprivate var rank: Int {
            switch self {
            case .unmarked: 0
            case .kiosk: 1
            case .teacher: 2
            }
        }
    }

    // MARK: Marks

    /// A teacher's mark for one learner (the `attendance` observation, or the CLI).
    @discardableResult
    public func mark(_ mark: AttendanceMark, at: Date, in db: Database) throws -> MessageID? {
        let (session, learner) = try resolve(session: mark.session, card: mark.learner, field: "learner", in: db)
        return try apply(status: mark.status, session: session, learner: learner, source: .teacher, markedBy: mark.markedBy, at: at, in: db)
    }

    /// A kiosk self check-in (`checkin` with activity = session id): `present`, or `late` after
    /// the policy's window; refused earlier than the policy allows before the start or after the end.
    @discardableResult
    public func checkIn(card: String, session id: String, at: Date, in db: Database) throws -> MessageID? {
        let (session, learner) = try resolve(session: id, card: card, field: "card", in: db)
        guard at >= session.start.addingTimeInterval(-policy.earliestCheckIn), at <= session.end else {
            throw Rejection(.outOfRange, "at: a check-in at \(RFC3339.string(from: at)) is outside session \(session.id) (\(RFC3339.string(from: session.start)) to \(RFC3339.string(from: session.end)), doors open \(Int(policy.earliestCheckIn / 60)) minutes before)")
        }
        let status = policy.checkInStatus(at: at, sessionStart: session.start)
        return try apply(status: status, session: session, learner: learner, source: .kiosk, markedBy: nil, at: at, in: db)
    }

    /// Stores the mark if it takes precedence; after the close, a changed status goes out as a correction.
    private func apply(status: AttendanceMark.Status, session: ClassSession, learner: Learner, source: Source,
                       markedBy: String?, at: Date, in db: Database) throws -> MessageID? {
        if let existing = try Row.fetchOne(db, sql: "SELECT source, at FROM mark WHERE session = ? AND person = ?",
                                           arguments: [session.id, learner.person]) {
            let existingSource = Source(rawValue: existing["source"]) ?? .unmarked
            let existingAt = Date(unixMilliseconds: existing["at"])
            let wins = source.rank > existingSource.rank || (source == .teacher && existingSource == .teacher && at >= existingAt)
            guard wins else { return nil }
        }
        try db.execute(sql: """
            INSERT INTO mark (session, person, status, source, marked_by, at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (session, person) DO UPDATE SET status = excluded.status, source = excluded.source,
                marked_by = excluded.marked_by, at = excluded.at
            """, arguments: [session.id, learner.person, status.rawValue, source.rawValue, markedBy, at.unixMilliseconds])
        guard session.closedAt != nil else { return nil }
        guard let standing = try Row.fetchOne(db, sql: """
            SELECT id, status, at FROM record WHERE event = ? AND person = ? AND role = 'learner' AND superseded_by IS NULL
            """, arguments: [session.id, learner.person]) else { return nil }
        guard (standing["status"] as String) != status.rawValue else { return nil }
        let cohort = try requireCohort(session.cohort, in: db)
        let by = markedBy ?? (source == .kiosk ? "kiosk" : "classes")
        let reason = "\(source == .kiosk ? "kiosk check-in" : "mark") \(status.rawValue) received after session \(session.number) closed"
        return try emit(person: learner, cohort: cohort, event: session.id, role: "learner", status: status.rawValue,
                        hours: hours(for: status, session: session), start: session.start, end: session.end,
                        supersedes: try MessageID(validating: standing["id"]),
                        correction: .init(by: by, reason: reason), at: max(at, Date(unixMilliseconds: standing["at"])), in: db)
    }

    // MARK: Essays

    /// An essay (心得体会) handed in by an enrolled learner; one per learner and cohort (a second
    /// replaces the title). The cohort event's essay count goes out again if it changed.
    public func essay(_ essay: Essay, at: Date, in db: Database) throws {
        let cohort = try requireCohort(essay.cohort, in: db)
        guard let learner = try Learner.find(card: essay.learner, in: db) else {
            throw Rejection(.notOnRoster, "learner: \"\(essay.learner)\" is not on the classes roll")
        }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM enrolment WHERE cohort = ? AND person = ? AND enrolled_at IS NOT NULL",
                                arguments: [cohort.id, learner.person]) != nil else {
            throw Rejection(.notEnrolled, "learner: \(learner.maskedName) (\(learner.person)) is not enrolled in \(cohort.id)")
        }
        try db.execute(sql: """
            INSERT INTO essay (cohort, person, title, at) VALUES (?, ?, ?, ?)
            ON CONFLICT (cohort, person) DO UPDATE SET title = excluded.title, at = excluded.at
            """, arguments: [cohort.id, learner.person, essay.title, at.unixMilliseconds])
        try syncCohortEvent(cohort, at: at, in: db)
    }

    // MARK: Closing

    /// Closes a session: unmarked enrolled learners get the default status, then the records go
    /// out. Returns the participation records made (none if it was already closed).
    @discardableResult
    public func close(session id: String, now: Date, in db: Database) throws -> [MessageID] {
        guard let session = try ClassSession.find(id, in: db) else {
            throw Rejection(.unknownSession, "session: \"\(id)\" is not planned in the classes service")
        }
        guard session.closedAt == nil else { return [] }
        let cohort = try requireCohort(session.cohort, in: db)
        let learners = try eligibleLearners(cohort: cohort.id, session: session, in: db)
        for learner in learners {
            try db.execute(sql: """
                INSERT INTO mark (session, person, status, source, marked_by, at) VALUES (?, ?, ?, 'unmarked', NULL, ?)
                ON CONFLICT (session, person) DO NOTHING
                """, arguments: [session.id, learner.person, policy.unmarked.rawValue, now.unixMilliseconds])
        }
        try db.execute(sql: "UPDATE session SET closed_at = ? WHERE id = ?", arguments: [now.unixMilliseconds, session.id])
        var closed = session
        closed.closedAt = now
        try syncCohortEvent(cohort, at: now, in: db)
        try Outbox.enqueue(Record.event(sessionEvent(closed, cohort: cohort)), to: recordsTopic, at: now, in: db)
        var made: [MessageID] = []
        guard let teacher = try Learner.find(person: cohort.teacher, in: db) else {
            throw ClassesError(.notFound, "teacher: \(cohort.teacher) of \(cohort.id) is not on the roll")
        }
        made.append(try emit(person: teacher, cohort: cohort, event: session.id, role: "teacher", status: "taught",
                             hours: session.hours, start: session.start, end: session.end, supersedes: nil, correction: nil,
                             at: now, in: db))
        for learner in learners {
            let status = try String.fetchOne(db, sql: "SELECT status FROM mark WHERE session = ? AND person = ?",
                                             arguments: [session.id, learner.person]).flatMap(AttendanceMark.Status.init(rawValue:))
                ?? policy.unmarked
            made.append(try emit(person: learner, cohort: cohort, event: session.id, role: "learner", status: status.rawValue,
                                 hours: hours(for: status, session: session), start: session.start, end: session.end,
                                 supersedes: nil, correction: nil, at: now, in: db))
        }
        return made
    }

    /// Closes every session that ended at least the policy's grace before `now`.
    @discardableResult
    public func sweep(now: Date, in db: Database) throws -> [MessageID] {
        let due = try String.fetchAll(db, sql: """
            SELECT id FROM session WHERE closed_at IS NULL AND "end" <= ? ORDER BY "end", id
            """, arguments: [now.addingTimeInterval(-policy.closeGrace).unixMilliseconds])
        return try due.flatMap { try close(session: $0, now: now, in: db) }
    }

    /// Closes a cohort (结业): sessions that ended are closed first; each enrolled learner gets a
    /// `completed` or `not-completed` record on the cohort event, by the cohort's rule. Refused
    /// while a session has not ended yet. Returns the summaries the decision was made on.
    @discardableResult
    public func closeCohort(_ id: String, now: Date, in db: Database) throws -> [AttendanceSummary] {
        let cohort = try requireCohort(id, in: db)
        guard cohort.closedAt == nil else { throw ClassesError(.conflict, "cohort: \(id) was closed already") }
        let sessions = try ClassSession.all(cohort: id, in: db)
        if let pending = sessions.first(where: { $0.end > now }) {
            throw ClassesError(.conflict, "cohort: session \(pending.id) on \(LocalDate(pending.start)) has not ended; close the cohort after it")
        }
        guard !sessions.isEmpty else { throw ClassesError(.conflict, "cohort: \(id) has no sessions; plan them first") }
        for session in sessions where session.closedAt == nil { try close(session: session.id, now: now, in: db) }
        let summaries = try self.summaries(cohort: cohort, in: db)
        try db.execute(sql: "UPDATE cohort SET closed_at = ? WHERE id = ?", arguments: [now.unixMilliseconds, id])
        try syncCohortEvent(cohort, at: now, in: db)
        for summary in summaries {
            guard let learner = try Learner.find(person: summary.person, in: db) else { continue }
            try emit(person: learner, cohort: cohort, event: cohort.id, role: "learner",
                     status: summary.completes ? "completed" : "not-completed", hours: 0, start: nil, end: nil,
                     supersedes: nil, correction: nil, at: now, in: db)
        }
        return summaries
    }

    // MARK: Counting

    /// Each enrolled (or since withdrawn) learner's attendance over the cohort's closed sessions.
    public func summaries(cohort: Cohort, in db: Database) throws -> [AttendanceSummary] {
        let rule = cohort.completion
        let people = try Row.fetchAll(db, sql: """
            SELECT l.person, l.name, e.state FROM enrolment e JOIN learner l ON l.person = e.person
            WHERE e.cohort = ? AND e.enrolled_at IS NOT NULL ORDER BY l.person
            """, arguments: [cohort.id])
        let sessions = try ClassSession.all(cohort: cohort.id, in: db).filter { $0.closedAt != nil }
        var result: [AttendanceSummary] = []
        for person in people {
            let id: String = person["person"]
            var summary = AttendanceSummary(person: id, name: person["name"], sessions: 0, present: 0, late: 0, excused: 0,
                                            absent: 0, points: 0, share: 0, essay: false, completes: false)
            for session in sessions {
                guard let raw = try String.fetchOne(db, sql: "SELECT status FROM mark WHERE session = ? AND person = ?",
                                                    arguments: [session.id, id]),
                      let status = AttendanceMark.Status(rawValue: raw) else { continue }
                summary.sessions += 1
                switch status {
                case .present: summary.present += 1
                case .late: summary.late += 1
                case .excused: summary.excused += 1
                case .absent: summary.absent += 1
                }
                summary.points += policy.points(for: status)
            }
            let counted = summary.sessions - (rule.excusedCounts ? 0 : summary.excused)
            switch rule.basis {
            case .presence:
                summary.share = counted > 0 ? Double(summary.present + summary.late) / Double(counted) : 0
            case .points:
                let points = summary.points - (rule.excusedCounts ? 0 : summary.excused * policy.points(for: .excused))
                let maximum = counted * policy.maximumPoints
                summary.share = maximum > 0 ? Double(points) / Double(maximum) : 0
            }
            summary.essay = try Bool.fetchOne(db, sql: "SELECT 1 FROM essay WHERE cohort = ? AND person = ?",
                                              arguments: [cohort.id, id]) != nil
            let withdrawn = (person["state"] as String) == "withdrawn"
            summary.completes = !withdrawn && counted > 0 && summary.share + 1e-9 >= rule.minimumAttendance
                && (!rule.essayRequired || summary.essay)
            if withdrawn { continue }
            result.append(summary)
        }
        return result
    }

    // MARK: Helpers

    /// The session and the card's learner, who must have been enrolled on the session's day.
    private func resolve(session id: String, card: String, field: String, in db: Database) throws -> (ClassSession, Learner) {
        guard let session = try ClassSession.find(id, in: db) else {
            throw Rejection(.unknownSession, "session: \"\(id)\" is not planned in the classes service")
        }
        guard let learner = try Learner.find(card: card, in: db) else {
            throw Rejection(.notOnRoster, "\(field): \"\(card)\" is not on the classes roll")
        }
        guard let row = try Row.fetchOne(db, sql: """
            SELECT enrolled_at, withdrawn_at FROM enrolment WHERE cohort = ? AND person = ? AND enrolled_at IS NOT NULL
            """, arguments: [session.cohort, learner.person]) else {
            throw Rejection(.notEnrolled, "\(field): \(learner.maskedName) (\(learner.person)) is not enrolled in \(session.cohort)")
        }
        let enrolled = Date(unixMilliseconds: row["enrolled_at"])
        guard LocalDate(enrolled) <= LocalDate(session.start) else {
            throw Rejection(.notEnrolled, "session: \(session.id) on \(LocalDate(session.start)) was before \(learner.maskedName) enrolled on \(LocalDate(enrolled))")
        }
        if let withdrawn = (row["withdrawn_at"] as Int64?).map(Date.init(unixMilliseconds:)), withdrawn <= session.start {
            throw Rejection(.notEnrolled, "session: \(session.id) on \(LocalDate(session.start)) was after \(learner.maskedName) withdrew on \(LocalDate(withdrawn))")
        }
        return (session, learner)
    }

    /// The learners enrolled on the session's day and not withdrawn before it started.
    private func eligibleLearners(cohort: String, session: ClassSession, in db: Database) throws -> [Learner] {
        try Row.fetchAll(db, sql: """
            SELECT l.*, e.enrolled_at, e.withdrawn_at FROM enrolment e JOIN learner l ON l.person = e.person
            WHERE e.cohort = ? AND e.enrolled_at IS NOT NULL ORDER BY l.person
            """, arguments: [cohort]).compactMap { row in
            let enrolled = Date(unixMilliseconds: row["enrolled_at"])
            guard LocalDate(enrolled) <= LocalDate(session.start) else { return nil }
            if let withdrawn = row["withdrawn_at"] as Int64?, Date(unixMilliseconds: withdrawn) <= session.start { return nil }
            return Learner(row: row)
        }
    }

    private func requireCohort(_ id: String, in db: Database) throws -> Cohort {
        guard let cohort = try Cohort.find(id, in: db) else {
            throw Rejection(.unknownCohort, "cohort: \"\(id)\" is not known to the classes service")
        }
        return cohort
    }

    private func hours(for status: AttendanceMark.Status, session: ClassSession) -> Double {
        status == .present || status == .late ? session.hours : 0
    }

    /// The session's event record: parent the cohort, kind the cohort's kind.
    func sessionEvent(_ session: ClassSession, cohort: Cohort) -> EventRecord {
        EventRecord(event: session.id, programme: .classes, kind: cohort.kind, title: "\(cohort.fullTitle) 第\(session.number)次课",
                    site: cohort.site, parent: cohort.id, start: session.start, end: session.end)
    }

    /// Enqueues a new version of the cohort's event when it differs from the one last sent: start
    /// = the first session, end = the last closed one, and the essay and suggestion counts. Nothing
    /// goes out before the first session closes.
    func syncCohortEvent(_ cohort: Cohort, at: Date, in db: Database) throws {
        guard let span = try Row.fetchOne(db, sql: """
            SELECT (SELECT MIN(start) FROM session WHERE cohort = ?) AS first, MAX("end") AS last
            FROM session WHERE cohort = ? AND closed_at IS NOT NULL
            """, arguments: [cohort.id, cohort.id]), let first = span["first"] as Int64?, let last = span["last"] as Int64? else { return }
        let essays = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM essay WHERE cohort = ?", arguments: [cohort.id]) ?? 0
        let collected = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM suggestion WHERE cohort = ?", arguments: [cohort.id]) ?? 0
        let adopted = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM suggestion WHERE cohort = ? AND adopted = 1", arguments: [cohort.id]) ?? 0
        let event = EventRecord(event: cohort.id, programme: .classes, kind: cohort.kind, title: cohort.fullTitle, site: cohort.site,
                                start: Date(unixMilliseconds: first), end: Date(unixMilliseconds: max(first, last)),
                                counts: .init(suggestionsCollected: collected, suggestionsAdopted: adopted, essays: essays))
        let body = String(decoding: try WanxiaJSON.encode(event), as: UTF8.self)
        guard try String.fetchOne(db, sql: "SELECT event_body FROM cohort WHERE id = ?", arguments: [cohort.id]) != body else { return }
        try Outbox.enqueue(Record.event(event), to: recordsTopic, at: at, in: db)
        try db.execute(sql: "UPDATE cohort SET event_body = ? WHERE id = ?", arguments: [body, cohort.id])
    }

    /// Enqueues the person record if needed, then the participation record, and keeps a copy.
    @discardableResult
    private func emit(person: Learner, cohort: Cohort, event: String, role: String, status: String, hours: Double,
                      start: Date?, end: Date?, supersedes: MessageID?, correction: ParticipationRecord.Correction?,
                      at: Date, in db: Database) throws -> MessageID {
        if try Bool.fetchOne(db, sql: "SELECT announced FROM learner WHERE person = ?", arguments: [person.person]) != true {
            try Outbox.enqueue(Record.person(PersonRecord(person: person.person, kind: .retiree, name: person.name, unit: person.unit)),
                               to: recordsTopic, at: at, in: db)
            try db.execute(sql: "UPDATE learner SET announced = 1 WHERE person = ?", arguments: [person.person])
        }
        let record = ParticipationRecord(person: person.person, event: event, role: role, hours: (hours * 1_000_000).rounded() / 1_000_000,
                                         ledger: .clocked, status: status, start: start, end: end,
                                         supersedes: supersedes, correction: correction)
        let item = try Outbox.enqueue(Record.participation(record), to: recordsTopic, at: at, in: db)
        try db.execute(sql: """
            INSERT INTO record (id, event, person, role, status, hours, supersedes, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [item.id.rawValue, event, person.person, role, status, record.hours, supersedes?.rawValue,
                             item.at.unixMilliseconds])
        if let supersedes {
            try db.execute(sql: "UPDATE record SET superseded_by = ? WHERE id = ?", arguments: [item.id.rawValue, supersedes.rawValue])
        }
        return item.id
    }
}
