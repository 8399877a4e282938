import Foundation

/// Result of a `period-totals` query: the figures of a work summary, one row per programme and
/// event kind. `from` is inclusive, `to` exclusive.
public struct PeriodTotals: Codable, Sendable, Equatable, Validatable {
    /// The figures of one programme and event kind.
    public struct Row: Codable, Sendable, Equatable {
        public var programme: Programme
        public var kind: String
        /// Events held (次, 场次, 期).
        public var events: Int
        /// Person-times (人次).
        public var personTimes: Int
        /// Distinct people (人).
        public var distinctPeople: Int
        public var hours: Double
        public var audience: Int
        public var worksSubmitted: Int
        public var worksSelected: Int
        public var essays: Int
        public var suggestionsCollected: Int
        public var suggestionsAdopted: Int

        public init(programme: Programme, kind: String, events: Int, personTimes: Int, distinctPeople: Int,
                    hours: Double, audience: Int = 0, worksSubmitted: Int = 0, worksSelected: Int = 0,
                    essays: Int = 0, suggestionsCollected: Int = 0, suggestionsAdopted: Int = 0) {
            self.programme = programme
            self.kind = kind
            self.events = events
            self.personTimes = personTimes
            self.distinctPeople = distinctPeople
            self.hours = hours
            self.audience = audience
            self.worksSubmitted = worksSubmitted
            self.worksSelected = worksSelected
            self.essays = essays
            self.suggestionsCollected = suggestionsCollected
            self.suggestionsAdopted = suggestionsAdopted
        }
    }

    public var period: String
    public var from: Date
    public var to: Date
    public var rows: [Row]

    public init(period: String, from: Date, to: Date, rows: [Row]) {
        self.period = period
        self.from = from
        self.to = to
        self.rows = rows
    }

    public func validate() throws {
        try Check.period(period, "period")
        try Check.order(start: from, end: to, "to")
        try Check.each(rows, "rows") { row in
            try Check.text(row.kind, "kind", max: 64)
            try Check.nonNegative(row.hours, "hours")
            let counts = [("events", row.events), ("personTimes", row.personTimes), ("distinctPeople", row.distinctPeople),
                          ("audience", row.audience), ("worksSubmitted", row.worksSubmitted),
                          ("worksSelected", row.worksSelected), ("essays", row.essays),
                          ("suggestionsCollected", row.suggestionsCollected), ("suggestionsAdopted", row.suggestionsAdopted)]
            for (field, count) in counts {
                try Check.atLeast(count, 0, field)
            }
        }
    }
}
