import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The registrar's SQLite file: the bureau's book of record.
///
/// Opens a `DatabasePool` (WAL: readers never block the writer), sets `synchronous = FULL` on the
/// writer after opening (GRDB turns it down to NORMAL when it enables WAL; FULL makes each commit
/// survive a power cut), and runs the migrations of ``RegistrarSchema`` plus any the configuration
/// adds (the inbox's). A read-only store runs no migrations and refuses a file the registrar did
/// not create. The store is `Sendable`; GRDB serialises writes and runs reads concurrently.
public final class RegistrarStore: Sendable {
    /// How to open the store.
    public struct Configuration: Sendable {
        /// The zone in which periods are computed; China Standard Time unless configured.
        public var timeZone: TimeZone
        /// Open for reading only: no migrations, no writes (`wanxia query --db`, `check`, `stats`).
        public var readOnly: Bool
        /// Registers more migrations after the registrar's own, e.g. the inbox's tables.
        public var additionalMigrations: (@Sendable (inout DatabaseMigrator) -> Void)?

        public init(timeZone: TimeZone = WanxiaJSON.defaultTimeZone, readOnly: Bool = false,
                    additionalMigrations: (@Sendable (inout DatabaseMigrator) -> Void)? = nil) {
            self.timeZone = timeZone
            self.readOnly = readOnly
            self.additionalMigrations = additionalMigrations
        }
    }

    /// The file's path.
    public let path: String
    public let configuration: Configuration
    /// The database; write through ``RegistrarIngest`` (via the inbox) or the store's own methods.
    public let database: DatabasePool

    /// Opens (creating if needed, unless read-only) the store at `path` and brings its schema up
    /// to date.
    ///
    /// Throws ``RegistrarError`` with code ``RegistrarError/Code/notARegistrarDatabase`` for a
    /// missing file in read-only mode, a file that is not a registrar file, or one written by a
    /// newer Wanxia; ``RegistrarError/Code/database`` when SQLite fails.
    public init(path: String, configuration: Configuration = .init()) throws {
        self.path = path
        self.configuration = configuration
        if configuration.readOnly, !FileManager.default.fileExists(atPath: path) {
            throw RegistrarError(.notARegistrarDatabase, "\(path): no such file")
        }
        var options = GRDB.Configuration()
        options.readonly = configuration.readOnly
        options.label = "registrar"
        options.busyMode = .timeout(10)
        options.foreignKeysEnabled = true
        do {
            database = try DatabasePool(path: path, configuration: options)
        } catch {
            throw RegistrarError(.database, "\(path): cannot open the database", underlying: error)
        }

        let migrator = Self.makeMigrator(configuration)
        let known = Set(RegistrarSchema.migrationIdentifiers)
        do {
            let applied: Set<String> = try database.read { db in
                try db.tableExists("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
            }
            let newer = applied.subtracting(known).filter { $0.first == "v" && $0.dropFirst().first?.isNumber == true }
            if !newer.isEmpty {
                throw RegistrarError(.notARegistrarDatabase,
                                     "\(path) was written by a newer Wanxia (schema \(newer.sorted().joined(separator: ", "))); upgrade this program")
            }
            if configuration.readOnly {
                guard applied.contains(RegistrarSchema.migrationIdentifiers[0]) else {
                    throw RegistrarError(.notARegistrarDatabase, "\(path) is not a registrar database (no registrar schema)")
                }
            } else {
                try database.writeWithoutTransaction { db in try DeliveryDatabase.configureWriter(db) }
                try migrator.migrate(database)
            }
        } catch let error as RegistrarError {
            throw error
        } catch {
            throw RegistrarError(.database, "\(path): cannot read or upgrade the schema", underlying: error)
        }
    }

    /// The migrator for `configuration`: the registrar's migrations, then any additional ones.
    static func makeMigrator(_ configuration: Configuration) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        RegistrarSchema.registerMigrations(in: &migrator)
        configuration.additionalMigrations?(&migrator)
        return migrator
    }

    /// Queries over this store, in the configured time zone.
    public var queries: RegistrarQueries {
        RegistrarQueries(reader: database, timeZone: configuration.timeZone)
    }
}
