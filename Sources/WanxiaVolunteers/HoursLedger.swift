import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The rules that turn scans, closes, confirmations, corrections and back-fills into state and
/// participation records, applied inside the caller's write transaction.
///
/// Every method runs in `db` (the inbox's transaction for observations, the CLI's for admin
/// commands) and enqueues the records it derives with `Outbox.enqueue(_:to:at:in:)`, so state and
/// records commit together or not at all. A refusal is a `Rejection` with a code from the contract
/// (or ``WanxiaContract/RejectCode/unknownActivity``) and a message naming the field, always
/// thrown before the method's first write, so a refusal leaves nothing behind (the inbox relies on
/// it to apply scans without a savepoint each). Records, in the order they go out: a `person` record the first time a volunteer
/// takes part, an `event` record for the activity's current version, then `participation`.
///
/// The clocked ledger: each check-out (or automatic close) yields one record whose hours are the
/// person's rounded total for the activity so far minus what earlier records already gave, so the
/// records of an activity add up to the rounded total of all pairs. The back-filled ledger holds
/// hours a leader added afterwards, with who and why. A correction never edits: it supersedes.
public struct HoursLedger: Sendable {
    public var policy: HourPolicy
    /// Where records for the registrar go: `Topic.records(producer:)`.
    public var recordsTopic: String
    /// Activities, cards and team places already read in the current transaction: a commit of
    /// scans names the same few of each again and again.
    private let activities = TransactionMemo<String, Activity>()
    private let cards = TransactionMemo<String, Volunteer>()
    private let places = TransactionMemo<TeamPlace, Team>()
    /// Whether the person's `person` record and the activity's current `event` record went out
    /// (the ledger's own writes set them, and say so to the memo).
    private let announced = TransactionMemo<String, Bool>()
    private let eventSent = TransactionMemo<String, Bool>()

    private struct TeamPlace: Hashable, Sendable {
        var team: String
        var person: String
    }

    public init(policy: HourPolicy = HourPolicy(), recordsTopic: String = Topic.records(producer: "volunteers")) {
        self.policy = policy
        self.recordsTopic = recordsTopic
    }

    /// One line of `hours(activity:in:)`: a record the service sent, and whether it still stands.
    public struct Line: Sendable, Equatable, Codable {
        public var record: String
        public var person: String
        public var role: String
        public var ledger: Ledger
        public var status: String
        public var hours: Double
        public var supersedes: String?
        public var supersededBy: String?
        public var correctedBy: String?
        public var reason: String?
    }

    // MARK: Scans

    /// Records a check-in at `at`; refuses an unknown activity, a card not on the team, a time far
    /// outside the window, a second check-in while checked in, and more pairs a day than allowed.
    public func checkIn(card: String, activity id: String, at: Date, item: MessageID, site: TopicID, in db: Database) throws {
        let (activity, volunteer, _) = try resolve(card: card, activity: id, at: at, in: db)
        let day = policy.day(of: at)
        // The open check-in, if any, and the day's pairs so far, in one statement.
        let (open, pairs) = try db.cachedStatement(sql: """
            SELECT (SELECT checkin FROM stint WHERE activity = ?1 AND person = ?2 AND checkout IS NULL),
                   (SELECT COUNT(*) FROM stint WHERE person = ?2 AND checkin >= ?3 AND checkin < ?4)
            """).fetchDirect({
                $0.bind(activity.id)
                $0.bind(volunteer.person)
                $0.bind(day.start.unixMilliseconds)
                $0.bind(day.end.unixMilliseconds)
            }, row: { ($0.int64OrNil(0), Int($0.int64(1))) })[0]
        if let open {
            throw Rejection(.duplicateCheckin, "card \(card): \(volunteer.maskedName) is already checked in to \(activity.id) since \(RFC3339.string(from: Date(unixMilliseconds: open))); check out first")
        }
        if pairs >= policy.maxPairsPerDay {
            throw Rejection(.outOfRange, "card \(card): at most \(policy.maxPairsPerDay) check-in/check-out pairs a day; \(volunteer.maskedName) already has \(pairs)")
        }
        try logScan(item: item, activity: activity.id, person: volunteer.person, kind: "checkin", at: at, site: site, in: db)
        try db.cachedStatement(sql: "INSERT INTO stint (activity, person, checkin) VALUES (?, ?, ?)").executeDirect {
            $0.bind(activity.id)
            $0.bind(volunteer.person)
            $0.bind(at.unixMilliseconds)
        }
    }

