import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The restricted store of young people's real identities (`mentoring-identity.sqlite`): names,
/// ID numbers, birth dates, schools, guardians, consent details, and an access log.
///
/// A separate file from the service's operational one, created with mode 0600, so backups and the
/// running service never need it. Opening it requires ``IdentityAccess/Role/identityOfficer``;
/// every operation writes a row to `access_log` (who, when, what, which pseudonym, never a name).
/// Deletion on request really deletes: `secure_delete` zeroes freed pages, the file uses a rollback
/// journal (no WAL keeping old pages), and `VACUUM` rebuilds it afterwards. Not for concurrent
/// use by several processes beyond SQLite's own locking (one officer at a time is expected).
public final class IdentityStore: Sendable {
    public let path: String
    public let access: IdentityAccess
    let database: DatabaseQueue

    /// Opens (creating with mode 0600) the identity file; throws ``MentoringError/Code/accessDenied``
    /// unless `access.role` is the identity officer.
    public init(path: String, access: IdentityAccess) throws {
        guard access.role == .identityOfficer else {
            throw MentoringError(.accessDenied, "the identity store of young people is open only to the role \(IdentityAccess.Role.identityOfficer) (given: \(access.role)); ask the bureau's identity officer")
        }
        guard MentoringStore.isPlainID(access.actor) else {
            throw MentoringError(.invalidArgument, "actor: \"\(access.actor)\" is not a person id; the access log needs who you are")
        }
        self.path = path
        self.access = access
        do {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA foreign_keys = ON")
                try db.execute(sql: "PRAGMA secure_delete = ON")
            }
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            var migrator = DatabaseMigrator()
            Self.registerMigrations(in: &migrator)
            try migrator.migrate(database)
        } catch {
            throw MentoringError(.database, "\(path): cannot open the identity store", underlying: error)
        }
    }

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("identity-v1") { db in
            try db.execute(sql: """
                CREATE TABLE youth_identity (
                    pseudonym TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    id_number TEXT UNIQUE,
                    birth_date TEXT,
                    school TEXT,
                    guardian_name TEXT,
                    guardian_phone TEXT,
                    enrolled_at INTEGER NOT NULL
                );
                CREATE TABLE consent (
                    pseudonym TEXT PRIMARY KEY REFERENCES youth_identity(pseudonym) ON DELETE CASCADE,
                    giver TEXT NOT NULL,
                    relation TEXT NOT NULL,
                    guardian_name TEXT,
                    given_on INTEGER NOT NULL,
                    how TEXT NOT NULL,
                    document TEXT,
                    recorded_at INTEGER NOT NULL,
                    recorded_by TEXT NOT NULL
                );
                CREATE TABLE access_log (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    role TEXT NOT NULL,
                    action TEXT NOT NULL,
                    pseudonym TEXT
                );
                """)
        }
    }

    /// One line of the access log.
    public struct AccessEntry: Sendable, Equatable {
        public var at: Date
        public var actor: String
        public var role: String
        public var action: String
        public var pseudonym: String?
    }

    // MARK: Operations

    /// Files `identity` under a fresh random pseudonym and returns it. Refuses an ID number
    /// already on file (naming the existing pseudonym) and a birth date that contradicts it.
    public func enrol(_ identity: YouthIdentity, at: Date = Date()) throws -> String {
        let name = identity.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw MentoringError(.invalidArgument, "name: must not be empty") }
        let number = identity.idNumber?.trimmingCharacters(in: .whitespaces).uppercased()
        var birth = identity.birthDate
        if let number, !number.isEmpty {
            guard let fromNumber = YouthIdentity.birthDate(fromIDNumber: number) else {
                throw MentoringError(.invalidArgument, "idNumber: not an 18-character resident ID number")
            }
            if let given = birth, AgeBand.format(given) != AgeBand.format(fromNumber) {
                throw MentoringError(.invalidArgument, "birthDate: differs from the date in the ID number")
            }
            birth = fromNumber
        }
        let pseudonym = identity.pseudonym ?? Pseudonym.youth()
        try write(action: "enrol", pseudonym: pseudonym) { db in
            if let number, !number.isEmpty,
               let existing = try String.fetchOne(db, sql: "SELECT pseudonym FROM youth_identity WHERE id_number = ?", arguments: [number]) {
                throw MentoringError(.invalidArgument, "idNumber: already enrolled as \(existing)")
            }
            try db.execute(sql: """
                INSERT INTO youth_identity (pseudonym, name, id_number, birth_date, school, guardian_name, guardian_phone, enrolled_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [pseudonym, name, number.flatMap { $0.isEmpty ? nil : $0 }, birth.map(AgeBand.format),
                                 identity.school, identity.guardianName, identity.guardianPhone, at.unixMilliseconds])
        }
        return pseudonym
    }

    /// The identity filed under `pseudonym`, or nil (deleted, or never enrolled).
    public func identity(_ pseudonym: String) throws -> YouthIdentity? {
        try write(action: "read", pseudonym: pseudonym) { db in
            try Row.fetchOne(db, sql: "SELECT * FROM youth_identity WHERE pseudonym = ?", arguments: [pseudonym]).map(Self.identity(row:))
        }
    }

    /// Every identity on file, by pseudonym.
    public func identities() throws -> [YouthIdentity] {
        try write(action: "list", pseudonym: nil) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM youth_identity ORDER BY pseudonym").map(Self.identity(row:))
        }
    }

    /// The young person's age in full years on `date`, or nil if the birth date is unknown.
    public func age(of pseudonym: String, on date: Date) throws -> Int? {
        try write(action: "age", pseudonym: pseudonym) { db in
            try String.fetchOne(db, sql: "SELECT birth_date FROM youth_identity WHERE pseudonym = ?", arguments: [pseudonym])
                .flatMap(AgeBand.parseDate).flatMap { AgeBand.age(birthDate: $0, on: date) }
        }
    }

    /// Records (or replaces) the consent for `pseudonym`. A young person's own consent is refused
    /// under 14 or when the birth date is unknown; a guardian's needs the relation.
    public func recordConsent(_ consent: Consent, for pseudonym: String, at: Date = Date()) throws {
        guard !consent.relation.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw MentoringError(.invalidArgument, "relation: say who gave the consent (父亲, 母亲, 本人...)")
        }
        guard !consent.how.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw MentoringError(.invalidArgument, "how: say how the consent was given (书面, 电子, 口头)")
        }
        try write(action: "consent", pseudonym: pseudonym) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT birth_date FROM youth_identity WHERE pseudonym = ?", arguments: [pseudonym])
            else { throw MentoringError(.notFound, "pseudonym: \(pseudonym) has no identity on file") }
            let birth: String? = row["birth_date"]
            if consent.giver == .themselves {
                guard let age = birth.flatMap(AgeBand.parseDate).flatMap({ AgeBand.age(birthDate: $0, on: consent.givenOn) }), age >= 14 else {
                    throw MentoringError(.invalidArgument, "giver: \(pseudonym) is under 14 (or the birth date is unknown) on that day; a guardian must consent")
                }
            }
            try db.execute(sql: """
                INSERT OR REPLACE INTO consent (pseudonym, giver, relation, guardian_name, given_on, how, document, recorded_at, recorded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [pseudonym, consent.giver.rawValue, consent.relation, consent.guardianName,
                                 consent.givenOn.unixMilliseconds, consent.how, consent.document, at.unixMilliseconds, access.actor])
        }
    }

    /// Deletes the identity and consent details of `pseudonym` for good, then rebuilds the file so
    /// no byte of them is left. Returns false if nothing was on file.
    @discardableResult
    public func delete(_ pseudonym: String) throws -> Bool {
        let deleted = try write(action: "delete", pseudonym: pseudonym) { db in
            try db.execute(sql: "DELETE FROM consent WHERE pseudonym = ?", arguments: [pseudonym])
            try db.execute(sql: "DELETE FROM youth_identity WHERE pseudonym = ?", arguments: [pseudonym])
            return db.changesCount > 0
        }
        do {
            try database.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        } catch {
            throw MentoringError(.database, "\(path): deleted, but VACUUM failed; run it again before relying on the deletion", underlying: error)
        }
        return deleted
    }

    /// The access log, oldest first (reading it is logged too).
    public func accessLog() throws -> [AccessEntry] {
        try write(action: "access-log", pseudonym: nil) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM access_log ORDER BY id").map {
                AccessEntry(at: Date(unixMilliseconds: $0["at"]), actor: $0["actor"], role: $0["role"], action: $0["action"],
                            pseudonym: $0["pseudonym"])
            }
        }
    }

    // MARK: Helpers

    private static func identity(row: Row) -> YouthIdentity {
        YouthIdentity(pseudonym: row["pseudonym"], name: row["name"], idNumber: row["id_number"],
                      birthDate: (row["birth_date"] as String?).flatMap(AgeBand.parseDate), school: row["school"],
                      guardianName: row["guardian_name"], guardianPhone: row["guardian_phone"])
    }

    /// Runs `body` in a transaction that also logs the access.
    private func write<T>(action: String, pseudonym: String?, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write { db in
                try db.execute(sql: "INSERT INTO access_log (at, actor, role, action, pseudonym) VALUES (?, ?, ?, ?, ?)",
                               arguments: [Date().unixMilliseconds, access.actor, access.role.rawValue, action, pseudonym])
                return try body(db)
            }
        } catch let error as MentoringError {
            throw error
        } catch {
            throw MentoringError(.database, "\(path): the identity store failed (\(action))", underlying: error)
        }
    }
}
