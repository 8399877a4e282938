import Foundation
import Testing
@testable import WanxiaClasses

@Suite("Recurrence rules: month ends, leap years, holidays and make-up days; nothing is ever moved")
struct RecurrenceRuleTests {
    func rule(_ pattern: String, from first: String, until last: String? = nil, count: Int? = nil,
              except: [String] = [], makeUp: Bool = false) throws -> RecurrenceRule {
        RecurrenceRule(pattern: try .init(parsing: pattern), first: d(first), startMinute: 540, endMinute: 660,
                       end: last.map { .until(d($0)) } ?? .count(count ?? 1), exceptions: except.map(d), onMakeUpDays: makeUp)
    }

    func dates(_ expansion: RecurrenceRule.Expansion) -> [String] { expansion.occurrences.map(\.date.description) }

    @Test("\"every 31st\" skips the months without one and never moves to the 30th or the 1st")
    func thirtyFirst() throws {
        let expansion = try rule("monthly:31", from: "2024-01-01", until: "2024-12-31").expand(holidays: .china)
        #expect(dates(expansion) == ["2024-01-31", "2024-03-31", "2024-05-31", "2024-07-31", "2024-08-31", "2024-10-31", "2024-12-31"])
        #expect(expansion.occurrences.map(\.number) == Array(1...7))
        #expect(expansion.skipped.isEmpty)
    }

    @Test("the 29th: February 2024 (a leap year) has one, February 2025 does not; 29 January 2025 is 春节")
    func leapYear() throws {
        let plain = try rule("每月29日", from: "2024-01-01", until: "2025-03-31").expand(holidays: HolidayTable())
        #expect(plain.occurrences.count == 14)
        #expect(dates(plain).contains("2024-02-29"))
        #expect(!dates(plain).contains { $0.hasPrefix("2025-02") })
        #expect(dates(plain).suffix(3) == ["2024-12-29", "2025-01-29", "2025-03-29"])
        let china = try rule("monthly:29", from: "2024-01-01", until: "2025-03-31").expand(holidays: .china)
        #expect(china.occurrences.count == 13)
        #expect(china.skipped == [.init(date: d("2025-01-29"), reason: "holiday", name: "春节")])
    }