    /// Records a check-out at `at`, pairs it with the open check-in and enqueues the clocked record.
    /// Returns the id of that record.
    @discardableResult
    public func checkOut(card: String, activity id: String, at: Date, item: MessageID, site: TopicID, in db: Database) throws -> MessageID {
        let (activity, volunteer, team) = try resolve(card: card, activity: id, at: at, in: db)
        // The person's pairs for the activity, the open one among them, and the clocked hours
        // already sent, in one statement.
        let stints = try Stints.read(activity: activity.id, person: volunteer.person, in: db)
        guard let open = stints.open else {
            throw Rejection(.checkoutWithoutCheckin, "card \(card): \(volunteer.maskedName) has no open check-in for \(activity.id)")
        }
        guard at >= open.checkin else {
            throw Rejection(.outOfRange, "at: check-out \(RFC3339.string(from: at)) is before the check-in at \(RFC3339.string(from: open.checkin))")
        }
        try logScan(item: item, activity: activity.id, person: volunteer.person, kind: "checkout", at: at, site: site, in: db)
        try db.cachedStatement(sql: "UPDATE stint SET checkout = ?, closed_by = 'checkout' WHERE id = ?").executeDirect {
            $0.bind(at.unixMilliseconds)
            $0.bind(open.id)
        }
        return try recordClocked(activity: activity, team: team, volunteer: volunteer, checkin: open.checkin, checkout: at,
                                 closed: stints.closed + [(open.checkin, at)], already: stints.already, automatic: false, in: db)
    }

    // MARK: Closing

    /// Closes every forgotten check-out of the activity at its end (or at `now`, if earlier), with
    /// a record of status `auto-closed` for the leader to confirm; marks the activity closed.
    /// Returns the records made. Closing twice is harmless.
    @discardableResult
    public func close(activity id: String, now: Date, in db: Database) throws -> [MessageID] {
        guard let activity = try Activity.find(id, in: db) else {
            throw Rejection(.unknownActivity, "activity: \"\(id)\" is not planned")
        }
        let team = try Team.find(activity.team, in: db)
        let closeAt = min(now, activity.end)
        var made: [MessageID] = []
        let open = try Row.fetchAll(db, sql: "SELECT id, person, checkin FROM stint WHERE activity = ? AND checkout IS NULL ORDER BY id",
                                    arguments: [activity.id])
        for row in open {
            let checkin = Date(unixMilliseconds: row["checkin"])
            let checkout = max(closeAt, checkin)
            try db.execute(sql: "UPDATE stint SET checkout = ?, closed_by = 'auto' WHERE id = ?", arguments: [checkout.unixMilliseconds, row["id"] as Int64])
            guard let volunteer = try Volunteer.find(person: row["person"], in: db) else { continue }
            let stints = try Stints.read(activity: activity.id, person: volunteer.person, in: db)
            made.append(try recordClocked(activity: activity, team: team, volunteer: volunteer, checkin: checkin, checkout: checkout,
                                          closed: stints.closed, already: stints.already, automatic: true, in: db))
        }
        if now >= activity.end {
            try db.execute(sql: "UPDATE activity SET closed_at = COALESCE(closed_at, ?) WHERE id = ?", arguments: [now.unixMilliseconds, activity.id])
        }
        return made
    }

    /// Closes every activity that ended at least `grace` seconds before `now` and is not closed yet.
    @discardableResult
    public func sweep(now: Date, grace: TimeInterval, in db: Database) throws -> [MessageID] {
        let due = try String.fetchAll(db, sql: """
            SELECT id FROM activity WHERE closed_at IS NULL AND "end" <= ? ORDER BY "end", id
            """, arguments: [now.addingTimeInterval(-grace).unixMilliseconds])
        return try due.flatMap { try close(activity: $0, now: now, in: db) }
    }

    // MARK: Leaders

    /// A leader confirms the activity's clocked hours as they stand (auto-closed ones included).
    public func confirm(activity id: String, leader: String, at: Date, in db: Database) throws {
        let (activity, _) = try leaderCheck(activity: id, leader: leader, in: db)
        try db.execute(sql: "INSERT INTO confirmation (activity, leader, decision, at) VALUES (?, ?, 'confirm', ?)",
                       arguments: [activity.id, leader, at.unixMilliseconds])
    }

