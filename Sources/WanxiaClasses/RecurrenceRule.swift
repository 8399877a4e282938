import Foundation

/// When a cohort meets: "every Thursday 9:00-11:00", "the 15th of every month", "every other
/// Tuesday", "the last Thursday", from a first day until a last day or for a number of sessions,
/// minus exception dates and holidays.
///
/// A rule never moves a session to another day: a day of the month that a month lacks (the 31st in
/// April, the 29th of February in 2025) simply does not occur, and a day that falls on a holiday or
/// an exception date is skipped and listed in ``Expansion/skipped``. With a count, skipped days do
/// not use up the count ("10 sessions" means 10 held). Make-up working days (调休上班) create
/// sessions only when ``onMakeUpDays`` is set, for rules such as a Monday-to-Friday training.
public struct RecurrenceRule: Sendable, Equatable, Codable {
    /// Which days the rule picks.
    public enum Pattern: Sendable, Equatable, Codable {
        /// Every `interval`-th day from the first day.
        case daily(interval: Int)
        /// These ISO weekdays (1 Monday ... 7 Sunday) of every `interval`-th week (weeks start on
        /// Monday; the first day's week is week 0).
        case weekly(weekdays: [Int], interval: Int)
        /// This day of every month (1-31); months without it have no session.
        case monthlyOnDay(Int)
        /// The `ordinal`-th (1-5, or -1 for the last) `weekday` of every month.
        case monthlyOnWeekday(ordinal: Int, weekday: Int)
    }

    /// How the series ends.
    public enum End: Sendable, Equatable, Codable {
        /// The last day that may hold a session (inclusive).
        case until(LocalDate)
        /// The number of sessions held.
        case count(Int)
    }

    /// A session the rule yields: its number (第k次), day and times.
    public struct Occurrence: Sendable, Equatable {
        public var number: Int
        public var date: LocalDate
        public var start: Date
        public var end: Date
        /// Held on a make-up working day (调休上班) because the rule asks for it.
        public var onMakeUpDay: Bool
    }

    /// A day the rule picked but that holds no session, and why.
    public struct Skipped: Sendable, Equatable, Codable {
        public var date: LocalDate
        /// `holiday` or `exception`.
        public var reason: String
        /// The holiday's name (春节) for a holiday.
        public var name: String?
    }

    /// What a rule gives over its whole span.
    public struct Expansion: Sendable, Equatable {
        public var occurrences: [Occurrence]
        public var skipped: [Skipped]
    }

    public var pattern: Pattern
    /// The first day that may hold a session.
    public var first: LocalDate
    /// Minutes after midnight (China Standard Time) of the start and end of each session.
    public var startMinute: Int
    public var endMinute: Int
    public var end: End
    /// Days that hold no session (a teacher away, the room taken).
    public var exceptions: [LocalDate]
    /// Whether make-up working days hold a session too.
    public var onMakeUpDays: Bool

    public init(pattern: Pattern, first: LocalDate, startMinute: Int, endMinute: Int, end: End,
                exceptions: [LocalDate] = [], onMakeUpDays: Bool = false) {
        self.pattern = pattern
        self.first = first
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.end = end
        self.exceptions = exceptions
        self.onMakeUpDays = onMakeUpDays
    }

    /// Checks the rule; throws ``ClassesError`` naming the field.
    public func validate() throws {
        guard (0..<1440).contains(startMinute), (1...1440).contains(endMinute), startMinute < endMinute else {
            throw ClassesError(.invalidArgument, "time: the session must start before it ends, within one day")
        }
        switch pattern {
        case .daily(let interval):
            guard (1...366).contains(interval) else { throw ClassesError(.invalidArgument, "rule: the interval \(interval) must be 1 to 366 days") }
        case .weekly(let weekdays, let interval):
            guard !weekdays.isEmpty, weekdays.allSatisfy({ (1...7).contains($0) }) else {
                throw ClassesError(.invalidArgument, "rule: name at least one weekday (mon ... sun)")
            }
            guard (1...52).contains(interval) else { throw ClassesError(.invalidArgument, "rule: the interval \(interval) must be 1 to 52 weeks") }
        case .monthlyOnDay(let day):
            guard (1...31).contains(day) else { throw ClassesError(.invalidArgument, "rule: day \(day) of the month must be 1 to 31") }
        case .monthlyOnWeekday(let ordinal, let weekday):
            guard ordinal == -1 || (1...5).contains(ordinal), (1...7).contains(weekday) else {
                throw ClassesError(.invalidArgument, "rule: the ordinal must be 1-5 or last, and the weekday mon ... sun")
            }
        }
        switch end {
        case .until(let last):
            guard last >= first else { throw ClassesError(.invalidArgument, "until: \(last) is before the first day \(first)") }
            guard last.year - first.year <= 10 else { throw ClassesError(.invalidArgument, "until: a series may span at most 10 years") }
        case .count(let count):
            guard (1...1000).contains(count) else { throw ClassesError(.invalidArgument, "count: \(count) must be 1 to 1000 sessions") }
        }
    }

    /// Whether the pattern picks `day` (before exceptions, holidays and the end).
    public func picks(_ day: LocalDate) -> Bool {
        guard day >= first else { return false }
        switch pattern {
        case .daily(let interval):
            return (day.dayNumber - first.dayNumber) % interval == 0
        case .weekly(let weekdays, let interval):
            let firstMonday = first.dayNumber - (first.weekday - 1)
            let week = (day.dayNumber - firstMonday) / 7
            return weekdays.contains(day.weekday) && week % interval == 0
        case .monthlyOnDay(let number):
            return day.day == number
        case .monthlyOnWeekday(let ordinal, let weekday):
            guard day.weekday == weekday else { return false }
            if ordinal == -1 { return day.day + 7 > LocalDate.daysIn(year: day.year, month: day.month) }
            return (day.day - 1) / 7 + 1 == ordinal
        }
    }

    /// Every session of the series, numbered from 1, and every picked day that was skipped.
    public func expand(holidays: HolidayTable, calendar: Calendar = ClassCalendar.calendar) -> Expansion {
        var occurrences: [Occurrence] = []
        var skipped: [Skipped] = []
        let exceptions = Set(self.exceptions)
        let limit: LocalDate
        switch end {
        case .until(let last): limit = last
        case .count: limit = LocalDate(year: first.year + 20, month: first.month, day: min(first.day, 28)) ?? first
        }
        var day = first
        while day <= limit {
            if case .count(let count) = end, occurrences.count >= count { break }
            let entry = holidays[day]
            let makeUp = onMakeUpDays && entry?.kind == .workday && !picks(day)
            if picks(day) || makeUp {
                if exceptions.contains(day) {
                    skipped.append(Skipped(date: day, reason: "exception", name: nil))
                } else if let entry, entry.kind == .holiday {
                    skipped.append(Skipped(date: day, reason: "holiday", name: entry.name))
                } else {
                    occurrences.append(Occurrence(number: occurrences.count + 1, date: day,
                                                  start: day.date(atMinute: startMinute, in: calendar),
                                                  end: day.date(atMinute: endMinute, in: calendar), onMakeUpDay: makeUp))
                }
            }
            day = day.next
        }
        return Expansion(occurrences: occurrences, skipped: skipped)
    }
}
