import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The registrar's ``InboxHandler``: checks each record against the contract and the book, and
/// stores it.
///
/// - `person` upserts the roll (a version older than the stored one is acknowledged and ignored);
/// - `event` appends a version (the effective one is the latest by item time, then arrival);
/// - `participation` appends a record, or a correction that names the record it supersedes.
///
/// Refusals are ``Rejection``s naming the field and the id: unknown person or event, a correction
/// of an unknown or already corrected record, hours longer than the event, times before 2000 or
/// more than a day ahead, and every contract violation (decoding and validation). Strings are
/// stored as given, always through bound parameters. Runs inside the inbox's write transaction;
/// the only errors it throws besides `Rejection` are database failures, which abort the batch.
public struct RegistrarIngest: InboxHandler {
    /// Reject times before this instant (2000-01-01T00:00:00+08:00).
    public static let earliest = Date(timeIntervalSince1970: 946_656_000)

    /// The clock, read once per item: "now" for recorded_at and for the future-time check.
    public var clock: @Sendable () -> Date
    /// How far past `clock()` a time may lie (a site's clock may be a little fast).
    public var futureLeeway: TimeInterval

    public init(futureLeeway: TimeInterval = 86_400, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
        self.futureLeeway = futureLeeway
    }

    /// Every check below runs before the one statement that stores an item.
    public var refusesBeforeWriting: Bool { true }

    /// Negative hours are a range problem to the bureau, not a shape problem: say so before the
    /// contract's own check calls them an invalid field.
    public func check(_ item: Item<WanxiaContract.Record>) throws {
        if case .participation(let participation) = item.body, participation.hours < 0 {
            throw Rejection(.outOfRange, "body.hours: \(participation.hours) is negative; hours served are 0 or more")
        }
        try item.validate()
    }

    public func apply(_ item: Item<WanxiaContract.Record>, from producer: TopicID, in db: Database) throws {
        let now = clock()
        try checkTime(item.at, "at", now: now)
        switch item.body {
        case .person(let person):
            try store(person, item: item, in: db)
        case .event(let event):
            try checkTime(event.start, "body.start", now: now)
            try checkTime(event.end, "body.end", now: now)
            try store(event, item: item, producer: producer, now: now, in: db)
        case .participation(let participation):
            if let start = participation.start { try checkTime(start, "body.start", now: now) }
            if let end = participation.end { try checkTime(end, "body.end", now: now) }
            try store(participation, item: item, producer: producer, now: now, in: db)
        }
    }

    private func checkTime(_ date: Date, _ field: String, now: Date) throws {
        if date < Self.earliest {
            throw Rejection(.outOfRange, "\(field): \(RFC3339.string(from: date)) is before 2000")
        }
        if date > now.addingTimeInterval(futureLeeway) {
            throw Rejection(.outOfRange, "\(field): \(RFC3339.string(from: date)) is more than a day in the future")
        }
    }

    private func store(_ person: PersonRecord, item: Item<WanxiaContract.Record>, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO person (id, kind, name, unit, age_band, updated_at, source)
            VALUES (?, ?, ?, ?, ?, ?, 'bus')
            ON CONFLICT (id) DO UPDATE SET
                kind = excluded.kind, name = excluded.name, unit = excluded.unit,
                age_band = excluded.age_band, updated_at = excluded.updated_at, source = 'bus'
            WHERE excluded.updated_at >= person.updated_at
            """).execute(arguments: [person.person, person.kind.rawValue, person.name, person.unit, person.ageBand,
                             item.at.unixMilliseconds])
    }

    private func store(_ event: EventRecord, item: Item<WanxiaContract.Record>, producer: TopicID, now: Date, in db: Database) throws {
        let counts = event.counts
        try db.cachedStatement(sql: """
            INSERT INTO event (item_id, event, programme, kind, title, site, organiser, parent, start, "end",
                               audience, works_submitted, works_selected, suggestions_collected, suggestions_adopted,
                               essays, producer, at, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [item.id.rawValue, event.event, event.programme.rawValue, event.kind, event.title,
                             event.site?.rawValue, event.organiser, event.parent,
                             event.start.unixMilliseconds, event.end.unixMilliseconds,
                             counts?.audience, counts?.worksSubmitted, counts?.worksSelected,
                             counts?.suggestionsCollected, counts?.suggestionsAdopted, counts?.essays,
                             producer.rawValue, item.at.unixMilliseconds, now.unixMilliseconds])
    }

    private func store(_ record: ParticipationRecord, item: Item<WanxiaContract.Record>, producer: TopicID, now: Date, in db: Database) throws {
        // The two reads and the insert every record makes are bound directly (`executeDirect`).
        let known = try db.cachedStatement(sql: "SELECT 1 FROM person WHERE id = ?").fetchDirect({ $0.bind(record.person) }, row: { _ in true })
        guard !known.isEmpty else {
            throw Rejection(.unknownPerson, "body.person: \"\(record.person)\" is not on the roll; send a person record or import the people file first")
        }
        guard let (start, end) = try db.cachedStatement(sql: """
            SELECT start, "end" FROM event WHERE event = ? ORDER BY at DESC, version DESC LIMIT 1
            """).fetchDirect({ $0.bind(record.event) }, row: { ($0.int64(0), $0.int64(1)) }).first
        else {
            throw Rejection(.unknownEvent, "body.event: \"\(record.event)\" has not been recorded; send its event record first")
        }
        let eventHours = Double(end - start) / 3_600_000
        if record.hours > eventHours + 1e-9 {
            throw Rejection(.outOfRange, "body.hours: \(record.hours) is longer than event \"\(record.event)\", which lasts \(Self.format(eventHours)) h")
        }
        if let supersedes = record.supersedes {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM participation WHERE record = ?", arguments: [supersedes.rawValue]) != nil else {
                throw Rejection("unknown-record", "body.supersedes: no participation record \(supersedes) to correct")
            }
            if let later = try String.fetchOne(db, sql: "SELECT record FROM participation WHERE supersedes = ?", arguments: [supersedes.rawValue]) {
                throw Rejection(.invalidField, "body.supersedes: record \(supersedes) was already corrected by \(later); correct \(later) instead")
            }
        }
        try db.cachedStatement(sql: """
            INSERT INTO participation (record, person, event, role, hours, ledger, status, start, "end", team,
                                       producer, at, recorded_at, supersedes, corrected_by, correction_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).executeDirect {
                $0.bind(item.id.rawValue)
                $0.bind(record.person)
                $0.bind(record.event)
                $0.bind(record.role)
                $0.bind(record.hours)
                $0.bind(record.ledger.rawValue)
                $0.bind(record.status)
                $0.bind(record.start?.unixMilliseconds)
                $0.bind(record.end?.unixMilliseconds)
                $0.bind(record.team)
                $0.bind(producer.rawValue)
                $0.bind(item.at.unixMilliseconds)
                $0.bind(now.unixMilliseconds)
                $0.bind(record.supersedes?.rawValue)
                $0.bind(record.correction?.by)
                $0.bind(record.correction?.reason)
            }
    }

    static func format(_ hours: Double) -> String {
        let rounded = (hours * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
