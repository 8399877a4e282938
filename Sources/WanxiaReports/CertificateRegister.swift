import Foundation
import GRDB
import WanxiaContract

/// The register of issued certificates: its own SQLite file (`certificates.sqlite` beside the
/// registrar's file), one row per certificate, never edited or deleted.
///
/// Numbers are given out inside the write transaction that stores the certificate (the next serial
/// of the issue year), so two clerks issuing at once never share a number. Migrations are named
/// and only ever appended. Throws ``ReportError`` with code ``ReportError/Code/database`` when the
/// file cannot be opened, read or written. `Sendable`: GRDB serialises access.
public final class CertificateRegister: Sendable {
    /// The file's path.
    public let path: String
    let database: DatabaseQueue

    /// The migrations, oldest first.
    static let migrationIdentifiers = ["v1-certificates"]

    /// Opens (creating unless `readOnly`) the register at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        if readOnly, !FileManager.default.fileExists(atPath: path) {
            throw ReportError(.database, "\(path): no certificate register here (no certificate has been issued from this folder)")
        }
        var options = Configuration()
        options.readonly = readOnly
        options.busyMode = .timeout(10)
        options.label = "certificates"
        do {
            database = try DatabaseQueue(path: path, configuration: options)
            if !readOnly {
                var migrator = DatabaseMigrator()
                migrator.registerMigration(Self.migrationIdentifiers[0]) { db in
                    try db.execute(sql: """
                        CREATE TABLE certificate (
                            number TEXT PRIMARY KEY NOT NULL,
                            year INTEGER NOT NULL,
                            serial INTEGER NOT NULL,
                            person TEXT NOT NULL,
                            period TEXT NOT NULL,
                            total_hours REAL NOT NULL,
                            issuer TEXT NOT NULL,
                            issued_on INTEGER NOT NULL,
                            fingerprint TEXT NOT NULL,
                            document TEXT NOT NULL,
                            recorded_at INTEGER NOT NULL,
                            UNIQUE (year, serial)
                        );
                        CREATE INDEX certificate_by_person ON certificate(person);
                        CREATE TRIGGER certificate_is_append_only_update BEFORE UPDATE ON certificate
                        BEGIN SELECT RAISE(ABORT, 'issued certificates are never edited'); END;
                        CREATE TRIGGER certificate_is_append_only_delete BEFORE DELETE ON certificate
                        BEGIN SELECT RAISE(ABORT, 'issued certificates are never deleted'); END;
                        """)
                }
                try migrator.migrate(database)
            }
        } catch {
            throw ReportError(.database, "\(path): cannot open the certificate register", underlying: error)
        }
    }

    /// Gives `certificate` the next number of its issue year (in `timeZone`) and stores it.
    func issue(_ certificate: Certificate, timeZone: TimeZone, now: Date) throws -> Certificate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let year = calendar.component(.year, from: certificate.issuedOn)
        do {
            return try database.write { db in
                let serial = (try Int.fetchOne(db, sql: "SELECT MAX(serial) FROM certificate WHERE year = ?", arguments: [year]) ?? 0) + 1
                var issued = certificate
                issued.number = CertificateNumber(year: year, serial: serial).description
                let document = String(decoding: try WanxiaJSON.encode(issued, timeZone: timeZone), as: UTF8.self)
                try db.execute(sql: """
                    INSERT INTO certificate (number, year, serial, person, period, total_hours, issuer, issued_on,
                                             fingerprint, document, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [issued.number, year, serial, issued.person, issued.period, issued.totalHours, issued.issuer,
                                     ReportQueries.milliseconds(issued.issuedOn), issued.fingerprint, document,
                                     ReportQueries.milliseconds(now)])
                return issued
            }
        } catch {
            throw ReportError(.database, "\(path): the certificate could not be recorded", underlying: error)
        }
    }

    /// The certificate issued under `number`, or nil.
    public func certificate(_ number: CertificateNumber) throws -> Certificate? {
        do {
            guard let document = try database.read({ db in
                try String.fetchOne(db, sql: "SELECT document FROM certificate WHERE number = ?", arguments: [number.description])
            }) else { return nil }
            return try WanxiaJSON.decode(Certificate.self, from: Data(document.utf8))
        } catch {
            throw ReportError(.database, "\(path): the register could not be read", underlying: error)
        }
    }

    /// Every certificate issued, oldest first (optionally one person's).
    public func all(person: String? = nil) throws -> [Certificate] {
        do {
            return try database.read { db in
                try String.fetchAll(db, sql: "SELECT document FROM certificate WHERE (? IS NULL OR person = ?) ORDER BY year, serial",
                                    arguments: [person, person])
            }.map { try WanxiaJSON.decode(Certificate.self, from: Data($0.utf8)) }
        } catch {
            throw ReportError(.database, "\(path): the register could not be read", underlying: error)
        }
    }
}
