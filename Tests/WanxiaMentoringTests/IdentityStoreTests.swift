import Foundation
import Testing
import WanxiaContract
import WanxiaDelivery
@testable import WanxiaMentoring

@Suite("The identity store: role, file mode, access log, deletion that really deletes")
struct IdentityStoreTests {
    @Test("without the identity-officer role the store does not open")
    func role() throws {
        let desk = try Desk()
        defer { desk.remove() }
        let error = try #require(throws: MentoringError.self) {
            _ = try IdentityStore(path: desk.identities.path, access: IdentityAccess(role: .init(rawValue: "staff"), actor: "S-02"))
        }
        #expect(error.code == .accessDenied && error.message.contains("identity-officer"))
    }

    @Test("the identity file is mode 0600, apart from the operational file, which holds no identity")
    func separation() throws {
        let desk = try Desk()
        defer { desk.remove() }
        let mode = try FileManager.default.attributesOfItem(atPath: desk.identities.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let identityBytes = try bytesOfFiles(in: URL(fileURLWithPath: desk.identities.path).deletingLastPathComponent())
        #expect(leaks(of: minorA.secrets, in: identityBytes).contains(minorA.name))   // the check can see a name where there is one
        try desk.recordConsents()
        let operational = try bytesOfFiles(in: desk.directory)   // mentoring.sqlite (+ -wal, -shm), not the identity folder
        for minor in [minorA, minorB, minorC] {
            #expect(leaks(of: minor.secrets, in: operational).isEmpty)
        }
        #expect(try desk.store.youth(desk.a)?.ageBand == "11-13")
        #expect(try desk.store.youth(desk.b)?.ageBand == "14-17")
        #expect(try desk.store.youth(desk.b)?.consentBy == "self")
        #expect(desk.a.hasPrefix("Y-") && desk.a.count == 22 && desk.a != desk.b)
    }

    @Test("an ID number is enrolled once; a birth date contradicting it is refused")
    func duplicates() throws {
        let desk = try Desk()
        defer { desk.remove() }
        let again = try #require(throws: MentoringError.self) { _ = try desk.office.enrol(minorA.identity) }
        #expect(again.message.contains(desk.a) && !again.message.contains(minorA.name))
        var wrong = minorB.identity
        wrong.idNumber = "110105200801016110"
        #expect(throws: MentoringError.self) { _ = try desk.office.enrol(wrong) }
        let report = try desk.office.importYouth(Data("""
            姓名,身份证号,学校,监护人
            黄一,110105201001011234,一中,黄父
            黄二,110105201001011234,一中,黄父
            ,,,
            黄三,bad,一中,黄父
            """.utf8), file: "youth.csv")
        #expect(report.imported == 1 && report.badRows.map(\.line) == [3, 5])
        #expect(!report.text.contains("黄二") && !report.text.contains("黄三"))
    }

    @Test("deletion on request: no byte of the identity is left in the file, the pseudonym stays valid, every access is logged")
    func deletion() throws {
        let desk = try Desk()
        defer { desk.remove() }
        try desk.recordConsents()
        let folder = URL(fileURLWithPath: desk.identities.path).deletingLastPathComponent()
        #expect(Set(leaks(of: minorA.secrets, in: try bytesOfFiles(in: folder))).isSuperset(of: [minorA.name, minorA.idNumber, minorA.school, minorA.guardian]))
        try desk.store.propose(id: "pair-a", mentor: "M-01", youth: desk.a, kind: .sponsorship, actor: "S-01", reason: "x", at: t("2024-03-01T09:00"))
        try desk.office.activate(pair: "pair-a", actor: "S-01", reason: "x", at: t("2024-03-02T09:00"))

        try desk.office.delete(desk.a, at: t("2024-05-01T09:00"))

        let after = try bytesOfFiles(in: folder)
        #expect(leaks(of: minorA.secrets, in: after).isEmpty)
        #expect(leaks(of: minorB.secrets, in: after).contains(minorB.name))   // the others are still there
        #expect(try desk.identities.identity(desk.a) == nil)
        #expect(try desk.identities.identity(desk.b)?.name == minorB.name)
        // The pseudonym and its pair stay; it cannot be paired again.
        #expect(try desk.store.youth(desk.a)?.identityDeletedAt == t("2024-05-01T09:00"))
        #expect(try desk.store.pair("pair-a")?.state == .active)
        #expect(desk.rejection {
            try desk.store.propose(mentor: "M-02", youth: desk.a, kind: .other, actor: "S-01", reason: "x", at: t("2024-05-02T09:00"))
        }?.message.contains("deleted on request") == true)
        let log = try desk.identities.accessLog()
        #expect(log.contains { $0.action == "delete" && $0.pseudonym == desk.a && $0.actor == "S-01" && $0.role == "identity-officer" })
        #expect(log.filter { $0.action == "enrol" }.count == 3)
        #expect(log.last?.action == "access-log")
    }
}