    @Test("every Thursday 9:00-11:00 across the 2024 Spring Festival: 15 February is skipped and listed")
    func thursdaysOverSpringFestival() throws {
        let expansion = try rule("每周四", from: "2024-01-04", until: "2024-02-29").expand(holidays: .china)
        #expect(dates(expansion) == ["2024-01-04", "2024-01-11", "2024-01-18", "2024-01-25", "2024-02-01", "2024-02-08",
                                     "2024-02-22", "2024-02-29"])
        #expect(expansion.skipped == [.init(date: d("2024-02-15"), reason: "holiday", name: "春节")])
        #expect(expansion.occurrences[0].start == t("2024-01-04T09:00"))
        #expect(expansion.occurrences[0].end == t("2024-01-04T11:00"))
        #expect(expansion.occurrences[6].number == 7)
    }

    @Test("every other Tuesday counts weeks from the first day's week")
    func everyOtherTuesday() throws {
        let expansion = try rule("隔周二", from: "2025-03-04", count: 5).expand(holidays: .china)
        #expect(dates(expansion) == ["2025-03-04", "2025-03-18", "2025-04-01", "2025-04-15", "2025-04-29"])
        // Starting on a Wednesday: that week is week 0, so the first Tuesday is in week 2.
        let fromWednesday = try rule("weekly:tue/2", from: "2025-03-05", count: 2).expand(holidays: HolidayTable())
        #expect(dates(fromWednesday) == ["2025-03-18", "2025-04-01"])
    }

    @Test("a count means sessions held: a holiday does not use it up")
    func countSkipsHolidays() throws {
        let expansion = try rule("weekly:thu", from: "2025-09-25", count: 3).expand(holidays: .china)
        #expect(dates(expansion) == ["2025-09-25", "2025-10-09", "2025-10-16"])
        #expect(expansion.skipped == [.init(date: d("2025-10-02"), reason: "holiday", name: "国庆节、中秋节")])
    }

    @Test("make-up working days hold a session only when the rule says so")
    func makeUpDays() throws {
        let weekdays = "weekly:mon,tue,wed,thu,fri"
        let without = try rule(weekdays, from: "2024-02-01", until: "2024-02-20").expand(holidays: .china)
        #expect(dates(without) == ["2024-02-01", "2024-02-02", "2024-02-05", "2024-02-06", "2024-02-07", "2024-02-08",
                                   "2024-02-09", "2024-02-19", "2024-02-20"])
        #expect(without.skipped.map(\.date.description) == ["2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16"])
        let with = try rule(weekdays, from: "2024-02-01", until: "2024-02-20", makeUp: true).expand(holidays: .china)
        #expect(dates(with) == ["2024-02-01", "2024-02-02", "2024-02-04", "2024-02-05", "2024-02-06", "2024-02-07",
                                "2024-02-08", "2024-02-09", "2024-02-18", "2024-02-19", "2024-02-20"])
        #expect(with.occurrences.filter(\.onMakeUpDay).map(\.date.description) == ["2024-02-04", "2024-02-18"])
    }

    @Test("the last Thursday of each month, and the 15th of each month in 2026 (15 February is 春节)")
    func monthlyPatterns() throws {
        let last = try rule("monthly:last-thu", from: "2025-01-01", until: "2025-06-30").expand(holidays: .china)
        #expect(dates(last) == ["2025-02-27", "2025-03-27", "2025-04-24", "2025-05-29", "2025-06-26"])
        #expect(last.skipped.map(\.date.description) == ["2025-01-30"])
        let second = try rule("monthly:2-thu", from: "2025-01-01", until: "2025-03-31").expand(holidays: .china)
        #expect(dates(second) == ["2025-01-09", "2025-02-13", "2025-03-13"])
        let fifteenth = try rule("monthly:15", from: "2026-01-01", until: "2026-12-31").expand(holidays: .china)
        #expect(fifteenth.occurrences.count == 11)
        #expect(fifteenth.skipped.map(\.date.description) == ["2026-02-15"])
    }

    @Test("exception dates are skipped and listed, and an edited holiday table is obeyed")
    func exceptionsAndEdits() throws {
        let expansion = try rule("weekly:thu", from: "2025-03-06", until: "2025-03-27", except: ["2025-03-20"]).expand(holidays: .china)
        #expect(dates(expansion) == ["2025-03-06", "2025-03-13", "2025-03-27"])
        #expect(expansion.skipped == [.init(date: d("2025-03-20"), reason: "exception", name: nil)])
        var table = HolidayTable.china
        table.set(.init(date: d("2025-03-13"), kind: .holiday, name: "本地假日"))
        let edited = try rule("weekly:thu", from: "2025-03-06", until: "2025-03-27").expand(holidays: table)
        #expect(dates(edited) == ["2025-03-06", "2025-03-20", "2025-03-27"])
    }

    @Test("rule texts in English and Chinese", arguments: [
        ("weekly:thu", RecurrenceRule.Pattern.weekly(weekdays: [4], interval: 1), "weekly:thu"),
        ("每周四", .weekly(weekdays: [4], interval: 1), "weekly:thu"),
        ("隔周二", .weekly(weekdays: [2], interval: 2), "weekly:tue/2"),
        ("weekly:fri,mon", .weekly(weekdays: [1, 5], interval: 1), "weekly:mon,fri"),
        ("每月15日", .monthlyOnDay(15), "monthly:15"),
        ("每月15号", .monthlyOnDay(15), "monthly:15"),
        ("monthly:last-thu", .monthlyOnWeekday(ordinal: -1, weekday: 4), "monthly:last-thu"),
        ("每天", .daily(interval: 1), "daily"),
    ])
    func parsing(text: String, pattern: RecurrenceRule.Pattern, canonical: String) throws {
        let parsed = try RecurrenceRule.Pattern(parsing: text)
        #expect(parsed == pattern)
        #expect(parsed.text == canonical)
    }

    @Test("bad rules are refused with the field named", arguments: ["weekly:xyz", "monthly:first-thu", "每周八", "fortnightly"])
    func badText(text: String) {
        #expect(throws: ClassesError.self) { try RecurrenceRule.Pattern(parsing: text) }
    }

    @Test("a rule for the 32nd day or ending before it starts is refused")
    func invalidRules() throws {
        #expect(throws: ClassesError.self) { try rule("monthly:32", from: "2025-01-01", count: 3).validate() }
        #expect(throws: ClassesError.self) { try rule("weekly:thu", from: "2025-03-01", until: "2025-02-01").validate() }
    }
}
