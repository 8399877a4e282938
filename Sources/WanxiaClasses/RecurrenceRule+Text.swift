import Foundation

extension RecurrenceRule.Pattern {
    private static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let chineseWeekdays: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7]

    /// Reads a pattern as the CLI writes it.
    ///
    /// `daily`, `daily/2`, `weekly:thu`, `weekly:mon,wed,fri`, `weekly:tue/2` (every other Tuesday),
    /// `monthly:15`, `monthly:last-thu`, `monthly:2-thu`; in Chinese 每天, 每周四, 隔周二, 每月15日 (15号).
    /// Throws ``ClassesError`` naming the problem.
    public init(parsing raw: String) throws {
        let text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        func fail(_ problem: String) -> ClassesError {
            ClassesError(.invalidArgument, "rule: \"\(raw)\" \(problem); write e.g. weekly:thu, weekly:tue/2, monthly:15, monthly:last-thu, 每周四, 隔周二, 每月15日")
        }
        func weekday(_ name: Substring) throws -> Int {
            guard let index = Self.weekdayNames.firstIndex(of: String(name)) else { throw fail("names no weekday \"\(name)\"") }
            return index + 1
        }
        if text == "每天" || text == "daily" {
            self = .daily(interval: 1)
        } else if text.hasPrefix("daily/") {
            guard let interval = Int(text.dropFirst(6)) else { throw fail("has no interval") }
            self = .daily(interval: interval)
        } else if text.hasPrefix("weekly:") {
            let body = text.dropFirst(7)
            let parts = body.split(separator: "/", maxSplits: 1)
            guard let days = parts.first else { throw fail("names no weekday") }
            let interval = parts.count == 2 ? Int(parts[1]) : 1
            guard let interval else { throw fail("has a bad interval") }
            self = .weekly(weekdays: try days.split(separator: ",").map(weekday).sorted(), interval: interval)
        } else if text.hasPrefix("monthly:") {
            let body = text.dropFirst(8)
            if let day = Int(body) {
                self = .monthlyOnDay(day)
            } else {
                let parts = body.split(separator: "-")
                guard parts.count == 2 else { throw fail("is not monthly:15 or monthly:last-thu") }
                let ordinal = parts[0] == "last" ? -1 : Int(parts[0])
                guard let ordinal else { throw fail("has a bad ordinal (1-5 or last)") }
                self = .monthlyOnWeekday(ordinal: ordinal, weekday: try weekday(parts[1]))
            }
        } else if (text.hasPrefix("每周") || text.hasPrefix("隔周")), text.count == 3,
                  let last = text.last, let day = Self.chineseWeekdays[last] {
            self = .weekly(weekdays: [day], interval: text.hasPrefix("隔周") ? 2 : 1)
        } else if text.hasPrefix("每月"), let day = Int(text.dropFirst(2).trimmingCharacters(in: CharacterSet(charactersIn: "日号"))) {
            self = .monthlyOnDay(day)
        } else {
            throw fail("is not a rule")
        }
    }

    /// The pattern as ``init(parsing:)`` reads it.
    public var text: String {
        switch self {
        case .daily(let interval):
            return interval == 1 ? "daily" : "daily/\(interval)"
        case .weekly(let weekdays, let interval):
            let days = weekdays.map { Self.weekdayNames[$0 - 1] }.joined(separator: ",")
            return interval == 1 ? "weekly:\(days)" : "weekly:\(days)/\(interval)"
        case .monthlyOnDay(let day):
            return "monthly:\(day)"
        case .monthlyOnWeekday(let ordinal, let weekday):
            return "monthly:\(ordinal == -1 ? "last" : String(ordinal))-\(Self.weekdayNames[weekday - 1])"
        }
    }
}

extension RecurrenceRule: CustomStringConvertible {
    /// e.g. `weekly:thu 09:00-11:00 from 2025-03-06 until 2025-06-26 except 2025-05-01`.
    public var description: String {
        var text = "\(pattern.text) \(ClassCalendar.clock(startMinute))-\(ClassCalendar.clock(endMinute)) from \(first)"
        switch end {
        case .until(let last): text += " until \(last)"
        case .count(let count): text += " count \(count)"
        }
        if !exceptions.isEmpty { text += " except " + exceptions.map(\.description).joined(separator: ",") }
        if onMakeUpDays { text += " with make-up days" }
        return text
    }
}
