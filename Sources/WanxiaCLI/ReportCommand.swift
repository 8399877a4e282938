import ArgumentParser
import Foundation
import Synchronization
import WanxiaContract
import WanxiaRegistrar
import WanxiaReports

/// `wanxia report`: the participation report of a period.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Participation report of a period (工作总结数据), in Chinese or English.",
        discussion: """
            Reads the registrar's file read-only (safe while the registrar runs) and counts as
            docs/measures.md says: events held, person-times (人次), people (人), hours, audience, works,
            essays, suggestions and rates, per programme and activity kind, with a summary in the
            bureau's phrasing. Chinese by default.

            Periods (China Standard Time): 2023H1, 2023上半年, 2023, 2023Q2, 2023年第二季度, 2023-05,
            2023年5月, 2023-01-01..2023-06-30.

            Examples:
              wanxia report --period 2023上半年
              wanxia report --period 2023H1 --format html -o 2023上半年.html
              wanxia report --period 2023 --format csv --lang en > 2023.csv
              wanxia report --period 2023H1 --as-of 2023-12-10 --db /var/lib/wanxia/registrar.sqlite

            Exit codes: 0 written, 64 usage error, 3 the registrar file could not be read.
            """)

    /// Where the registrar's file is: `--db FILE`, or `registrar.sqlite` in `--data DIR`.
    struct Source: ParsableArguments {
        @Option(help: "The data folder holding registrar.sqlite (and certificates.sqlite).")
        var data = "wanxia-data"

        @Option(help: "The registrar file itself (overrides --data).")
        var db: String?

        var registrarPath: String { db ?? URL(fileURLWithPath: data).appendingPathComponent("registrar.sqlite").path }

        /// The registrar file opened read-only; exit 3 with one line when it cannot be.
        func openRegistrar() throws -> RegistrarStore {
            do {
                return try RegistrarStore(path: registrarPath, configuration: .init(readOnly: true))
            } catch let error as RegistrarError {
                printError("wanxia: \(error)")
                throw ExitCode(3)
            }
        }
    }

    @Option(help: "The period, e.g. 2023H1, 2023上半年, 2023, 2023Q2, 2023-05 or 2023-01-01..2023-06-30.")
    var period: String

    @Option(help: "Language: zh-CN (default) or en.")
    var lang = "zh-CN"

    @Option(help: "Output: terminal, markdown, csv (UTF-8 BOM for Excel/WPS), json or html (printable, with charts).")
    var format: ReportRenderer.Format = .terminal

    @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("as-of"), help: "The book as it stood then: 2023-12-10 (end of that day, UTC+8) or an RFC 3339 time.")
    var asOf: String?

    @OptionGroup var source: Source

    func validate() throws {
        _ = try CLIQueryOptions.period(period)
        guard ReportLanguage(tag: lang) != nil else { throw ValidationError("--lang: \"\(lang)\" is not zh-CN or en") }
        _ = try asOfDate()
    }

    func run() async throws {
        guard let period = try CLIQueryOptions.period(period), let language = ReportLanguage(tag: lang) else { return }
        let store = try source.openRegistrar()
        let progress = ProgressLine()
        let report: ParticipationReport
        do {
            report = try ReportQueries(reader: store.database, timeZone: store.configuration.timeZone)
                .report(period: period, asOf: try asOfDate()) { done, total in progress.show(done, total) }
            progress.finish()
        } catch {
            progress.finish()
            printError("wanxia: \(error)")
            throw ExitCode(3)
        }
        let colour = format == .terminal && output == nil && isatty(STDOUT_FILENO) == 1
            && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let text = try ReportRenderer(format: format, language: language, colour: colour).render(report)
        if let output {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                printError("wanxia: --output: cannot write \(output): \(error.localizedDescription)")
                throw ExitCode(3)
            }
        } else {
            print(text, terminator: "")
        }
    }

    private func asOfDate() throws -> Date? {
        try CLIQueryOptions.parse(asOf.map { ["--as-of", $0] } ?? []).asOfDate()
    }
}

extension ReportCommand {
/// A progress line on standard error, only when it is a terminal and the work is taking a while.
final class ProgressLine: Sendable {
    private let started = ContinuousClock.now
    private let enabled = isatty(STDERR_FILENO) == 1
    private let shown = Mutex(false)

    func show(_ done: Int, _ total: Int) {
        guard enabled, ContinuousClock.now - started > .milliseconds(300) else { return }
        shown.withLock { $0 = true }
        FileHandle.standardError.write(Data("\r统计中 Counting… \(done)/\(total)".utf8))
    }

    func finish() {
        if shown.withLock({ $0 }) {
            FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        }
    }
}
}

extension ReportRenderer.Format: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "terminal", "text", "table", "txt": self = .terminal
        case "markdown", "md": self = .markdown
        case "csv": self = .csv
        case "json": self = .json
        case "html", "htm": self = .html
        default: return nil
        }
    }
}
