import Foundation

/// The calendar every class rule is computed in: Gregorian, China Standard Time.
///
/// Asia/Shanghai when the system has the zone database, else a fixed UTC+8 (the same thing: China
/// has no daylight saving time). Weeks start on Monday.
public enum ClassCalendar {
    /// The zone of rules, sessions and "a day".
    public static let timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    /// A Gregorian calendar in ``timeZone`` with Monday as the first weekday.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        return calendar
    }()

    /// Parses `09:00` into minutes after midnight; nil if it is not a time of day.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return hour * 60 + minute
    }

    /// `540` as `09:00`.
    public static func clock(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}
