import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery
import WanxiaTesting
@testable import WanxiaMentoring

/// A time in China Standard Time, e.g. `t("2024-03-01T09:00")`.
func t(_ local: String) -> Date {
    // Force-unwrap is fine in tests: a bad literal is a bug in the test.
    try! RFC3339.date(from: local + ":00+08:00")
}

/// A day in China Standard Time as year, month, day.
func day(_ text: String) -> DateComponents { AgeBand.parseDate(text)! }

/// The young people of the tests, with everything that must never leave the identity store.
struct Minor {
    var name: String
    var idNumber: String
    var birth: String
    var school: String
    var guardian: String
    var guardianPhone: String

    var identity: YouthIdentity {
        YouthIdentity(name: name, idNumber: idNumber, birthDate: day(birth), school: school, guardianName: guardian,
                      guardianPhone: guardianPhone)
    }

    /// Every way a leaked identity could be written: names, ID number, school, guardian, phone, birth date formats.
    var secrets: [String] {
        let parts = birth.split(separator: "-").map(String.init)
        let (y, m, d) = (parts[0], parts[1], parts[2])
        let (mm, dd) = (String(Int(m)!), String(Int(d)!))
        return [name, idNumber, school, guardian, guardianPhone,
                birth, "\(y)\(m)\(d)", "\(y)/\(m)/\(d)", "\(y).\(m).\(d)", "\(y)-\(mm)-\(dd)", "\(y)年\(mm)月\(dd)日", "\(y)年\(m)月\(d)日"]
    }
}

let minorA = Minor(name: "林小雨", idNumber: "110105201203154321", birth: "2012-03-15", school: "东城区第五中学",
                   guardian: "林国栋", guardianPhone: "13911112222")
let minorB = Minor(name: "周子航", idNumber: "110105200708206117", birth: "2007-08-20", school: "朝阳职业高中",
                   guardian: "周美兰", guardianPhone: "13933334444")
let minorC = Minor(name: "吴思琪", idNumber: "11010520140602502X", birth: "2014-06-02", school: "西城区实验小学",
                   guardian: "吴建军", guardianPhone: "13955556666")

/// The bytes `text` could take in a payload: UTF-8, and JSON `\u` escapes (lower and upper case).
func encodings(of text: String) -> [Data] {
    let escaped = text.unicodeScalars.map { $0.isASCII ? String($0) : String(format: "\\u%04x", $0.value) }.joined()
    return [Data(text.utf8), Data(escaped.utf8), Data(escaped.uppercased().replacingOccurrences(of: "\\U", with: "\\u").utf8)]
}

/// Which of `secrets` occur in `bytes` (in any of their encodings).
func leaks(of secrets: [String], in bytes: Data) -> [String] {
    secrets.filter { secret in encodings(of: secret).contains { bytes.range(of: $0) != nil } }
}

/// All bytes of every file in `folder` (a SQLite file with its journal or WAL).
func bytesOfFiles(in folder: URL) throws -> Data {
    var all = Data()
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
        var isDirectory: ObjCBool = false
        let path = folder.appendingPathComponent(name).path
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            all.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }
    return all
}

/// A mentoring file and an identity file in a fresh folder, with two mentors and three young people.
final class Desk: Sendable {
    let directory: URL
    let store: MentoringStore
    let identities: IdentityStore
    let office: IdentityOffice
    let ingest: MentoringIngest
    /// Pseudonyms of minorA, minorB, minorC.
    let a: String, b: String, c: String

    init(directory: URL? = nil) throws {
        let directory = try directory ?? TemporaryDirectory.make(prefix: "wanxia-mentoring")
        self.directory = directory
        store = try MentoringStore(path: directory.appendingPathComponent("mentoring.sqlite").path)
        identities = try IdentityStore(path: directory.appendingPathComponent("identity/mentoring-identity.sqlite").path,
                                       access: IdentityAccess(role: .identityOfficer, actor: "S-01"))
        office = IdentityOffice(store: store, identities: identities)
        ingest = MentoringIngest(ledger: store.ledger)
        _ = try store.importMentors(Data("""
            \u{FEFF}编号,姓名,电话
            M-01,张建华,13800000001
            M-02,李秀英,
            """.utf8), file: "mentors.csv")
        a = try office.enrol(minorA.identity, at: t("2024-02-20T10:00"))
        b = try office.enrol(minorB.identity, at: t("2024-02-20T10:00"))
        c = try office.enrol(minorC.identity, at: t("2024-02-20T10:00"))
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Guardian consent for A and C, B's own consent (16), all on 2024-02-25.
    func recordConsents() throws {
        try office.recordConsent(Consent(giver: .guardian, relation: "父亲", guardianName: minorA.guardian, givenOn: t("2024-02-25T10:00"),
                                         how: "书面", document: "GJ-2024-001"), for: a)
        try office.recordConsent(Consent(giver: .themselves, relation: "本人", givenOn: t("2024-02-25T10:00"), how: "书面"), for: b)
        try office.recordConsent(Consent(giver: .guardian, relation: "父亲", guardianName: minorC.guardian, givenOn: t("2024-02-25T10:00"),
                                         how: "书面"), for: c)
    }

    /// Applies one observation as the inbox would, in its own transaction; rethrows its `Rejection`.
    func apply(_ observation: Observation, at: Date, site: TopicID = "phone-m-01") throws {
        let raw = try Item(seq: 1, at: at, body: observation).raw()
        try store.database.write { db in try ingest.apply(raw: raw, from: site, in: db) }
    }

    /// The rejection `body` earns, or nil if accepted.
    func rejection(_ body: () throws -> Void) -> Rejection? {
        do {
            try body()
            return nil
        } catch let rejection as Rejection {
            return rejection
        } catch {
            return Rejection("unexpected", "\(error)")
        }
    }

    /// The record types enqueued for the registrar, in order.
    func outboxTypes() throws -> [String] {
        try store.database.read { db in try String.fetchAll(db, sql: "SELECT type FROM outbox ORDER BY seq") }
    }
}
