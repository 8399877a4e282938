import Foundation

/// Result of a `person-history` query: one person's records and hours, corrections applied
/// (a superseded record is left out; its correcting record is listed).
public struct PersonHistory: Codable, Sendable, Equatable, Validatable {
    /// Hours and person-times in one programme.
    public struct ProgrammeTotal: Codable, Sendable, Equatable {
        public var programme: Programme
        public var hours: Double
        public var personTimes: Int

        public init(programme: Programme, hours: Double, personTimes: Int) {
            self.programme = programme
            self.hours = hours
            self.personTimes = personTimes
        }
    }

    /// One participation, with its event's title and kind.
    public struct Entry: Codable, Sendable, Equatable {
        /// Id of the participation record.
        public var record: MessageID
        public var event: String
        public var title: String
        public var programme: Programme
        public var kind: String
        public var role: String
        public var hours: Double
        public var ledger: Ledger
        public var status: String
        public var start: Date?
        public var end: Date?
        public var site: TopicID?

        public init(record: MessageID, event: String, title: String, programme: Programme, kind: String,
                    role: String, hours: Double, ledger: Ledger, status: String,
                    start: Date? = nil, end: Date? = nil, site: TopicID? = nil) {
            self.record = record
            self.event = event
            self.title = title
            self.programme = programme
            self.kind = kind
            self.role = role
            self.hours = hours
            self.ledger = ledger
            self.status = status
            self.start = start
            self.end = end
            self.site = site
        }
    }

    public var person: String
    public var period: String?
    public var totalHours: Double
    public var byProgramme: [ProgrammeTotal]
    public var records: [Entry]

    public init(person: String, period: String? = nil, totalHours: Double, byProgramme: [ProgrammeTotal], records: [Entry]) {
        self.person = person
        self.period = period
        self.totalHours = totalHours
        self.byProgramme = byProgramme
        self.records = records
    }

    public func validate() throws {
        try Check.id(person, "person")
        try Check.period(period, "period")
        try Check.nonNegative(totalHours, "totalHours")
        try Check.each(byProgramme, "byProgramme") { total in
            try Check.nonNegative(total.hours, "hours")
            try Check.atLeast(total.personTimes, 0, "personTimes")
        }
        try Check.each(records, "records") { entry in
            try Check.id(entry.event, "event")
            try Check.keyword(entry.role, "role")
            try Check.keyword(entry.status, "status")
            try Check.nonNegative(entry.hours, "hours")
        }
    }
}
