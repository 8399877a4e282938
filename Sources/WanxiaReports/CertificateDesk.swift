import Foundation
import GRDB
import WanxiaContract
import WanxiaRegistrar

/// Issues and verifies volunteer-hour certificates from the registrar's book and the register.
///
/// Issuing reads the person's effective records (``WanxiaRegistrar/RegistrarQueries/personHistory(person:period:programme:asOf:)``),
/// keeps the volunteer service ones (see ``Certificate``), and logs the certificate in the
/// ``CertificateRegister`` under a new number. Verifying reads the certificate back, recomputes the
/// records as the book stands now and compares the fingerprints. The issuing organisation is never
/// made up: callers must pass one.
public struct CertificateDesk: Sendable {
    /// What `verify` found.
    public enum Verification: Sendable, Equatable {
        /// The records and hours are exactly those on the certificate.
        case valid(Certificate)
        /// The book has changed since issue (a correction, a late record): hours now, and which records differ.
        case changed(Certificate, hoursNow: Double, added: [String], removed: [String])
        /// No certificate with this number was issued from this register.
        case unknown
    }

    public let registrar: RegistrarStore
    public let register: CertificateRegister
    public let timeZone: TimeZone

    public init(registrar: RegistrarStore, register: CertificateRegister, timeZone: TimeZone = WanxiaJSON.defaultTimeZone) {
        self.registrar = registrar
        self.register = register
        self.timeZone = timeZone
    }

    /// The volunteer service records of `person` in `period` (whole record when nil), as the book
    /// stands at `asOf` (now when nil).
    ///
    /// Throws ``ReportError/Code/unknownPerson`` and ``ReportError/Code/notEligible`` (young people
    /// never receive a certificate).
    public func entries(person: String, period: Period?, asOf: Date? = nil) throws -> (name: String, unit: String?, entries: [Certificate.Entry]) {
        let who: Row?
        do {
            who = try registrar.database.read { db in
                try Row.fetchOne(db, sql: "SELECT kind, name, unit FROM person WHERE id = ?", arguments: [person])
            }
        } catch {
            throw ReportError(.database, "\(registrar.path): the roll could not be read", underlying: error)
        }
        guard let who else {
            throw ReportError(.unknownPerson, "person: \"\(person)\" is not on the registrar's roll")
        }
        guard (who["kind"] as String) != "youth" else {
            throw ReportError(.notEligible, "person: \"\(person)\" is a young person; volunteer-hour certificates are issued to volunteers only")
        }
        let history: PersonHistory
        do {
            history = try registrar.queries.personHistory(person: person, period: period, asOf: asOf)
        } catch {
            throw ReportError(.database, "\(registrar.path): the person's records could not be read", underlying: error as? RegistrarError)
        }
        let entries = history.records.filter { entry in
            guard entry.hours > 0, !RegistrarQueries.nonAttendance.contains(entry.status) else { return false }
            switch entry.programme {
            case .volunteers: return true
            case .mentoring: return entry.role == "mentor" && entry.status == "met"
            default: return false
            }
        }.map { entry in
            Certificate.Entry(record: entry.record.rawValue, date: entry.start ?? Date(timeIntervalSince1970: 0),
                              place: entry.site?.rawValue, activity: entry.title, kind: entry.kind, hours: entry.hours)
        }
        let name: String? = who["name"]
        return (name ?? person, who["unit"], entries)
    }

    /// Issues and logs a certificate of `person`'s volunteer service in `period` (whole record when nil).
    ///
    /// Throws ``ReportError/Code/invalidArgument`` for an empty issuer, ``ReportError/Code/noRecords``
    /// when there are no volunteer service hours, and the errors of ``entries(person:period:asOf:)``.
    public func issue(person: String, period: Period?, issuer: String, issuedOn: Date, now: Date = Date()) throws -> Certificate {
        let issuer = issuer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !issuer.isEmpty else {
            throw ReportError(.invalidArgument, "issuer: the issuing organisation's name is required (--issuer or WANXIA_CERTIFICATE_ISSUER)")
        }
        let found = try entries(person: person, period: period)
        guard !found.entries.isEmpty else {
            throw ReportError(.noRecords, "person: \"\(person)\" has no volunteer service hours\(period.map { " in \($0.canonical)" } ?? "")")
        }
        let total = ReportQueries.round(found.entries.reduce(0) { $0 + $1.hours })
        let certificate = Certificate(
            number: "", person: person, name: found.name, unit: found.unit, period: period?.canonical ?? "all",
            from: period?.from, to: period?.to, entries: found.entries, totalHours: total, issuer: issuer,
            issuedOn: issuedOn, fingerprint: Certificate.fingerprint(found.entries))
        return try register.issue(certificate, timeZone: timeZone, now: now)
    }

    /// Checks certificate `number` against the book as it stands now.
    public func verify(_ number: CertificateNumber) throws -> Verification {
        guard let certificate = try register.certificate(number) else { return .unknown }
        let period = certificate.period == "all" ? nil : try? Period(parsing: certificate.period, timeZone: timeZone)
        let now = try entries(person: certificate.person, period: period).entries
        if Certificate.fingerprint(now) == certificate.fingerprint {
            return .valid(certificate)
        }
        let before = Dictionary(certificate.entries.map { ($0.record, $0.hours) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(now.map { ($0.record, $0.hours) }, uniquingKeysWith: { first, _ in first })
        return .changed(certificate, hoursNow: ReportQueries.round(now.reduce(0) { $0 + $1.hours }),
                        added: after.keys.filter { before[$0] != after[$0] }.sorted(),
                        removed: before.keys.filter { after[$0] != before[$0] }.sorted())
    }
}
