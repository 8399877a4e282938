import Foundation

/// A calendar day in the bureau's zone (China Standard Time unless configured), without a time:
/// the unit of recurrence rules, exception dates and the holiday table.
///
/// Written and read as `2024-05-12`. Comparable by day; `date(at:in:)` places a time of day on it.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// A day; returns nil for a day that does not exist (2025-02-29, 2024-04-31).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...LocalDate.daysIn(year: year, month: month)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `2024-05-12` (also `2024/5/12`, `2024年5月12日`); nil if it is not a real day.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces)
            .split(whereSeparator: { "-/年月日".contains($0) }).map(String.init)
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1900...9999).contains(year) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day on which `date` falls in `calendar`'s zone.
    public init(_ date: Date, in calendar: Calendar = ClassCalendar.calendar) {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        year = parts.year ?? 1970
        month = parts.month ?? 1
        day = parts.day ?? 1
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = LocalDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a day like 2024-05-12"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// The number of days in a month: 28-31.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The day after.
    public var next: LocalDate {
        if day < LocalDate.daysIn(year: year, month: month) { return LocalDate(unchecked: year, month, day + 1) }
        if month < 12 { return LocalDate(unchecked: year, month + 1, 1) }
        return LocalDate(unchecked: year + 1, 1, 1)
    }

    /// Days since 1970-01-01 (negative before): for weekdays and week numbers.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The ISO weekday: 1 Monday ... 7 Sunday.
    public var weekday: Int {
        let w = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday (ISO 4).
        return (w < 0 ? w + 7 : w) + 1
    }

    /// The instant at `minutes` after midnight of this day in `calendar`'s zone.
    public func date(atMinute minutes: Int, in calendar: Calendar = ClassCalendar.calendar) -> Date {
        var parts = DateComponents()
        parts.year = year
        parts.month = month
        parts.day = day
        parts.hour = minutes / 60
        parts.minute = minutes % 60
        // A valid day with an in-range time always resolves; the fallback is never used.
        return calendar.date(from: parts) ?? Date(timeIntervalSince1970: 0)
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
}
