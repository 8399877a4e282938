import Foundation
import WanxiaSpreadsheet
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The volunteers service's SQLite file: the talent pool, teams, activities, scans and the records
/// sent, with the inbox's and outbox's tables, and the admin operations on them.
///
/// Opening migrates the file. Operations that derive records (close, confirm, correct, back-fill,
/// changing an activity whose event was sent) enqueue them in the file's outbox in the same
/// transaction; the running service sends them. Safe to use from any task, and from another
/// process while the service runs (SQLite WAL; writers wait up to 10 s for each other). Rule
/// refusals are `Rejection`s (code and message, as on the bus); bad arguments and imports throw
/// ``VolunteersError``.
public final class VolunteersStore: Sendable {
    public let path: String
    public let database: DatabasePool
    public let ledger: HoursLedger

    public init(path: String, policy: HourPolicy = HourPolicy(), producer: TopicID = "volunteers") throws {
        self.path = path
        do {
            database = try DeliveryDatabase.openPool(at: path)
            var migrator = DatabaseMigrator()
            VolunteersSchema.registerMigrations(in: &migrator)
            try migrator.migrate(database)
        } catch {
            throw VolunteersError(.database, "\(path): cannot open the volunteers file", underlying: error)
        }
        ledger = HoursLedger(policy: policy, recordsTopic: Topic.records(producer: producer))
    }

    // MARK: Pool and teams

    private static func table(_ data: Data) throws -> DelimitedText {
        do {
            return try DelimitedText(data: data)
        } catch {
            throw VolunteersError(.importFailed, error.message)
        }
    }

