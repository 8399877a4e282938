/// China's public holidays (放假) and make-up working days (调休上班), as the State Council announces
/// them each year; editable, because the notice for next year comes out in November.
///
/// A session that a rule puts on a holiday is skipped and listed as skipped, never moved. A make-up
/// working day creates no session unless the rule asks for it (``RecurrenceRule/onMakeUpDays``).
public struct HolidayTable: Sendable, Equatable {
    /// What a listed day is.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A day off (法定节假日 and the days joined to it by 调休).
        case holiday
        /// A weekend day that is a working day (调休上班).
        case workday
    }

    /// One listed day: its kind and the holiday it belongs to (春节, 国庆节).
    public struct Entry: Sendable, Equatable, Codable {
        public var date: LocalDate
        public var kind: Kind
        public var name: String

        public init(date: LocalDate, kind: Kind, name: String) {
            self.date = date
            self.kind = kind
            self.name = name
        }
    }

    public private(set) var entries: [LocalDate: Entry]

    public init(_ entries: [Entry] = []) {
        self.entries = Dictionary(entries.map { ($0.date, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The entry for a day, if it is listed.
    public subscript(date: LocalDate) -> Entry? { entries[date] }

    /// Adds or replaces a day.
    public mutating func set(_ entry: Entry) { entries[entry.date] = entry }

    /// Removes a day; returns whether it was listed.
    @discardableResult
    public mutating func remove(_ date: LocalDate) -> Bool { entries.removeValue(forKey: date) != nil }

    /// Every entry, by date.
    public var sorted: [Entry] { entries.values.sorted { $0.date < $1.date } }

    /// The holidays and make-up working days of 2024, 2025 and 2026, from the State Council's
    /// notices 国办发明电〔2023〕7号, 〔2024〕12号 and the notice of 4 November 2025.
    public static let china: HolidayTable = {
        var entries: [Entry] = []
        func off(_ name: String, _ from: String, _ to: String) {
            guard var day = LocalDate(from), let last = LocalDate(to) else { preconditionFailure("bad seed date \(from)") }
            while day <= last {
                entries.append(Entry(date: day, kind: .holiday, name: name))
                day = day.next
            }
        }
        func work(_ name: String, _ days: String...) {
            for text in days {
                guard let day = LocalDate(text) else { preconditionFailure("bad seed date \(text)") }
                entries.append(Entry(date: day, kind: .workday, name: name))
            }
        }
        // 2024
        off("元旦", "2024-01-01", "2024-01-01")
        off("春节", "2024-02-10", "2024-02-17"); work("春节", "2024-02-04", "2024-02-18")
        off("清明节", "2024-04-04", "2024-04-06"); work("清明节", "2024-04-07")
        off("劳动节", "2024-05-01", "2024-05-05"); work("劳动节", "2024-04-28", "2024-05-11")
        off("端午节", "2024-06-08", "2024-06-10")
        off("中秋节", "2024-09-15", "2024-09-17"); work("中秋节", "2024-09-14")
        off("国庆节", "2024-10-01", "2024-10-07"); work("国庆节", "2024-09-29", "2024-10-12")
        // 2025
        off("元旦", "2025-01-01", "2025-01-01")
        off("春节", "2025-01-28", "2025-02-04"); work("春节", "2025-01-26", "2025-02-08")
        off("清明节", "2025-04-04", "2025-04-06")
        off("劳动节", "2025-05-01", "2025-05-05"); work("劳动节", "2025-04-27")
        off("端午节", "2025-05-31", "2025-06-02")
        off("国庆节、中秋节", "2025-10-01", "2025-10-08"); work("国庆节、中秋节", "2025-09-28", "2025-10-11")
        // 2026
        off("元旦", "2026-01-01", "2026-01-03"); work("元旦", "2026-01-04")
        off("春节", "2026-02-15", "2026-02-23"); work("春节", "2026-02-14", "2026-02-28")
        off("清明节", "2026-04-04", "2026-04-06")
        off("劳动节", "2026-05-01", "2026-05-05"); work("劳动节", "2026-05-09")
        off("端午节", "2026-06-19", "2026-06-21")
        off("中秋节", "2026-09-25", "2026-09-27")
        off("国庆节", "2026-10-01", "2026-10-07"); work("国庆节", "2026-09-20", "2026-10-10")
        return HolidayTable(entries)
    }()
}
