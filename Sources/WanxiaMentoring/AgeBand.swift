import Foundation

/// Ages and age bands of young people, computed in China Standard Time.
///
/// Only the band leaves the identity store: `0-6`, `7-10`, `11-13`, `14-17`, `18-24`, `25-35`.
/// `11-13` and below are under 14, for whom guardian consent is required (PIPL art. 28/31).
public enum AgeBand {
    /// The band bounds, in order.
    public static let bands: [ClosedRange<Int>] = [0...6, 7...10, 11...13, 14...17, 18...24, 25...35]

    /// The calendar in which birthdays fall (UTC+8).
    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar
    }

    /// Full years between a birth date (`yyyy-MM-dd`) and `date`.
    public static func age(birthDate: DateComponents, on date: Date) -> Int? {
        guard let birth = calendar.date(from: birthDate) else { return nil }
        return calendar.dateComponents([.year], from: birth, to: date).year
    }

    /// The band of `age`, e.g. `14-17`; ages above 35 are `36-120`.
    public static func band(of age: Int) -> String {
        let range = bands.first { $0.contains(age) } ?? 36...120
        return "\(range.lowerBound)-\(range.upperBound)"
    }

    /// Whether every age in `band` (as written by ``band(of:)``) is 14 or more.
    public static func isAtLeast14(band: String?) -> Bool {
        guard let band, let low = band.split(separator: "-").first.flatMap({ Int($0) }) else { return false }
        return low >= 14
    }

    /// Reads `2010-03-15` (also `2010/03/15`, `20100315`) as year, month, day; nil if it is not a real date.
    public static func parseDate(_ text: String) -> DateComponents? {
        let digits = text.trimmingCharacters(in: .whitespaces).filter { $0 != "-" && $0 != "/" && $0 != "." }
        guard digits.count == 8, digits.allSatisfy(\.isASCII), let number = Int(digits) else { return nil }
        let components = DateComponents(year: number / 10_000, month: number / 100 % 100, day: number % 100)
        guard let date = calendar.date(from: components),
              calendar.dateComponents([.year, .month, .day], from: date) == components,
              (1900...2100).contains(components.year ?? 0) else { return nil }
        return components
    }

    /// `yyyy-MM-dd`.
    public static func format(_ date: DateComponents) -> String {
        String(format: "%04d-%02d-%02d", date.year ?? 0, date.month ?? 0, date.day ?? 0)
    }
}
