import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery
import WanxiaSpreadsheet

/// The competitions service's SQLite file: people, competitions, registrations, fixtures, results,
/// judges' scores and exhibition works, with the inbox's and outbox's tables, and every operation.
///
/// Opening migrates the file. Operations that derive records (finishing a competition, which also
/// happens by itself when its last match is decided) enqueue them in the file's outbox in the same
/// transaction; the running service sends them and publishes the retained fixtures and standings
/// of competitions marked changed. Safe to use from any task, and from another process while the
/// service runs (SQLite WAL). Refusals of results and scores are `Rejection`s (code and message, as
/// on the bus); bad arguments and states throw ``CompetitionsError``.
public final class CompetitionsStore: Sendable {
    public let path: String
    public let database: DatabasePool
    /// Where records for the registrar go: `wanxia/v1/registrar/records/{producer}`.
    public let recordsTopic: String
    /// Raised after a commit that enqueued records (the service wakes its outbox).
    public let recordsEnqueued = EnqueueSignal()

    public init(path: String, producer: TopicID = "competitions") throws {
        self.path = path
        do {
            database = try DeliveryDatabase.openPool(at: path)
            var migrator = DatabaseMigrator()
            CompetitionsSchema.registerMigrations(in: &migrator)
            try migrator.migrate(database)
        } catch {
            throw CompetitionsError(.database, "\(path): cannot open the competitions file", underlying: error)
        }
        recordsTopic = Topic.records(producer: producer)
    }

    // MARK: People

    /// Adds a person (player or official), or updates the name and unit of a known one.
    public func addPerson(id: String, name: String, unit: String? = nil) throws {
        guard Self.isPlainID(id) else { throw CompetitionsError(.invalidArgument, "person: \"\(id)\" is not an id (letters, digits . _ : -)") }
        guard !name.isEmpty else { throw CompetitionsError(.invalidArgument, "name: must not be empty for \(id)") }
        try write { db in
            try db.execute(sql: """
                INSERT INTO person (id, name, unit) VALUES (?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit = excluded.unit
                """, arguments: [id, name, unit])
        }
    }

    /// Imports people from CSV/TSV: 编号/person and 姓名/name required, 原单位/unit optional.
    /// Returns how many went in and every bad row with its line.
    public func importPeople(_ data: Data, file: String) throws -> (imported: Int, badRows: [(line: Int, problem: String)]) {
        let table: DelimitedText
        do { table = try DelimitedText(data: data) } catch { throw CompetitionsError(.importFailed, "\(file): \(error)") }
        guard let idColumn = table.column(["编号", "person", "id"]), let nameColumn = table.column(["姓名", "name"]) else {
            throw CompetitionsError(.importFailed, "\(file): the first line must name the columns 编号/person and 姓名/name")
        }
        let unitColumn = table.column(["原单位", "单位", "unit"])
        var imported = 0
        var bad: [(line: Int, problem: String)] = []
        try write { db in
            for line in table.lines.dropFirst() {
                let field = line.field
                guard let id = field(idColumn), Self.isPlainID(id) else {
                    bad.append((line.number, "编号/person \"\(field(idColumn) ?? "")\" is missing or not an id")); continue
                }
                guard let name = field(nameColumn) else { bad.append((line.number, "姓名/name is missing for \(id)")); continue }
                try db.execute(sql: """
                    INSERT INTO person (id, name, unit) VALUES (?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit = excluded.unit
                    """, arguments: [id, name, field(unitColumn)])
                imported += 1
            }
        }
        return (imported, bad)
    }

    // MARK: Competitions

    /// Creates a competition in registration, or changes one still in registration.
    public func create(_ competition: Competition) throws {
        try competition.validate()
        try write { db in
            if let existing = try Self.competition(competition.id, in: db), existing.status != .registration {
                throw CompetitionsError(.notAllowed, "\(competition.id): already drawn; its rules are fixed before the first round")
            }
            var definition = competition
            definition.status = .registration
            try Self.save(definition, in: db)
        }
    }

    /// The competition with this id; throws `notFound`.
    public func competition(_ id: String) throws -> Competition {
        try read { db in try Self.require(id, in: db) }
    }

