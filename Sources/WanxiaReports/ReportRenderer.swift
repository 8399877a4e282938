import Foundation
import WanxiaContract
import WanxiaRegistrar

/// Turns a ``ParticipationReport`` into text in one of the report formats.
///
/// - `terminal`: aligned tables (Chinese characters count as two columns); bold headings only when
///   `colour` is set (the CLI sets it for a TTY).
/// - `markdown`: headings, the narrative, pipe tables.
/// - `csv`: UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting; one row per figure (section,
///   kind or month, measure, value) so Excel and WPS can filter and pivot it; values unformatted.
/// - `json`: the report's figures (``ParticipationReport``) plus the narrative, times in UTC+8.
/// - `html`: one self-contained printable page (``HTMLReport``).
public struct ReportRenderer: Sendable {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case terminal, markdown, csv, json, html

        /// The file extension of the format.
        public var fileExtension: String {
            switch self {
            case .terminal: "txt"
            case .markdown: "md"
            case .csv: "csv"
            case .json: "json"
            case .html: "html"
            }
        }
    }

    public var format: Format
    public var language: ReportLanguage
    public var timeZone: TimeZone
    /// ANSI bold headings in terminal output.
    public var colour: Bool

    public init(format: Format, language: ReportLanguage = .zh, timeZone: TimeZone = WanxiaJSON.defaultTimeZone, colour: Bool = false) {
        self.format = format
        self.language = language
        self.timeZone = timeZone
        self.colour = colour
    }

    /// The report as text in ``format``. Throws only if JSON encoding fails.
    public func render(_ report: ParticipationReport) throws -> String {
        let layout = ReportLayout(report, language: language, timeZone: timeZone)
        switch format {
        case .terminal: return terminal(layout)
        case .markdown: return markdown(layout)
        case .csv: return csv(layout)
        case .json: return try json(layout)
        case .html: return HTMLReport(layout: layout, timeZone: timeZone).html
        }
    }

    private func terminal(_ layout: ReportLayout) -> String {
        func heading(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
        var text = heading(layout.title) + "\n" + layout.lines.joined(separator: "\n") + "\n\n"
        text += heading(language == .zh ? "综述" : "Summary") + "\n"
        text += layout.narrative.joined(separator: "\n") + "\n"
        for table in layout.tables {
            text += "\n" + heading(table.caption) + "\n"
            if table.rows.isEmpty {
                text += (language == .zh ? "（无）" : "(none)") + "\n"
            } else {
                text += TextTable(headers: table.headers, rows: table.rows, numericColumns: table.numeric).text + "\n"
            }
        }
        return text
    }

    private func markdown(_ layout: ReportLayout) -> String {
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "\n", with: " ")
        }
        var text = "# \(cell(layout.title))\n\n" + layout.lines.map { cell($0) + "  \n" }.joined() + "\n"
        text += "## " + (language == .zh ? "综述" : "Summary") + "\n\n" + layout.narrative.map(cell).joined(separator: language == .zh ? "" : " ") + "\n"
        for table in layout.tables {
            text += "\n## \(cell(table.caption))\n\n"
            if table.rows.isEmpty {
                text += (language == .zh ? "（无）" : "(none)") + "\n"
                continue
            }
            text += "| " + table.headers.map(cell).joined(separator: " | ") + " |\n"
            text += "|" + table.headers.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
            for row in table.rows {
                text += "| " + row.map(cell).joined(separator: " | ") + " |\n"
            }
        }
        return text
    }

    private func csv(_ layout: ReportLayout) -> String {
        let zh = language == .zh
        var rows: [[String]] = []
        for table in layout.tables {
            for (index, row) in table.raw.enumerated() {
                if Self.figureTables.contains(table.id) {
                    rows.append([table.caption, "", table.rows[index][0], row[1]])
                } else {
                    for column in 1..<table.headers.count {
                        rows.append([table.caption, table.rows[index][0], table.headers[column], row[column]])
                    }
                }
            }
        }
        return QueryOutput.csv(headers: zh ? ["部分", "类别", "指标", "数值"] : ["Section", "Item", "Measure", "Value"], rows: rows)
    }

    /// Tables of (measure, value) rows; the others have a row per kind, programme or month.
    static let figureTables: Set<String> = ["volunteers", "mentoring", "competitions", "classes"]

    private func json(_ layout: ReportLayout) throws -> String {
        struct Document: Encodable {
            var language: String
            var title: String
            var narrative: [String]
            var figures: ParticipationReport
        }
        let encoder = WanxiaJSON.makeEncoder(timeZone: timeZone)
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let document = Document(language: language.rawValue, title: layout.title, narrative: layout.narrative, figures: layout.report)
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
