import ArgumentParser
import Foundation
import WanxiaContract
import WanxiaRegistrar
import WanxiaReports

/// `wanxia certificate`: volunteer-hour certificates (志愿服务证明).
struct CertificateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate",
        abstract: "Volunteer-hour certificates (志愿服务证明): issue, list, verify.",
        discussion: """
            A certificate lists one volunteer's service records (date, place, activity, hours) and their
            total, from the registrar's book; each is logged in certificates.sqlite beside registrar.sqlite
            with a number (WX-2024-000017-5) and a fingerprint of its records. Young people never receive one.

            Examples:
              wanxia certificate issue P-0001 --period 2023 --issuer "XX县委老干部局" -o 张三.html
              wanxia certificate list
              wanxia certificate verify WX-2024-000017-5
            """,
        subcommands: [Issue.self, List.self, Verify.self])

    /// The register's path: `--register FILE`, else certificates.sqlite beside the registrar file.
    static func registerPath(_ source: ReportCommand.Source, _ register: String?) -> String {
        register ?? URL(fileURLWithPath: source.registrarPath).deletingLastPathComponent().appendingPathComponent("certificates.sqlite").path
    }

    /// `wanxia certificate issue PERSON`.
    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a certificate to one volunteer, log it, and write it as a printable page.",
            discussion: """
                Counts volunteer-team service hours and mentors' hours at youth mentoring meetings.
                The issuing organisation is required: --issuer, or WANXIA_CERTIFICATE_ISSUER.
                Exit codes: 0 issued, 1 not issued (unknown person, a young person, no hours), 64 usage, 3 files.
                """)

        @Argument(help: "The volunteer's id, e.g. P-0001.")
        var person: String

        @Option(help: "Limit to a period, e.g. 2023 or 2023上半年 (default: the whole record).")
        var period: String?

        @Option(help: "The issuing organisation's full name (or set WANXIA_CERTIFICATE_ISSUER).")
        var issuer: String?

        @Option(name: .customLong("issued-on"), help: "The date of issue, e.g. 2024-01-15 (default: today, UTC+8).")
        var issuedOn: String?

        @Option(help: "Language: zh-CN (default) or en.")
        var lang = "zh-CN"

        @Option(name: [.short, .long], help: "Write the printable HTML page to this file (default: standard output).")
        var output: String?

        @Option(help: "The certificate register (default: certificates.sqlite beside the registrar file).")
        var register: String?

        @OptionGroup var source: ReportCommand.Source

        var issuerName: String? {
            (issuer ?? ProcessInfo.processInfo.environment["WANXIA_CERTIFICATE_ISSUER"])
                .map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }

        func validate() throws {
            _ = try CLIQueryOptions.period(period)
            guard ReportLanguage(tag: lang) != nil else { throw ValidationError("--lang: \"\(lang)\" is not zh-CN or en") }
            guard issuerName != nil else {
                throw ValidationError("--issuer: the issuing organisation's name is required (e.g. --issuer \"XX县委老干部局\"), or set WANXIA_CERTIFICATE_ISSUER")
            }
            if let issuedOn, issuedOn.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil || (try? Period(parsing: issuedOn)) == nil {
                throw ValidationError("--issued-on: \"\(issuedOn)\" is not a date like 2024-01-15")
            }
        }

        func run() async throws {
            let store = try source.openRegistrar()
            let day = try issuedOn.map { try Period(parsing: $0).from } ?? Date()
            do {
                let register = try CertificateRegister(path: CertificateCommand.registerPath(source, register))
                let certificate = try CertificateDesk(registrar: store, register: register)
                    .issue(person: person, period: try CLIQueryOptions.period(period), issuer: issuerName ?? "", issuedOn: day)
                let html = CertificateHTML(language: ReportLanguage(tag: lang) ?? .zh).render(certificate)
                if let output {
                    try Data(html.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                    printError("wanxia: issued \(certificate.number): \(certificate.name), \(certificate.totalHours) h, \(certificate.entries.count) records -> \(output)")
                } else {
                    print(html, terminator: "")
                }
            } catch let error as ReportError where error.code == .database {
                printError("wanxia: \(error)")
                throw ExitCode(3)
            } catch let error as ReportError {
                printError("wanxia: \(error.message)")
                throw ExitCode(1)
            }
        }
    }

    /// `wanxia certificate list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the certificates issued (the register).")

        @Option(help: "Only this person's certificates.")
        var person: String?

        @Option(help: "The certificate register (default: certificates.sqlite beside the registrar file).")
        var register: String?

        @OptionGroup var source: ReportCommand.Source

        func run() async throws {
            do {
                let register = try CertificateRegister(path: CertificateCommand.registerPath(source, register), readOnly: true)
                let numbers = ReportNumbers(language: .zh)
                let rows = try register.all(person: person).map {
                    [$0.number, $0.person, $0.name, $0.period, numbers.hours($0.totalHours), numbers.day($0.issuedOn), $0.issuer]
                }
                print(TextTable(headers: ["证明编号", "编号", "姓名", "期间", "时长（小时）", "出具日期", "出具单位"], rows: rows,
                                numericColumns: [4]).text)
            } catch let error as ReportError {
                printError("wanxia: \(error)")
                throw ExitCode(3)
            }
        }
    }

    /// `wanxia certificate verify NUMBER`.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a certificate against the book: valid, records changed since issue, or unknown.",
            discussion: "Exit codes: 0 valid, 1 the records changed since issue, 4 unknown number, 64 usage (malformed number), 3 files.")

        @Argument(help: "The certificate number, e.g. WX-2024-000017-5.")
        var number: String

        @Option(help: "The certificate register (default: certificates.sqlite beside the registrar file).")
        var register: String?

        @OptionGroup var source: ReportCommand.Source

        func validate() throws {
            do {
                _ = try CertificateNumber(parsing: number)
            } catch let error as ReportError {
                throw ValidationError(error.message)
            }
        }

        func run() async throws {
            let number = try CertificateNumber(parsing: number)
            let store = try source.openRegistrar()
            let result: CertificateDesk.Verification
            do {
                let register = try CertificateRegister(path: CertificateCommand.registerPath(source, register), readOnly: true)
                result = try CertificateDesk(registrar: store, register: register).verify(number)
            } catch let error as ReportError {
                printError("wanxia: \(error)")
                throw ExitCode(3)
            }
            switch result {
            case .valid(let certificate):
                print("有效 valid: \(certificate.number) — \(certificate.name) (\(certificate.person)), \(certificate.period), \(certificate.totalHours) 小时, \(certificate.issuer)")
            case .changed(let certificate, let hoursNow, let added, let removed):
                print("""
                    记录已变更 changed since issue: \(certificate.number) — \(certificate.name) (\(certificate.person)), \(certificate.period)
                      on the certificate: \(certificate.totalHours) h; in the book now: \(hoursNow) h
                      records new or changed: \(added.isEmpty ? "none" : added.joined(separator: ", "))
                      records gone or changed: \(removed.isEmpty ? "none" : removed.joined(separator: ", "))
                    """)
                throw ExitCode(1)
            case .unknown:
                print("未知编号 unknown: no certificate \(number) in this register")
                throw ExitCode(4)
            }
        }
    }
}
