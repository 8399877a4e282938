import Foundation
import WanxiaContract

/// Renders query results for people and programs: an aligned table (Chinese headings), JSON (the
/// contract's own shape), or CSV for Excel and WPS (UTF-8 with a BOM, CRLF, quoted as needed).
///
/// Times are shown in the given zone (China Standard Time by default); hours with at most two
/// decimals. The table shows a summary above the detail rows; CSV holds the detail rows only
/// (the records, the members, or the totals rows), one header line first.
public struct QueryOutput: Sendable {
    /// How to print.
    public enum Format: String, Sendable, CaseIterable {
        case table, json, csv
    }

    public var format: Format
    public var timeZone: TimeZone

    public init(format: Format, timeZone: TimeZone = WanxiaJSON.defaultTimeZone) {
        self.format = format
        self.timeZone = timeZone
    }

    /// The bureau's names for the programmes.
    public static func name(_ programme: Programme) -> String {
        switch programme {
        case .volunteers: "志愿服务"
        case .mentoring: "结对帮扶"
        case .competitions: "比赛"
        case .classes: "学习班"
        }
    }

    public func render(_ history: PersonHistory) throws -> String {
        let headers = ["开始", "活动", "项目", "类别", "角色", "状态", "时长", "登记", "记录"]
        let rows = history.records.map { entry in
            [entry.start.map(time) ?? "", entry.title, Self.name(entry.programme), entry.kind, entry.role, entry.status,
             Self.hours(entry.hours), entry.ledger.rawValue, entry.record.rawValue]
        }
        switch format {
        case .json: return try json(history)
        case .csv: return Self.csv(headers: headers, rows: rows)
        case .table:
            var text = "人员 \(history.person)"
            if let period = history.period { text += "  期间 \(period)" }
            text += "  总时长 \(Self.hours(history.totalHours)) 小时\n\n"
            text += TextTable(headers: ["项目", "人次", "时长"], rows: history.byProgramme.map {
                [Self.name($0.programme), String($0.personTimes), Self.hours($0.hours)]
            }, numericColumns: [1, 2]).text
            text += "\n\n" + TextTable(headers: headers, rows: rows, numericColumns: [6]).text
            return text + "\n"
        }
    }

    public func render(_ group: GroupParticipation) throws -> String {
        let headers = ["人员", "人次", "时长"]
        let rows = group.people.map { [$0.person, String($0.personTimes), Self.hours($0.hours)] }
        switch format {
        case .json: return try json(group)
        case .csv: return Self.csv(headers: headers, rows: rows)
        case .table:
            var text = "\(Self.name(group.group.kind)) \(group.group.id)"
            if let period = group.period { text += "  期间 \(period)" }
            text += "\n活动 \(group.events) 次  参与 \(group.personTimes) 人次  \(group.distinctPeople) 人  时长 \(Self.hours(group.hours)) 小时\n\n"
            text += TextTable(headers: headers, rows: rows, numericColumns: [1, 2]).text
            return text + "\n"
        }
    }

    public func render(_ totals: PeriodTotals) throws -> String {
        let headers = ["项目", "类别", "场次", "人次", "人数", "时长", "受众", "征集作品", "入选作品", "心得", "收集建议", "采纳建议"]
        let rows = totals.rows.map { row in
            [Self.name(row.programme), row.kind, String(row.events), String(row.personTimes), String(row.distinctPeople),
             Self.hours(row.hours), String(row.audience), String(row.worksSubmitted), String(row.worksSelected),
             String(row.essays), String(row.suggestionsCollected), String(row.suggestionsAdopted)]
        }
        switch format {
        case .json: return try json(totals)
        case .csv: return Self.csv(headers: headers, rows: rows)
        case .table:
            let last = totals.to.addingTimeInterval(-1)
            var text = "期间 \(totals.period)（\(day(totals.from)) 至 \(day(last))）\n\n"
            text += TextTable(headers: headers, rows: rows, numericColumns: Set(2..<headers.count)).text
            return text + "\n"
        }
    }

    static func name(_ kind: GroupRef.Kind) -> String {
        switch kind {
        case .team: "服务队"
        case .cohort: "班期"
        case .competition: "比赛"
        case .site: "场所"
        case .event: "活动"
        }
    }

    /// Hours with at most two decimals: `3`, `2.5`, `1.25`.
    static func hours(_ value: Double) -> String {
        RegistrarIngest.format(value)
    }

    /// CSV for Excel/WPS: a UTF-8 BOM, CRLF line ends, fields quoted when they hold `,` `"` or a line break.
    public static func csv(headers: [String], rows: [[String]]) -> String {
        func field(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return "\u{FEFF}" + ([headers] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    private func json(_ value: some Encodable) throws -> String {
        let encoder = WanxiaJSON.makeEncoder(timeZone: timeZone)
        encoder.outputFormatting.insert(.prettyPrinted)
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    private func time(_ date: Date) -> String {
        let text = RFC3339.string(from: date, timeZone: timeZone)
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
    }

    private func day(_ date: Date) -> String {
        String(RFC3339.string(from: date, timeZone: timeZone).prefix(10))
    }
}
