import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery
import WanxiaSpreadsheet

/// What the identity officer does across the two files: enrol young people (identity in the
/// identity store, pseudonym and age band in the operational file), record consent, activate a
/// pair with the age checked at the activation date, and delete an identity on request.
///
/// Only constructible with an open ``IdentityStore`` (so only with the identity-officer role).
/// The two files are not one transaction: enrolment writes the identity first and removes it again
/// if the operational file refuses the pseudonym.
public struct IdentityOffice: Sendable {
    public let store: MentoringStore
    public let identities: IdentityStore

    public init(store: MentoringStore, identities: IdentityStore) {
        self.store = store
        self.identities = identities
    }

    /// Enrols one young person: returns the new pseudonym. The age band is computed on `at`.
    public func enrol(_ identity: YouthIdentity, at: Date = Date()) throws -> String {
        let pseudonym = try identities.enrol(identity, at: at)
        let band = try identities.age(of: pseudonym, on: at).map(AgeBand.band(of:))
        do {
            try store.enrolYouth(pseudonym: pseudonym, ageBand: band, at: at)
        } catch {
            _ = try? identities.delete(pseudonym)
            throw error
        }
        return pseudonym
    }

    /// Imports young people from CSV/TSV: 姓名/name required; 身份证号/id_number, 出生日期/birth_date,
    /// 学校/school, 监护人/guardian, 监护人电话/guardian_phone optional. Each good row gets a pseudonym
    /// (listed by line in the report); bad rows are listed without repeating names.
    public func importYouth(_ data: Data, file: String, at: Date = Date()) throws -> MentoringImportReport {
        let table: DelimitedText
        do { table = try DelimitedText(data: data) } catch { throw MentoringError(.importFailed, "\(file): \(error.message)") }
        guard let nameColumn = table.column(["姓名", "name"]) else {
            throw MentoringError(.importFailed, "\(file): the first line must name the column 姓名/name")
        }
        let idColumn = table.column(["身份证号", "身份证", "id_number"])
        let birthColumn = table.column(["出生日期", "birth_date"])
        let schoolColumn = table.column(["学校", "school"])
        let guardianColumn = table.column(["监护人", "guardian"])
        let phoneColumn = table.column(["监护人电话", "guardian_phone"])
        var report = MentoringImportReport(file: file, imported: 0, badRows: [])
        for line in table.lines.dropFirst() {
            let field = { (column: Int?) in MentoringStore.field(line, column) }
            guard let name = field(nameColumn) else {
                if line.fields.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    report.badRows.append(.init(line: line.number, problem: "姓名/name is missing"))
                }
                continue
            }
            var birth: DateComponents?
            if let text = field(birthColumn) {
                guard let parsed = AgeBand.parseDate(text) else {
                    report.badRows.append(.init(line: line.number, problem: "出生日期/birth_date is not a date like 2010-03-15"))
                    continue
                }
                birth = parsed
            }
            do {
                let pseudonym = try enrol(YouthIdentity(name: name, idNumber: field(idColumn), birthDate: birth, school: field(schoolColumn),
                                                        guardianName: field(guardianColumn), guardianPhone: field(phoneColumn)), at: at)
                report.imported += 1
                report.pseudonyms.append((line: line.number, pseudonym: pseudonym))
            } catch let error as MentoringError where error.code == .invalidArgument {
                report.badRows.append(.init(line: line.number, problem: error.message))
            }
        }
        return report
    }

    /// Records consent in the identity store and notes it (date, guardian or self) in the operational file.
    public func recordConsent(_ consent: Consent, for pseudonym: String, at: Date = Date()) throws {
        guard try store.youth(pseudonym) != nil else { throw MentoringError(.notFound, "youth: \"\(pseudonym)\" is not enrolled") }
        try identities.recordConsent(consent, for: pseudonym, at: at)
        try store.noteConsent(pseudonym: pseudonym, by: consent.giver.rawValue, at: consent.givenOn)
    }

    /// Activates (or resumes) a pair after checking the young person's age on the activation date:
    /// under 14, or of unknown age, the consent on record must be a guardian's.
    @discardableResult
    public func activate(pair id: String, actor: String, reason: String, at: Date = Date()) throws -> Pair {
        guard let pair = try store.pair(id) else { throw Rejection(.unknownPair, "pair: \"\(id)\" is not a pair") }
        let age = try identities.age(of: pair.youth, on: at)
        if age.map({ $0 < 14 }) ?? true, try store.youth(pair.youth)?.consentBy != "guardian" {
            throw Rejection(.consentMissing, "pair \(id): \(pair.youth) is under 14 (or of unknown age) on \(RFC3339.string(from: at)); a guardian's consent is required")
        }
        return try store.activate(pair: id, actor: actor, reason: reason, at: at)
    }

    /// Deletes the young person's identity on request: the identity and consent details are gone
    /// from the identity file (rebuilt with VACUUM); the pseudonym, its pairs and the registrar's
    /// records stay valid. Open pairs are left to staff to close (the pseudonym can no longer be
    /// paired or activated).
    public func delete(_ pseudonym: String, at: Date = Date()) throws {
        guard try store.youth(pseudonym) != nil else { throw MentoringError(.notFound, "youth: \"\(pseudonym)\" is not enrolled") }
        try identities.delete(pseudonym)
        try store.noteIdentityDeleted(pseudonym: pseudonym, at: at)
    }
}
