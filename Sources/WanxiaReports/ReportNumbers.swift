import Foundation
import WanxiaContract

/// Numbers, hours, rates, days and periods written the way the bureau writes them.
///
/// Chinese: whole numbers without separators below 10,000 (`1530人次`), with commas from 10,000
/// (`12,345`); English: commas from 1,000 (`1,530`). Hours keep up to two decimals, trailing zeros
/// dropped (`1234.5`). Rates have one decimal and a percent sign (`87.5%`). Periods: `2023年上半年`,
/// `2023年第二季度`, `2023年5月`, `2023年1月1日至2023年6月30日`; in English `first half of 2023`,
/// `Q2 2023`, `May 2023`, `1 January 2023 to 30 June 2023`. Pure functions; safe anywhere.
public struct ReportNumbers: Sendable {
    public var language: ReportLanguage
    public var timeZone: TimeZone

    public init(language: ReportLanguage, timeZone: TimeZone = WanxiaJSON.defaultTimeZone) {
        self.language = language
        self.timeZone = timeZone
    }

    /// A whole number, grouped by thousands from 10,000 (Chinese) or 1,000 (English).
    public func count(_ value: Int) -> String {
        group(String(abs(value)), sign: value < 0)
    }

    /// Hours with up to two decimals: `3`, `2.5`, `1,234.25`.
    public func hours(_ value: Double) -> String {
        let hundredths = Int((abs(value) * 100).rounded())
        let whole = group(String(hundredths / 100), sign: value < 0)
        let fraction = hundredths % 100
        if fraction == 0 { return whole }
        if fraction % 10 == 0 { return whole + "." + String(fraction / 10) }
        return whole + "." + String(format: "%02d", fraction)
    }

    /// A rate in percent with one decimal: `87.5%`; `—` when there is no rate.
    public func percent(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.1f%%", value)
    }

    /// A day: `2023年6月30日` or `30 June 2023`.
    public func day(_ date: Date) -> String {
        let parts = components(date)
        switch language {
        case .zh: return "\(parts.year)年\(parts.month)月\(parts.day)日"
        case .en: return "\(parts.day) \(Self.months[parts.month - 1]) \(parts.year)"
        }
    }

    /// A moment to the minute: `2023年12月10日 23:59` or `10 December 2023, 23:59`.
    public func moment(_ date: Date) -> String {
        let parts = components(date)
        let clock = String(format: "%02d:%02d", parts.hour, parts.minute)
        return language == .zh ? "\(day(date)) \(clock)" : "\(day(date)), \(clock)"
    }

    /// A month key `2023-05` as `2023年5月` / `May 2023`, or short (`5月`, `May`) for chart labels.
    public func month(_ key: String, short: Bool = false) -> String {
        let parts = key.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, (1...12).contains(parts[1]) else { return key }
        switch language {
        case .zh: return short ? "\(parts[1])月" : "\(parts[0])年\(parts[1])月"
        case .en: return short ? String(Self.months[parts[1] - 1].prefix(3)) : "\(Self.months[parts[1] - 1]) \(parts[0])"
        }
    }

    /// The period's name from its canonical form and bounds: `2023年上半年`, `first half of 2023`.
    public func period(_ canonical: String, from: Date, to: Date) -> String {
        let quarterNames = ["一", "二", "三", "四"]
        if let match = canonical.wholeMatch(of: /(\d{4})H([12])/) {
            let first = match.2 == "1"
            return language == .zh ? "\(match.1)年\(first ? "上" : "下")半年"
                                   : "\(first ? "first" : "second") half of \(match.1)"
        }
        if let match = canonical.wholeMatch(of: /(\d{4})Q([1-4])/), let quarter = Int(match.2) {
            return language == .zh ? "\(match.1)年第\(quarterNames[quarter - 1])季度" : "Q\(quarter) \(match.1)"
        }
        if canonical.wholeMatch(of: /\d{4}/) != nil {
            return language == .zh ? "\(canonical)年" : canonical
        }
        if canonical.wholeMatch(of: /\d{4}-\d{2}/) != nil {
            return month(canonical)
        }
        let last = to.addingTimeInterval(-1)
        if day(from) == day(last) { return day(from) }
        return language == .zh ? "\(day(from))至\(day(last))" : "\(day(from)) to \(day(last))"
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    private func group(_ digits: String, sign: Bool) -> String {
        let threshold = language == .zh ? 5 : 4
        var text = digits
        if digits.count >= threshold {
            var grouped = ""
            for (index, character) in digits.enumerated() {
                if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            text = grouped
        }
        return sign ? "-" + text : text
    }

    private func components(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return (parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }
}
