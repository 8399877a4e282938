import Foundation
import WanxiaContract

/// A reporting period: a half-open interval `[from, to)` computed in the bureau's time zone.
///
/// Parses the forms bureau staff write: years (`2023`, `2023年`), half-years (`2023H1`, `2023上半年`,
/// `2023年下半年`), quarters (`2023Q2`, `2023年第二季度`, `2023年第2季度`), months (`2023-05`,
/// `2023年5月`), days (`2023-05-12`) and inclusive date ranges (`2023-01-01..2023-06-30`, also with
/// `至` or `~`). ``canonical`` is the ASCII form that travels on the bus (`2023H1`, `2023Q2`,
/// `2023-05`, `2023-01-01..2023-06-30`). An event belongs to a period when its start lies in it, so
/// 23:30 on 30 June UTC+8 is in the first half-year.
public struct Period: Sendable, Hashable, CustomStringConvertible {
    /// The first instant in the period.
    public var from: Date
    /// The first instant after the period.
    public var to: Date
    /// The ASCII form accepted by ``QueryRequest`` (`2023`, `2023H1`, `2023Q2`, `2023-05`, `a..b`).
    public var canonical: String

    public var description: String { canonical }

    /// Parses `text` in `timeZone` (China Standard Time unless given).
    ///
    /// Throws ``RegistrarError`` with code ``RegistrarError/Code/invalidPeriod`` and a message listing
    /// the accepted forms when `text` is none of them or names an impossible date.
    public init(parsing text: String, timeZone: TimeZone = WanxiaJSON.defaultTimeZone) throws {
        let text = text.trimmingCharacters(in: .whitespaces)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        func fail(_ why: String? = nil) -> RegistrarError {
            RegistrarError(.invalidPeriod, "period: \"\(text)\" \(why ?? "is not a period"); write 2023, 2023H1, 2023上半年, 2023Q2, 2023年第二季度, 2023-05, 2023年5月 or 2023-01-01..2023-06-30")
        }
        func day(_ year: Int, _ month: Int, _ day: Int) throws -> Date {
            let components = DateComponents(year: year, month: month, day: day)
            guard (2000...2999).contains(year), calendar.date(from: components) != nil,
                  let date = calendar.date(from: components),
                  calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
            else {
                throw fail("names a day that does not exist (or a year outside 2000-2999)")
            }
            return date
        }
        func span(_ year: Int, months: ClosedRange<Int>) throws -> (Date, Date) {
            let start = try day(year, months.lowerBound, 1)
            let end = months.upperBound == 12 ? try day(year + 1, 1, 1) : try day(year, months.upperBound + 1, 1)
            return (start, end)
        }
        let quarters = ["一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4]

        if let match = text.wholeMatch(of: #/(\d{4})年?/#.asciiOnlyDigits()) {
            let year = Int(match.1)!
            (from, to) = try span(year, months: 1...12)
            canonical = "\(year)"
        } else if let match = text.wholeMatch(of: #/(\d{4})(?:[Hh]([12])|年?(上|下)半年)/#.asciiOnlyDigits()) {
            let year = Int(match.1)!
            let first = match.2 == "1" || match.3 == "上"
            (from, to) = try span(year, months: first ? 1...6 : 7...12)
            canonical = "\(year)H\(first ? 1 : 2)"
        } else if let match = text.wholeMatch(of: #/(\d{4})(?:[Qq]([1-4])|年?第?([一二三四1-4])季度)/#.asciiOnlyDigits()) {
            let year = Int(match.1)!
            let quarter = match.2.map { Int($0)! } ?? quarters[String(match.3 ?? "")] ?? 0
            (from, to) = try span(year, months: (quarter * 3 - 2)...(quarter * 3))
            canonical = "\(year)Q\(quarter)"
        } else if let match = text.wholeMatch(of: #/(\d{4})(?:-(\d{2})|年(\d{1,2})月)/#.asciiOnlyDigits()) {
            let year = Int(match.1)!
            let month = Int(match.2 ?? match.3 ?? "0")!
            guard (1...12).contains(month) else { throw fail("has no month \(month)") }
            (from, to) = try span(year, months: month...month)
            canonical = String(format: "%04d-%02d", year, month)
        } else if let match = text.wholeMatch(of: #/(\d{4})-(\d{2})-(\d{2})(?:\s*(?:\.\.|至|~|～)\s*(\d{4})-(\d{2})-(\d{2}))?/#.asciiOnlyDigits()) {
            let first = try day(Int(match.1)!, Int(match.2)!, Int(match.3)!)
            let lastText = match.4 == nil ? (match.1, match.2, match.3) : (match.4!, match.5!, match.6!)
            let last = try day(Int(lastText.0)!, Int(lastText.1)!, Int(lastText.2)!)
            guard last >= first else { throw fail("ends before it starts") }
            guard let end = calendar.date(byAdding: .day, value: 1, to: last) else { throw fail() }
            (from, to) = (first, end)
            canonical = "\(match.1)-\(match.2)-\(match.3)..\(lastText.0)-\(lastText.1)-\(lastText.2)"
        } else {
            throw fail()
        }
    }

    /// Whether `date` lies in `[from, to)`.
    public func contains(_ date: Date) -> Bool {
        from <= date && date < to
    }
}