    /// Imports volunteers from CSV/TSV: 编号/person, 姓名/name required; 卡号/card, 特长/specialities
    /// (separated by 、 ; or /), 电话/phone optional. Known people are updated. Good rows go in together.
    public func importVolunteers(_ data: Data, file: String) throws -> ImportReport {
        let table = try Self.table(data)
        guard let personColumn = table.column(["编号", "person", "id"]), let nameColumn = table.column(["姓名", "name"]) else {
            throw VolunteersError(.importFailed, "\(file): the first line must name the columns 编号/person and 姓名/name")
        }
        let cardColumn = table.column(["卡号", "card"])
        let specialityColumn = table.column(["特长", "specialities", "speciality"])
        let phoneColumn = table.column(["电话", "phone"])
        var report = ImportReport(file: file, imported: 0, badRows: [])
        try write { db in
            var cards: [String: Int] = [:]
            for line in table.lines.dropFirst() {
                let field = line.field
                func bad(_ problem: String) { report.badRows.append(.init(line: line.number, problem: problem)) }
                guard let person = field(personColumn), Self.isPlainID(person) else {
                    bad("编号/person \"\(field(personColumn) ?? "")\" is missing or not an id (letters, digits . _ : -)")
                    continue
                }
                guard let name = field(nameColumn) else { bad("姓名/name is missing for \(person)"); continue }
                let card = field(cardColumn)
                if let card, !Self.isPlainID(card) { bad("卡号/card \"\(card)\" is not an id (letters, digits . _ : -)"); continue }
                if let card, let first = cards[card] { bad("卡号/card \(card) is also on line \(first)"); continue }
                if let card, let holder = try String.fetchOne(db, sql: "SELECT person FROM volunteer WHERE card = ? AND person <> ?",
                                                               arguments: [card, person]) {
                    bad("卡号/card \(card) already belongs to \(holder)")
                    continue
                }
                if let card { cards[card] = line.number }
                let specialities = (field(specialityColumn) ?? "")
                    .split(whereSeparator: { "、;；/".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
                    .joined(separator: "、")
                try db.execute(sql: """
                    INSERT INTO volunteer (person, name, card, specialities, phone) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (person) DO UPDATE SET name = excluded.name, card = excluded.card,
                        specialities = excluded.specialities, phone = excluded.phone
                    """, arguments: [person, name, card, specialities, field(phoneColumn)])
                report.imported += 1
            }
            try db.execute(sql: "UPDATE activity SET roster_dirty = 1")
        }
        return report
    }

    /// Imports team membership from CSV/TSV, one member a row: 队伍编号/team, 队伍名称/team_name,
    /// 编号/person, 角色/role (队长/leader or 队员/member, default member). People must be in the pool.
    public func importTeams(_ data: Data, file: String) throws -> ImportReport {
        let table = try Self.table(data)
        guard let teamColumn = table.column(["队伍编号", "team"]), let personColumn = table.column(["编号", "person"]) else {
            throw VolunteersError(.importFailed, "\(file): the first line must name the columns 队伍编号/team and 编号/person")
        }
        let nameColumn = table.column(["队伍名称", "team_name", "name"])
        let roleColumn = table.column(["角色", "role"])
        var report = ImportReport(file: file, imported: 0, badRows: [])
        try write { db in
            for line in table.lines.dropFirst() {
                let field = line.field
                func bad(_ problem: String) { report.badRows.append(.init(line: line.number, problem: problem)) }
                guard let team = field(teamColumn), Self.isPlainID(team) else {
                    bad("队伍编号/team \"\(field(teamColumn) ?? "")\" is missing or not an id"); continue
                }
                guard let person = field(personColumn) else { bad("编号/person is missing"); continue }
                guard try Volunteer.find(person: person, in: db) != nil else {
                    bad("编号/person \(person) is not in the talent pool; import the volunteers first"); continue
                }
                let leader: Bool
                switch (field(roleColumn) ?? "队员").lowercased() {
                case "队长", "leader", "领队", "负责人": leader = true
                case "队员", "member", "志愿者", "volunteer": leader = false
                case let other: bad("角色/role \"\(other)\" is not 队长/leader or 队员/member"); continue
                }
                let existing = try String.fetchOne(db, sql: "SELECT name FROM team WHERE id = ?", arguments: [team])
                guard let name = field(nameColumn) ?? existing else { bad("队伍名称/team_name is missing for new team \(team)"); continue }
                try db.execute(sql: "INSERT INTO team (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                               arguments: [team, name])
                try db.execute(sql: """
                    INSERT INTO team_member (team, person, leader) VALUES (?, ?, ?)
                    ON CONFLICT (team, person) DO UPDATE SET leader = excluded.leader
                    """, arguments: [team, person, leader])
                try db.execute(sql: "UPDATE activity SET roster_dirty = 1 WHERE team = ?", arguments: [team])
                report.imported += 1
            }
        }
        return report
    }

    /// Every volunteer, by person id.
    public func volunteers() throws -> [Volunteer] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM volunteer ORDER BY person").map(Volunteer.init(row:)) }
    }

    /// Every team with its leaders and members.
    public func teams() throws -> [Team] {
        try read { db in try Team.all(in: db) }
    }

    // MARK: Activities

    /// Plans an activity, or changes one with the same id: its roster is republished, and if its
    /// `event` record already went out, a new version is enqueued.
    @discardableResult
    public func plan(_ activity: Activity) throws -> Activity {
        guard Self.isPlainID(activity.id) else { throw VolunteersError(.invalidArgument, "id: \"\(activity.id)\" is not an id (letters, digits . _ : -)") }
        guard activity.end > activity.start else { throw VolunteersError(.invalidArgument, "end: must be after the start") }
        guard !activity.title.isEmpty, !activity.kind.isEmpty else { throw VolunteersError(.invalidArgument, "title and kind must not be empty") }
        try write { db in
            guard let team = try Team.find(activity.team, in: db) else {
                throw VolunteersError(.notFound, "team: \"\(activity.team)\" is not a team; import it first")
            }
            let wasSent = try Bool.fetchOne(db, sql: "SELECT event_sent FROM activity WHERE id = ?", arguments: [activity.id]) ?? false
            try db.execute(sql: """
                INSERT INTO activity (id, team, kind, title, site, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET team = excluded.team, kind = excluded.kind, title = excluded.title,
                    site = excluded.site, start = excluded.start, "end" = excluded."end", roster_dirty = 1, event_sent = 0
                """, arguments: [activity.id, activity.team, activity.kind, activity.title, activity.site.rawValue,
                                 activity.start.unixMilliseconds, activity.end.unixMilliseconds])
            if wasSent {
                // The upsert above marked the changed version unsent; it goes out now.
                try HoursLedger.sendEvent(activity, teamName: team.name, to: ledger.recordsTopic, at: Date(), in: db)
            }
        }
        return activity
    }

    /// Every activity, by start.
    public func activities() throws -> [Activity] {
        try read { db in try Activity.all(in: db) }
    }

    /// The activity with this id, or nil.
    public func activity(_ id: String) throws -> Activity? {
        try read { db in try Activity.find(id, in: db) }
    }

    // MARK: Hours

    /// Closes the activity's forgotten check-outs (see ``HoursLedger/close(activity:now:in:)``).
    @discardableResult
    public func close(activity: String, now: Date = Date()) throws -> [MessageID] {
        try write { db in try ledger.close(activity: activity, now: now, in: db) }
    }

    /// Closes every activity that ended `grace` seconds before `now`.
    @discardableResult
    public func sweep(now: Date = Date(), grace: TimeInterval) throws -> [MessageID] {
        try write { db in try ledger.sweep(now: now, grace: grace, in: db) }
    }

    /// A leader confirms the activity's hours.
    public func confirm(activity: String, leader: String, at: Date = Date()) throws {
        try write { db in try ledger.confirm(activity: activity, leader: leader, at: at, in: db) }
    }

    /// A leader corrects one person's hours.
    @discardableResult
    public func correct(activity: String, person: String, hours: Double, leader: String, reason: String, at: Date = Date()) throws -> [MessageID] {
        try write { db in
            try ledger.correct(activity: activity, leader: leader,
                               corrections: [.init(person: person, hours: hours, reason: reason)], at: at, in: db)
        }
    }

    /// A leader adds hours afterwards (back-filled ledger).
    @discardableResult
    public func backfill(activity: String, person: String, hours: Double, by leader: String, reason: String, at: Date = Date()) throws -> MessageID {
        try write { db in try ledger.backfill(activity: activity, person: person, hours: hours, by: leader, reason: reason, at: at, in: db) }
    }

    /// Every record the service sent for the activity.
    public func hours(activity: String) throws -> [HoursLedger.Line] {
        try read { db in try ledger.hours(activity: activity, in: db) }
    }

    // MARK: Rosters

    /// Takes the rosters to publish: for each site with a changed activity (every site if `all`),
    /// its activities ending after `now - horizon` and the members with a card of their teams.
    /// The sites are marked published; call ``markRosterDirty(site:)`` if publishing fails.
    public func takeRosters(now: Date, horizon: TimeInterval, all: Bool = false) throws -> [Roster] {
        try write { db in
            let sites = try String.fetchAll(db, sql: "SELECT DISTINCT site FROM activity WHERE ? OR roster_dirty = 1 ORDER BY site",
                                            arguments: [all])
            var rosters: [Roster] = []
            for site in sites {
                let activities = try Row.fetchAll(db, sql: """
                    SELECT * FROM activity WHERE site = ? AND "end" >= ? ORDER BY start, id
                    """, arguments: [site, now.addingTimeInterval(-horizon).unixMilliseconds]).map(Activity.init(row:))
                var people: [String: Roster.Person] = [:]
                for activity in activities {
                    let members = try Row.fetchAll(db, sql: """
                        SELECT v.* FROM team_member m JOIN volunteer v ON v.person = m.person
                        WHERE m.team = ? AND v.card IS NOT NULL ORDER BY v.person
                        """, arguments: [activity.team]).map(Volunteer.init(row:))
                    for member in members {
                        people[member.person, default: Roster.Person(card: member.card ?? member.person, person: member.person,
                                                                     displayName: member.maskedName, activities: [])]
                            .activities.append(activity.id)
                    }
                }
                rosters.append(Roster(programme: .volunteers, site: try TopicID(validating: site), updatedAt: now,
                                      activities: activities.map { .init(activity: $0.id, title: $0.title, start: $0.start, end: $0.end) },
                                      people: people.values.sorted { $0.person < $1.person }))
                try db.execute(sql: "UPDATE activity SET roster_dirty = 0 WHERE site = ?", arguments: [site])
            }
            return rosters
        }
    }

    /// Marks a site's roster as still to be published.
    public func markRosterDirty(site: TopicID) throws {
        try write { db in try db.execute(sql: "UPDATE activity SET roster_dirty = 1 WHERE site = ?", arguments: [site.rawValue]) }
    }

    // MARK: Helpers

    /// Whether `text` is a plain id: 1-128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit.
    static func isPlainID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, (1...128).contains(text.utf8.count) else { return false }
        func allowed(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) }
        return allowed(first) && text.unicodeScalars.allSatisfy { allowed($0) || ".-_:".unicodeScalars.contains($0) }
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as Rejection {
            throw error
        } catch let error as VolunteersError {
            throw error
        } catch {
            throw VolunteersError(.database, "\(path): the change could not be stored", underlying: error)
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as Rejection {
            throw error
        } catch {
            throw VolunteersError(.database, "\(path): could not be read", underlying: error)
        }
    }
}