    /// Every competition, by start.
    public func competitions() throws -> [Competition] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT definition FROM competition").map(Self.decode).sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        }
    }

    /// Registers an entrant: the competition must be in registration and not full, the members known,
    /// of the right number, eligible (unit), and not entered already.
    public func register(_ entrant: Entrant, in competitionID: String, at: Date = Date()) throws {
        guard Self.isPlainID(entrant.id) else { throw CompetitionsError(.invalidArgument, "entrant: \"\(entrant.id)\" is not an id (letters, digits . _ : -)") }
        guard !entrant.name.isEmpty else { throw CompetitionsError(.invalidArgument, "name: must not be empty") }
        if let seed = entrant.seed, seed < 1 { throw CompetitionsError(.invalidArgument, "seed: \(seed) must be at least 1") }
        try write { db in
            let competition = try Self.require(competitionID, in: db)
            guard competition.status == .registration else {
                throw CompetitionsError(.notAllowed, "\(competitionID): registration is closed (the draw was made)")
            }
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entrant WHERE competition = ? AND id <> ?",
                                         arguments: [competitionID, entrant.id]) ?? 0
            if let capacity = competition.capacity, count >= capacity {
                throw CompetitionsError(.notAllowed, "\(competitionID): full (\(capacity) entrants)")
            }
            guard (competition.minMembers...competition.maxMembers).contains(entrant.members.count) else {
                throw CompetitionsError(.invalidArgument, "members: a \(competition.entry.rawValue) entry has \(competition.minMembers)-\(competition.maxMembers) members, not \(entrant.members.count)")
            }
            guard Set(entrant.members).count == entrant.members.count else {
                throw CompetitionsError(.invalidArgument, "members: a person is listed twice")
            }
            for person in entrant.members {
                guard let row = try Row.fetchOne(db, sql: "SELECT unit FROM person WHERE id = ?", arguments: [person]) else {
                    throw CompetitionsError(.notFound, "members: \"\(person)\" is not on the roll; add or import the person first")
                }
                let unit: String? = row["unit"]
                if !competition.units.isEmpty, !competition.units.contains(entrant.unit ?? unit ?? "") {
                    throw CompetitionsError(.notAllowed, "members: \(person) (\(entrant.unit ?? unit ?? "no unit")) is not of an eligible unit: \(competition.units.joined(separator: "、"))")
                }
                if let other = try String.fetchOne(db, sql: "SELECT entrant FROM member WHERE competition = ? AND person = ? AND entrant <> ?",
                                                   arguments: [competitionID, person, entrant.id]) {
                    throw CompetitionsError(.notAllowed, "members: \(person) is already entered with \(other)")
                }
            }
            try db.execute(sql: "DELETE FROM member WHERE competition = ? AND entrant = ?", arguments: [competitionID, entrant.id])
            try db.execute(sql: """
                INSERT INTO entrant (competition, id, name, unit, seed, status, registered_at) VALUES (?, ?, ?, ?, ?, 'registered', ?)
                ON CONFLICT (competition, id) DO UPDATE SET name = excluded.name, unit = excluded.unit, seed = excluded.seed,
                    status = 'registered'
                """, arguments: [competitionID, entrant.id, entrant.name, entrant.unit, entrant.seed, at.unixMilliseconds])
            for (position, person) in entrant.members.enumerated() {
                try db.execute(sql: "INSERT INTO member (competition, entrant, person, position) VALUES (?, ?, ?, ?)",
                               arguments: [competitionID, entrant.id, person, position])
            }
            try Self.markDirty(competitionID, in: db)
        }
    }

    /// Appoints a referee, judge or juror (officials seen on results and scores are added by themselves).
    public func appoint(person: String, role: String, in competitionID: String) throws {
        guard ["referee", "judge", "juror"].contains(role) else {
            throw CompetitionsError(.invalidArgument, "role: \"\(role)\" must be referee, judge or juror")
        }
        try write { db in
            _ = try Self.require(competitionID, in: db)
            guard try Self.personExists(person, in: db) else {
                throw CompetitionsError(.notFound, "person: \"\(person)\" is not on the roll; add or import the person first")
            }
            try db.execute(sql: "INSERT OR IGNORE INTO official (competition, person, role) VALUES (?, ?, ?)",
                           arguments: [competitionID, person, role])
        }
    }

    /// Every entrant of the competition, by pairing number (after the draw) or registration.
    public func entrants(of competitionID: String) throws -> [Entrant] {
        try read { db in
            _ = try Self.require(competitionID, in: db)
            return try Self.entrants(competitionID, in: db)
        }
    }

    /// Every fixture of the competition, by round and board.
    public func fixtures(of competitionID: String) throws -> [Fixture] {
        try read { db in
            _ = try Self.require(competitionID, in: db)
            return try Self.fixtures(competitionID, in: db)
        }
    }

    /// The officials of the competition: (person, role).
    public func officials(of competitionID: String) throws -> [(person: String, role: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT person, role FROM official WHERE competition = ? ORDER BY role, person",
                             arguments: [competitionID]).map { ($0["person"], $0["role"]) }
        }
    }

    /// The names of people, by id.
    public func names() throws -> [String: String] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, name FROM person").map { ($0["id"], $0["name"]) })
        }
    }

    // MARK: Helpers shared by the extensions

    static func isPlainID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, (1...128).contains(text.utf8.count) else { return false }
        func allowed(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) }
        return allowed(first) && text.unicodeScalars.allSatisfy { allowed($0) || ".-_:".unicodeScalars.contains($0) }
    }

    static func decode(_ json: String) throws -> Competition {
        try WanxiaJSON.decode(Competition.self, from: Data(json.utf8))
    }

    static func save(_ competition: Competition, in db: Database) throws {
        let json = String(decoding: try WanxiaJSON.encode(competition), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO competition (id, definition, status, state_dirty) VALUES (?, ?, ?, 1)
            ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, status = excluded.status, state_dirty = 1
            """, arguments: [competition.id, json, competition.status.rawValue])
    }

    static func competition(_ id: String, in db: Database) throws -> Competition? {
        try String.fetchOne(db, sql: "SELECT definition FROM competition WHERE id = ?", arguments: [id]).map(decode)
    }

    static func require(_ id: String, in db: Database) throws -> Competition {
        guard let competition = try competition(id, in: db) else {
            throw CompetitionsError(.notFound, "competition: \"\(id)\" is not a competition; create it first")
        }
        return competition
    }

    static func personExists(_ id: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM person WHERE id = ?", arguments: [id]) ?? false
    }

    static func markDirty(_ id: String, in db: Database) throws {
        try db.execute(sql: "UPDATE competition SET state_dirty = 1 WHERE id = ?", arguments: [id])
    }

    static func entrants(_ competition: String, in db: Database) throws -> [Entrant] {
        let members = Dictionary(grouping: try Row.fetchAll(db, sql: "SELECT entrant, person FROM member WHERE competition = ? ORDER BY position",
                                                            arguments: [competition]),
                                 by: { $0["entrant"] as String }).mapValues { $0.map { $0["person"] as String } }
        return try Row.fetchAll(db, sql: """
            SELECT * FROM entrant WHERE competition = ? ORDER BY number IS NULL, number, registered_at, id
            """, arguments: [competition]).map { row in
            Entrant(id: row["id"], name: row["name"], unit: row["unit"], seed: row["seed"], number: row["number"],
                    status: Entrant.Status(rawValue: row["status"]) ?? .registered, members: members[row["id"] as String] ?? [])
        }
    }

    static func fixtures(_ competition: String, in db: Database) throws -> [Fixture] {
        try Row.fetchAll(db, sql: "SELECT * FROM fixture WHERE competition = ? ORDER BY round, board", arguments: [competition])
            .map(fixture(row:))
    }

    static func fixture(row: Row) -> Fixture {
        Fixture(id: row["id"], round: row["round"], board: row["board"], home: row["home"], away: row["away"],
                homeFrom: row["home_from"], awayFrom: row["away_from"],
                status: Fixture.Status(rawValue: row["status"]) ?? .scheduled, homeScore: row["home_score"], awayScore: row["away_score"],
                outcome: (row["outcome"] as String?).flatMap(GameResult.Outcome.init(rawValue:)),
                referee: row["referee"], confirmedBy: row["confirmed_by"], result: row["result"])
    }

    static func save(_ fixture: Fixture, of competition: String, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO fixture (competition, id, round, board, home, away, home_from, away_from, status, home_score, away_score,
                                 outcome, referee, confirmed_by, result)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (competition, id) DO UPDATE SET home = excluded.home, away = excluded.away, status = excluded.status,
                home_score = excluded.home_score, away_score = excluded.away_score, outcome = excluded.outcome,
                referee = excluded.referee, confirmed_by = excluded.confirmed_by, result = excluded.result
            """, arguments: [competition, fixture.id, fixture.round, fixture.board, fixture.home, fixture.away, fixture.homeFrom,
                             fixture.awayFrom, fixture.status.rawValue, fixture.homeScore, fixture.awayScore, fixture.outcome?.rawValue,
                             fixture.referee, fixture.confirmedBy, fixture.result])
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as Rejection {
            throw error
        } catch let error as CompetitionsError {
            throw error
        } catch {
            throw CompetitionsError(.database, "\(path): the change could not be stored", underlying: error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as CompetitionsError {
            throw error
        } catch {
            throw CompetitionsError(.database, "\(path): could not be read", underlying: error)
        }
    }
}