    /// A leader corrects some people's hours for the activity: each correction supersedes the
    /// person's standing clocked records (the latest gets the corrected hours, earlier ones 0 with
    /// status `void`), or if none stand, the back-filled ones the same way; for someone with no
    /// record at all it adds a back-filled one. Returns the new records' ids.
    @discardableResult
    public func correct(activity id: String, leader: String, corrections: [Confirmation.Correction], at: Date,
                        in db: Database) throws -> [MessageID] {
        let (activity, team) = try leaderCheck(activity: id, leader: leader, in: db)
        // Every correction is checked before the first is written: a refusal leaves nothing to undo.
        let checked = try corrections.map { correction in
            guard let volunteer = try Volunteer.find(card: correction.person, in: db), team.isMember(volunteer.person) else {
                throw Rejection(.notOnRoster, "corrections.person: \"\(correction.person)\" is not on team \(team.id)")
            }
            try checkHours(correction.hours, activity: activity, field: "corrections.hours")
            return (correction, volunteer)
        }
        var made: [MessageID] = []
        for (correction, volunteer) in checked {
            // The clocked records if any stand, else the back-filled ones: a correction stays in its ledger.
            var ledger = Ledger.clocked
            var standing = try standingRecords(activity: activity.id, person: volunteer.person, ledger: ledger, in: db)
            if standing.isEmpty {
                ledger = .backfilled
                standing = try standingRecords(activity: activity.id, person: volunteer.person, ledger: ledger, in: db)
            }
            let by = ParticipationRecord.Correction(by: leader, reason: correction.reason)
            if standing.isEmpty {
                made.append(try emit(activity: activity, team: team, volunteer: volunteer, hours: correction.hours,
                                     ledger: .backfilled, status: "served", start: nil, end: nil, supersedes: nil,
                                     correction: by, at: at, in: db))
                continue
            }
            for (index, row) in standing.enumerated() {
                let last = index == standing.count - 1
                let hours = last ? correction.hours : 0
                made.append(try emit(activity: activity, team: team, volunteer: volunteer, hours: hours, ledger: ledger,
                                     status: hours > 0 ? "served" : "void",
                                     start: (row["start"] as Int64?).map(Date.init(unixMilliseconds:)),
                                     end: (row["end"] as Int64?).map(Date.init(unixMilliseconds:)),
                                     supersedes: try MessageID(validating: row["id"]), correction: by, at: at, in: db))
            }
        }
        try db.execute(sql: "INSERT INTO confirmation (activity, leader, decision, at) VALUES (?, ?, 'correct', ?)",
                       arguments: [activity.id, leader, at.unixMilliseconds])
        return made
    }

