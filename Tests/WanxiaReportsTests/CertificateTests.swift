import Foundation
import Testing
import WanxiaContract
import WanxiaRegistrar
@testable import WanxiaReports

/// Certificates: numbers, fingerprints, issuing, the register, verification after a correction.
@Suite struct CertificateTests {
    @Test func sha256MatchesTheFIPSVectors() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func numbersCarryACheckCharacter() throws {
        let number = CertificateNumber(year: 2024, serial: 17)
        let text = number.description
        #expect(text.hasPrefix("WX-2024-000017-"))
        #expect(try CertificateNumber(parsing: text.lowercased()) == number)
        // Every single-digit typo in the serial is caught.
        for wrong in 0...9 where wrong != 7 {
            let typo = "WX-2024-00001\(wrong)-\(text.last!)"
            #expect(throws: ReportError.self) { try CertificateNumber(parsing: typo) }
        }
        #expect(throws: ReportError.self) { try CertificateNumber(parsing: "WX-2024-17") }
    }

    @Test func issueLogsVerifyNoticesALaterCorrection() throws {
        let fixture = try Fixture()
        let book = fixture.book
        let register = try CertificateRegister(path: book.directory.appendingPathComponent("certificates.sqlite").path)
        let desk = CertificateDesk(registrar: book.store, register: register)
        let half = try Period(parsing: "2023H1")

        // P-0001: V-1 leader 3h, V-2 2h, meeting as mentor 2h; not games, classes, pairs or sponsorship.
        let first = try desk.issue(person: "P-0001", period: half, issuer: "测试县委老干部局", issuedOn: t("2024-01-15T10:00"), now: Fixture.t1)
        #expect(first.entries.map(\.activity) == ["结对帮扶活动", "法律援助进社区（东城）", "法律援助进社区（西城）"])
        #expect(first.totalHours == 7 && first.name == "张三" && first.number.hasPrefix("WX-2024-000001-"))
        let second = try desk.issue(person: "P-0002", period: half, issuer: "测试县委老干部局", issuedOn: t("2024-01-15T10:00"), now: Fixture.t1)
        #expect(second.number.hasPrefix("WX-2024-000002-") && second.totalHours == 3)
        #expect(try register.all().map(\.number) == [first.number, second.number])
        #expect(try desk.verify(CertificateNumber(parsing: first.number)) == .valid(first))
        #expect(try desk.verify(CertificateNumber(year: 2024, serial: 99)) == .unknown)

        try expectGolden("certificate.zh-CN.html", CertificateHTML(language: .zh).render(first))
        try expectGolden("certificate.en.html", CertificateHTML(language: .en).render(first))

        // A leader corrects P-0002's V-1 hours after the certificate was issued.
        book.clock.set(t("2024-02-01T00:00"))
        let old = try #require(second.entries.first { $0.activity == "法律援助进社区（东城）" })
        let fix = try book.apply(.participation(ParticipationRecord(
            person: "P-0002", event: "V-1", role: "volunteer", hours: 2.75, ledger: .backfilled, status: "served", team: "team-law",
            supersedes: try MessageID(validating: old.record), correction: .init(by: "leader-1", reason: "复核"))), producer: "volunteers")
        let result = try desk.verify(CertificateNumber(parsing: second.number))
        #expect(result == .changed(second, hoursNow: 2.75, added: [fix.rawValue], removed: [old.record]))
        #expect(try desk.verify(CertificateNumber(parsing: first.number)) == .valid(first))
    }

    @Test func youngPeopleAndMissingIssuersGetNoCertificate() throws {
        let fixture = try Fixture()
        let register = try CertificateRegister(path: fixture.book.directory.appendingPathComponent("certificates.sqlite").path)
        let desk = CertificateDesk(registrar: fixture.book.store, register: register)
        #expect { try desk.issue(person: "Y-0001", period: nil, issuer: "测试县委老干部局", issuedOn: Fixture.t1) } throws: {
            ($0 as? ReportError)?.code == .notEligible
        }
        #expect { try desk.issue(person: "P-0001", period: nil, issuer: "  ", issuedOn: Fixture.t1) } throws: {
            ($0 as? ReportError)?.code == .invalidArgument
        }
        #expect { try desk.issue(person: "P-9999", period: nil, issuer: "测试县委老干部局", issuedOn: Fixture.t1) } throws: {
            ($0 as? ReportError)?.code == .unknownPerson
        }
        // S-0001 only taught classes: no volunteer service hours.
        #expect { try desk.issue(person: "S-0001", period: nil, issuer: "测试县委老干部局", issuedOn: Fixture.t1) } throws: {
            ($0 as? ReportError)?.code == .noRecords
        }
        #expect(try register.all().isEmpty)
    }
}
