import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The rules of the mentoring programme, applied inside the caller's write transaction: the pair
/// lifecycle, meetings, sponsorships and talks, and the records they send to the registrar.
///
/// Every method runs in `db` (the inbox's transaction for a phone's meeting log, the CLI's for
/// admin commands) and enqueues its records with `Outbox.enqueue(_:to:at:in:)`, so state and
/// records commit together or not at all. A refusal is a `Rejection` whose message names the field
/// and the problem, and only ever pseudonyms; the caller rolls back. What goes to the registrar
/// follows docs/measures.md, "Youth mentoring": young people only as `youth` person records with
/// their pseudonym and age band.
public struct MentoringLedger: Sendable {
    /// Where records for the registrar go: `Topic.records(producer:)`.
    public var recordsTopic: String

    public init(recordsTopic: String = Topic.records(producer: "mentoring")) {
        self.recordsTopic = recordsTopic
    }

    // MARK: Lifecycle

    /// Proposes a pair of `mentor` and the young person `youth` (a pseudonym). Refuses an unknown
    /// mentor or young person, a young person whose identity was deleted, and a second open pair
    /// of the same two.
    @discardableResult
    public func propose(id: String? = nil, mentor: String, youth: String, kind: PairKind, actor: String, reason: String,
                        at: Date, in db: Database) throws -> Pair {
        let id = id ?? Pseudonym.pair()
        guard MentoringStore.isPlainID(id) else { throw Rejection(.invalidField, "id: \"\(id)\" is not an id (letters, digits . _ : -)") }
        try checkActor(actor, reason: reason)
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM mentor WHERE person = ?", arguments: [mentor]) != nil else {
            throw Rejection(.unknownPerson, "mentor: \"\(mentor)\" is not a mentor; add or import the mentor first")
        }
        guard let young = try Row.fetchOne(db, sql: "SELECT * FROM youth WHERE pseudonym = ?", arguments: [youth]) else {
            throw Rejection(.unknownPerson, "youth: \"\(youth)\" is not an enrolled young person's pseudonym")
        }
        if (young["identity_deleted_at"] as Int64?) != nil {
            throw Rejection(.invalidField, "youth: \(youth)'s identity was deleted on request; no new pair can be made")
        }
        guard try Pair.find(id, in: db) == nil else { throw Rejection(.invalidField, "id: pair \(id) already exists") }
        if let open = try String.fetchOne(db, sql: "SELECT id FROM pair WHERE mentor = ? AND youth = ? AND state <> 'closed'",
                                          arguments: [mentor, youth]) {
            throw Rejection(.invalidField, "youth: \(mentor) and \(youth) already have an open pair, \(open)")
        }
        try db.execute(sql: """
            INSERT INTO pair (id, mentor, youth, kind, state, proposed_at) VALUES (?, ?, ?, ?, 'proposed', ?)
            """, arguments: [id, mentor, youth, kind.rawValue, at.unixMilliseconds])
        try log(pair: id, from: nil, to: .proposed, at: at, actor: actor, reason: reason, in: db)
        return try Pair.find(id, in: db)!
    }

    /// Moves a pair to `next`, logging time, actor and reason. Refuses a move its state does not
    /// allow (``RejectCode/forbiddenTransition``), a time before its last step, activation without
    /// consent (``RejectCode/consentMissing``), and closure without a catalogued reason.
    /// On the first activation the `person`, `event` and two `paired` records go out; on closure
    /// of a pair that was active, a `closed` correction of each.
    @discardableResult
    public func move(pair id: String, to next: PairState, actor: String, reason: String, closureReason: String? = nil,
                     at: Date, in db: Database) throws -> Pair {
        guard let pair = try Pair.find(id, in: db) else { throw Rejection(.unknownPair, "pair: \"\(id)\" is not a pair") }
        if let refusal = pair.state.refusal(moving: next) {
            throw Rejection(.forbiddenTransition, "pair \(id): \(pair.state.rawValue) -> \(next.rawValue) is not allowed: \(refusal)")
        }
        try checkActor(actor, reason: reason)
        if let last = try Int64.fetchOne(db, sql: "SELECT MAX(at) FROM pair_transition WHERE pair = ?", arguments: [id]),
           at.unixMilliseconds < last {
            throw Rejection(.outOfRange, "at: \(RFC3339.string(from: at)) is before pair \(id)'s last step at \(RFC3339.string(from: Date(unixMilliseconds: last)))")
        }
        switch next {
        case .active:
            try checkConsent(pair, at: at, in: db)
            if pair.activatedAt == nil { try sendActivation(pair, at: at, in: db) }
        case .closed:
            guard let code = closureReason else {
                throw Rejection(.invalidField, "closureReason: a closure needs a reason from the catalogue (wanxia mentoring reason list)")
            }
            guard let catalogued = try Row.fetchOne(db, sql: "SELECT * FROM closure_reason WHERE code = ?", arguments: [code]) else {
                throw Rejection(.invalidField, "closureReason: \"\(code)\" is not in the catalogue; add it with wanxia mentoring reason add")
            }
            try db.execute(sql: "UPDATE pair SET closed_at = ?, closure_reason = ? WHERE id = ?",
                           arguments: [at.unixMilliseconds, code, id])
            if pair.activatedAt != nil {
                let text = ClosureReason(code: code, label: catalogued["label"], planned: catalogued["planned"]).recordText
                try sendClosure(pair, reasonText: text, actor: actor, at: at, in: db)
            }
        case .paused, .proposed:
            break
        }
        try db.execute(sql: "UPDATE pair SET state = ? WHERE id = ?", arguments: [next.rawValue, id])
        let logged = next == .closed ? "\(closureReason ?? ""): \(reason)" : reason
        try log(pair: id, from: pair.state, to: next, at: at, actor: actor, reason: logged, in: db)
        return try Pair.find(id, in: db)!
    }

    /// The pair's state at `date`, from its transition log (nil before it was proposed).
    public func state(of pair: String, at date: Date, in db: Database) throws -> PairState? {
        try String.fetchOne(db, sql: """
            SELECT to_state FROM pair_transition WHERE pair = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1
            """, arguments: [pair, date.unixMilliseconds]).flatMap(PairState.init(rawValue:))
    }

    /// Every step of the pair's lifecycle, oldest first.
    public func history(pair: String, in db: Database) throws -> [PairTransition] {
        try Row.fetchAll(db, sql: "SELECT * FROM pair_transition WHERE pair = ? ORDER BY at, id", arguments: [pair]).map { row in
            PairTransition(pair: row["pair"], from: (row["from_state"] as String?).flatMap(PairState.init(rawValue:)),
                           to: PairState(rawValue: row["to_state"]) ?? .proposed, at: Date(unixMilliseconds: row["at"]),
                           actor: row["actor"], reason: row["reason"])
        }
    }

    // MARK: Meetings, sponsorships, talks

    /// Logs a meeting of `minutes` that ended at `end` (whole seconds count), by the pair's mentor,
    /// while the pair was active; sends its event and the `met` records of mentor and young person.
    /// Returns the event id (`meeting-` + `id`).
    @discardableResult
    public func logMeeting(pair id: String, mentor: String, minutes: Int, mode: MeetingLog.Mode, end: Date, id itemID: MessageID,
                           site: TopicID?, source: String, in db: Database) throws -> String {
        guard let pair = try Pair.find(id, in: db) else {
            throw Rejection(.unknownPair, "pair: \"\(id)\" is not a pair known to the mentoring service")
        }
        guard pair.mentor == mentor else {
            throw Rejection(.notPairMentor, "mentor: \"\(mentor)\" is not the mentor of pair \(id)")
        }
        guard (1...1440).contains(minutes) else { throw Rejection(.outOfRange, "minutes: \(minutes) must be 1 to 1440") }
        let endMs = end.unixMilliseconds / 1000 * 1000
        let startMs = endMs - Int64(minutes) * 60_000
        let start = Date(unixMilliseconds: startMs), finish = Date(unixMilliseconds: endMs)
        try checkActive(pair, from: start, to: finish, what: "meeting", in: db)
        let event = "meeting-\(itemID.rawValue)"
        try db.execute(sql: """
            INSERT INTO meeting (event, pair, mentor, mode, minutes, start, "end", source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [event, id, mentor, mode.rawValue, minutes, startMs, endMs, source])
        try enqueue(.event(EventRecord(event: event, programme: .mentoring, kind: "结对帮扶活动", title: "结对帮扶活动",
                                       site: site, parent: pair.id, start: start, end: finish)), at: finish, in: db)
        let hours = Double(minutes) / 60
        for (person, role) in [(pair.mentor, "mentor"), (pair.youth, "mentee")] {
            try enqueue(.participation(ParticipationRecord(person: person, event: event, role: role, hours: hours, ledger: .clocked,
                                                           status: "met", start: start, end: finish)), at: finish, in: db)
        }
        return event
    }

    /// Records a sponsorship handed over at `at` for an active pair: what was given stays here;
    /// the registrar gets a 资助 event with `sponsor` and `sponsored` records. Returns the event id.
    @discardableResult
    public func sponsor(pair id: String, what: String, amount: Double?, actor: String, at: Date, in db: Database) throws -> String {
        guard let pair = try Pair.find(id, in: db) else { throw Rejection(.unknownPair, "pair: \"\(id)\" is not a pair") }
        guard !what.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Rejection(.invalidField, "what: say what was given (e.g. 助学金 1000 元, 学习用品)")
        }
        if let amount, !(amount.isFinite && amount >= 0) { throw Rejection(.outOfRange, "amount: \(amount) must be 0 or more") }
        try checkActor(actor, reason: what)
        let when = Date(unixMilliseconds: at.unixMilliseconds / 1000 * 1000)
        try checkActive(pair, from: when, to: when, what: "sponsorship", in: db)
        let event = "sponsorship-\(MessageID.make(now: when).rawValue)"
        try db.execute(sql: "INSERT INTO sponsorship (event, pair, what, amount, given_at, actor) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [event, id, what, amount, when.unixMilliseconds, actor])
        try enqueue(.event(EventRecord(event: event, programme: .mentoring, kind: "资助", title: "资助", parent: pair.id,
                                       start: when, end: when)), at: when, in: db)
        for (person, role) in [(pair.mentor, "sponsor"), (pair.youth, "sponsored")] {
            try enqueue(.participation(ParticipationRecord(person: person, event: event, role: role, hours: 0, ledger: .clocked,
                                                           status: "given", start: when, end: when)), at: when, in: db)
        }
        return event
    }

    /// Records a school talk: its event with the audience count and a `speaker` record for each
    /// speaker (who must be a mentor). Returns the event id.
    @discardableResult
    public func recordTalk(_ talk: Talk, in db: Database) throws -> String {
        let event = talk.id ?? "talk-\(MessageID.make(now: talk.start).rawValue)"
        guard MentoringStore.isPlainID(event) else { throw Rejection(.invalidField, "id: \"\(event)\" is not an id") }
        guard talk.audience >= 0 else { throw Rejection(.outOfRange, "audience: \(talk.audience) must be 0 or more") }
        let start = Date(unixMilliseconds: talk.start.unixMilliseconds / 1000 * 1000)
        let end = Date(unixMilliseconds: talk.end.unixMilliseconds / 1000 * 1000)
        guard end > start else { throw Rejection(.outOfRange, "end: the talk must end after it starts") }
        guard !talk.speakers.isEmpty else { throw Rejection(.invalidField, "speakers: name at least one speaker (a mentor's person id)") }
        let site = try talk.site.map { try TopicID(validating: $0, field: "site") }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM talk WHERE event = ?", arguments: [event]) == nil else {
            throw Rejection(.invalidField, "id: talk \(event) is already recorded")
        }
        try db.execute(sql: "INSERT INTO talk (event, kind, title, site, start, \"end\", audience) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [event, talk.kind, talk.title, talk.site, start.unixMilliseconds, end.unixMilliseconds, talk.audience])
        try enqueue(.event(EventRecord(event: event, programme: .mentoring, kind: talk.kind, title: talk.title, site: site,
                                       start: start, end: end, counts: .init(audience: talk.audience))), at: end, in: db)
        for speaker in Set(talk.speakers).sorted() {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM mentor WHERE person = ?", arguments: [speaker]) != nil else {
                throw Rejection(.unknownPerson, "speakers: \"\(speaker)\" is not a mentor; add or import the mentor first")
            }
            try db.execute(sql: "INSERT INTO talk_speaker (talk, person) VALUES (?, ?)", arguments: [event, speaker])
            try announceMentor(speaker, at: end, in: db)
            try enqueue(.participation(ParticipationRecord(person: speaker, event: event, role: "speaker",
                                                           hours: end.timeIntervalSince(start) / 3600, ledger: .clocked,
                                                           status: "spoke", start: start, end: end)), at: end, in: db)
        }
        return event
    }

    // MARK: Helpers

    private func checkActor(_ actor: String, reason: String) throws {
        guard MentoringStore.isPlainID(actor) else {
            throw Rejection(.invalidField, "actor: \"\(actor)\" is not a person id (letters, digits . _ : -)")
        }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Rejection(.invalidField, "reason: say why (every step of a pair is logged with a reason)")
        }
    }

    /// Consent must be recorded on or before `at`; a young person's own consent only counts from 14.
    private func checkConsent(_ pair: Pair, at: Date, in db: Database) throws {
        guard let young = try Row.fetchOne(db, sql: "SELECT * FROM youth WHERE pseudonym = ?", arguments: [pair.youth]) else {
            throw Rejection(.unknownPerson, "youth: \"\(pair.youth)\" is not enrolled")
        }
        if (young["identity_deleted_at"] as Int64?) != nil {
            throw Rejection(.invalidField, "youth: \(pair.youth)'s identity was deleted on request; the pair cannot become active")
        }
        guard let consentAt = young["consent_at"] as Int64?, consentAt <= at.unixMilliseconds else {
            throw Rejection(.consentMissing, "pair \(pair.id): no consent is recorded for \(pair.youth) on or before \(RFC3339.string(from: at)); an identity officer records it first (wanxia mentoring consent)")
        }
        if (young["consent_by"] as String?) == "self", !AgeBand.isAtLeast14(band: young["age_band"]) {
            throw Rejection(.consentMissing, "pair \(pair.id): \(pair.youth) is under 14 (or of unknown age): a guardian's consent is required, not their own")
        }
    }

    /// The pair must have been active over the whole of [from, to].
    private func checkActive(_ pair: Pair, from: Date, to: Date, what: String, in db: Database) throws {
        let atStart = try state(of: pair.id, at: from, in: db)
        let atEnd = try state(of: pair.id, at: to, in: db)
        guard atStart == .active, atEnd == .active else {
            let state = atStart ?? atEnd
            throw Rejection(.pairNotActive, "pair \(pair.id) was \(state?.rawValue ?? "not yet proposed") at \(RFC3339.string(from: atStart == .active ? to : from)); a \(what) is accepted only while the pair is active (now \(pair.state.rawValue))")
        }
    }

    private func log(pair: String, from: PairState?, to: PairState, at: Date, actor: String, reason: String, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO pair_transition (pair, from_state, to_state, at, actor, reason) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [pair, from?.rawValue, to.rawValue, at.unixMilliseconds, actor, reason])
    }

    private func enqueue(_ record: WanxiaContract.Record, at: Date, in db: Database) throws {
        try Outbox.enqueue(record, to: recordsTopic, at: at, in: db)
    }

    private func announceMentor(_ person: String, at: Date, in db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT name, announced FROM mentor WHERE person = ?", arguments: [person]),
              !(row["announced"] as Bool) else { return }
        try enqueue(.person(PersonRecord(person: person, kind: .retiree, name: row["name"])), at: at, in: db)
        try db.execute(sql: "UPDATE mentor SET announced = 1 WHERE person = ?", arguments: [person])
    }

    /// The young person goes out as a pseudonym with an age band, nothing more.
    private func announceYouth(_ pseudonym: String, at: Date, in db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT age_band, announced FROM youth WHERE pseudonym = ?", arguments: [pseudonym]),
              !(row["announced"] as Bool) else { return }
        try enqueue(.person(PersonRecord(person: pseudonym, kind: .youth, ageBand: row["age_band"])), at: at, in: db)
        try db.execute(sql: "UPDATE youth SET announced = 1 WHERE pseudonym = ?", arguments: [pseudonym])
    }

    private func sendActivation(_ pair: Pair, at: Date, in db: Database) throws {
        try announceMentor(pair.mentor, at: at, in: db)
        try announceYouth(pair.youth, at: at, in: db)
        try enqueue(.event(EventRecord(event: pair.id, programme: .mentoring, kind: pair.kind.words, title: pair.kind.words,
                                       start: at, end: at)), at: at, in: db)
        var ids: [String] = []
        for (person, role) in [(pair.mentor, "mentor"), (pair.youth, "mentee")] {
            let item = try Outbox.enqueue(WanxiaContract.Record.participation(ParticipationRecord(
                person: person, event: pair.id, role: role, hours: 0, ledger: .clocked, status: "paired", start: at)),
                to: recordsTopic, at: at, in: db)
            ids.append(item.id.rawValue)
        }
        try db.execute(sql: "UPDATE pair SET activated_at = ?, mentor_record = ?, mentee_record = ? WHERE id = ?",
                       arguments: [at.unixMilliseconds, ids[0], ids[1], pair.id])
    }

    private func sendClosure(_ pair: Pair, reasonText: String, actor: String, at: Date, in db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT activated_at, mentor_record, mentee_record FROM pair WHERE id = ?",
                                         arguments: [pair.id]),
              let activated = row["activated_at"] as Int64?,
              let mentorRecord = row["mentor_record"] as String?, let menteeRecord = row["mentee_record"] as String? else { return }
        let start = Date(unixMilliseconds: activated)
        for (person, role, record) in [(pair.mentor, "mentor", mentorRecord), (pair.youth, "mentee", menteeRecord)] {
            try enqueue(.participation(ParticipationRecord(
                person: person, event: pair.id, role: role, hours: 0, ledger: .clocked, status: "closed", start: start, end: at,
                supersedes: try MessageID(validating: record), correction: .init(by: actor, reason: reasonText))), at: at, in: db)
        }
    }
}