    /// A leader adds hours afterwards (the back-filled ledger): never more than the activity's
    /// length for one person in total, always with a reason. Returns the record's id.
    @discardableResult
    public func backfill(activity id: String, person: String, hours: Double, by leader: String, reason: String,
                         at: Date, in db: Database) throws -> MessageID {
        let (activity, team) = try leaderCheck(activity: id, leader: leader, in: db)
        guard let volunteer = try Volunteer.find(card: person, in: db), team.isMember(volunteer.person) else {
            throw Rejection(.notOnRoster, "person: \"\(person)\" is not on team \(team.id)")
        }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Rejection(.invalidField, "reason: say why the hours are added afterwards")
        }
        guard hours > 0 else { throw Rejection(.outOfRange, "hours: \(hours) must be more than 0") }
        let before = try Double.fetchOne(db, sql: """
            SELECT TOTAL(hours) FROM record WHERE activity = ? AND person = ? AND ledger = 'backfilled' AND superseded_by IS NULL
            """, arguments: [activity.id, volunteer.person]) ?? 0
        try checkHours(before + hours, activity: activity, field: "hours")
        return try emit(activity: activity, team: team, volunteer: volunteer, hours: hours, ledger: .backfilled,
                        status: "served", start: nil, end: nil, supersedes: nil,
                        correction: .init(by: leader, reason: reason), at: at, in: db)
    }

    // MARK: Reading

    /// Every record the service sent for the activity, oldest first.
    public func hours(activity id: String, in db: Database) throws -> [Line] {
        guard try Activity.find(id, in: db) != nil else {
            throw Rejection(.unknownActivity, "activity: \"\(id)\" is not planned")
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM record WHERE activity = ? ORDER BY at, id", arguments: [id]).map { row in
            Line(record: row["id"], person: row["person"], role: row["role"], ledger: Ledger(rawValue: row["ledger"]) ?? .clocked,
                 status: row["status"], hours: row["hours"], supersedes: row["supersedes"], supersededBy: row["superseded_by"],
                 correctedBy: row["corrected_by"], reason: row["reason"])
        }
    }

    // MARK: Helpers

    /// A person's stints of one activity as they stand, and the clocked hours already sent for it.
    private struct Stints {
        var open: (id: Int64, checkin: Date)?
        var closed: [(checkin: Date, checkout: Date)] = []
        var already: Double = 0

        static func read(activity: String, person: String, in db: Database) throws -> Stints {
            var stints = Stints()
            try db.cachedStatement(sql: """
                SELECT id, checkin, checkout,
                       (SELECT TOTAL(hours) FROM record
                        WHERE activity = ?1 AND person = ?2 AND ledger = 'clocked' AND superseded_by IS NULL)
                FROM stint WHERE activity = ?1 AND person = ?2
                """).fetchDirect({
                    $0.bind(activity)
                    $0.bind(person)
                }, row: { row in
                    stints.already = row.double(3)
                    let checkin = Date(unixMilliseconds: row.int64(1))
                    if let checkout = row.int64OrNil(2) {
                        stints.closed.append((checkin, Date(unixMilliseconds: checkout)))
                    } else {
                        stints.open = (row.int64(0), checkin)
                    }
                })
            return stints
        }
    }

    /// The activity, the card's volunteer and the team, checking the roster and the time window.
    private func resolve(card: String, activity id: String, at: Date, in db: Database) throws -> (Activity, Volunteer, Team?) {
        guard let activity = try activities.value(id, in: db, read: { try Activity.find(id, in: $0) }) else {
            throw Rejection(.unknownActivity, "activity: \"\(id)\" is not planned in the volunteers service")
        }
        let volunteer = try cards.value(card, in: db) { try Volunteer.find(card: card, in: $0) }
        let team = try volunteer.flatMap { volunteer in
            try places.value(TeamPlace(team: activity.team, person: volunteer.person), in: db) {
                try Team.find(activity.team, member: volunteer.person, in: $0)
            }
        }
        guard let volunteer, team?.isMember(volunteer.person) == true else {
            throw Rejection(.notOnRoster, "card: \"\(card)\" is not on the roster of \(activity.id) (team \(activity.team))")
        }
        let earliest = activity.start.addingTimeInterval(-policy.leeway)
        let latest = activity.end.addingTimeInterval(policy.leeway)
        guard at >= earliest, at <= latest else {
            throw Rejection(.outOfRange, "at: \(RFC3339.string(from: at)) is outside \(activity.id)'s window \(RFC3339.string(from: activity.start)) to \(RFC3339.string(from: activity.end)) (\(Int(policy.leeway / 60)) minutes allowed either side)")
        }
        return (activity, volunteer, team)
    }

    private func leaderCheck(activity id: String, leader: String, in db: Database) throws -> (Activity, Team) {
        guard let activity = try Activity.find(id, in: db) else {
            throw Rejection(.unknownActivity, "activity: \"\(id)\" is not planned in the volunteers service")
        }
        guard let team = try Team.find(activity.team, in: db), team.isLeader(leader) else {
            throw Rejection(.notLeader, "leader: \"\(leader)\" does not lead team \(activity.team), which runs \(activity.id)")
        }
        return (activity, team)
    }

    private func standingRecords(activity: String, person: String, ledger: Ledger, in db: Database) throws -> [Row] {
        try Row.fetchAll(db, sql: """
            SELECT id, start, "end" FROM record
            WHERE activity = ? AND person = ? AND ledger = ? AND superseded_by IS NULL ORDER BY at, id
            """, arguments: [activity, person, ledger.rawValue])
    }

    private func checkHours(_ hours: Double, activity: Activity, field: String) throws {
        let length = activity.length / 3600
        guard hours.isFinite, hours >= 0, hours <= length + 1e-9 else {
            throw Rejection(.outOfRange, "\(field): \(hours) h is more than \(activity.id) lasts (\(length) h)")
        }
    }

    private func logScan(item: MessageID, activity: String, person: String, kind: String, at: Date, site: TopicID, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO scan (item, activity, person, kind, at, site) VALUES (?, ?, ?, ?, ?, ?)").executeDirect {
            $0.bind(item.rawValue)
            $0.bind(activity)
            $0.bind(person)
            $0.bind(kind)
            $0.bind(at.unixMilliseconds)
            $0.bind(site.rawValue)
        }
    }

    /// The clocked record of one closed pair: the rounded total of the person's `closed` pairs
    /// (this one among them) minus the clocked hours `already` given.
    private func recordClocked(activity: Activity, team: Team?, volunteer: Volunteer, checkin: Date, checkout: Date,
                               closed pairs: [(checkin: Date, checkout: Date)], already: Double, automatic: Bool,
                               in db: Database) throws -> MessageID {
        let served = policy.servedSeconds(pairs, window: activity.window)
        let (total, tooShort) = policy.hours(served: served, activityLength: activity.length)
        let hours = max(0, ((total - already) * 1_000_000).rounded() / 1_000_000)
        let status = automatic ? "auto-closed" : (tooShort ? "too-short" : "served")
        let start = min(max(checkin, activity.start), activity.end)
        let end = max(start, min(checkout, activity.end))
        return try emit(activity: activity, team: team, volunteer: volunteer, hours: hours, ledger: .clocked, status: status,
                        start: start, end: end, supersedes: nil, correction: nil, at: checkout, in: db)
    }

    /// Enqueues the person and event records if needed, then the participation record, and keeps a copy.
    private func emit(activity: Activity, team: Team?, volunteer: Volunteer, hours: Double, ledger: Ledger, status: String,
                      start: Date?, end: Date?, supersedes: MessageID?, correction: ParticipationRecord.Correction?,
                      at: Date, in db: Database) throws -> MessageID {
        let wasAnnounced = try announced.value(volunteer.person, in: db) {
            try Bool.fetchOne($0.cachedStatement(sql: "SELECT announced FROM volunteer WHERE person = ?"), arguments: [volunteer.person])
        }
        if wasAnnounced != true {
            try Outbox.enqueue(Record.person(PersonRecord(person: volunteer.person, kind: .retiree, name: volunteer.name)),
                               to: recordsTopic, at: at, in: db)
            try db.execute(sql: "UPDATE volunteer SET announced = 1 WHERE person = ?", arguments: [volunteer.person])
            announced.remember(volunteer.person, true, in: db)
        }
        let wasSent = try eventSent.value(activity.id, in: db) {
            try Bool.fetchOne($0.cachedStatement(sql: "SELECT event_sent FROM activity WHERE id = ?"), arguments: [activity.id])
        }
        if wasSent != true {
            try Self.sendEvent(activity, teamName: team?.name, to: recordsTopic, at: Date(), in: db)
            eventSent.remember(activity.id, true, in: db)
        }
        let role = team?.isLeader(volunteer.person) == true ? "leader" : "volunteer"
        let record = ParticipationRecord(person: volunteer.person, event: activity.id, role: role, hours: hours, ledger: ledger,
                                         status: status, start: start, end: end, team: activity.team,
                                         supersedes: supersedes, correction: correction)
        let item = try Outbox.enqueue(Record.participation(record), to: recordsTopic, at: at, in: db)
        try db.cachedStatement(sql: """
            INSERT INTO record (id, activity, person, role, ledger, status, hours, start, "end", supersedes, corrected_by, reason, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).executeDirect {
                $0.bind(item.id.rawValue)
                $0.bind(activity.id)
                $0.bind(volunteer.person)
                $0.bind(role)
                $0.bind(ledger.rawValue)
                $0.bind(status)
                $0.bind(hours)
                $0.bind(start?.unixMilliseconds)
                $0.bind(end?.unixMilliseconds)
                $0.bind(supersedes?.rawValue)
                $0.bind(correction?.by)
                $0.bind(correction?.reason)
                $0.bind(item.at.unixMilliseconds)
            }
        if let supersedes {
            try db.execute(sql: "UPDATE record SET superseded_by = ? WHERE id = ?", arguments: [item.id.rawValue, supersedes.rawValue])
        }
        return item.id
    }

    /// Enqueues the activity's `event` record and marks its current version sent.
    static func sendEvent(_ activity: Activity, teamName: String?, to topic: String, at: Date, in db: Database) throws {
        try Outbox.enqueue(Record.event(activity.eventRecord(teamName: teamName)), to: topic, at: at, in: db)
        try db.execute(sql: "UPDATE activity SET event_sent = 1 WHERE id = ?", arguments: [activity.id])
    }
}
