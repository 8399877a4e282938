/// Result of a `group-participation` query: what a team, cohort, competition, site or event did.
///
/// `personTimes` (人次) counts one person once per event; `distinctPeople` (人) once overall.
public struct GroupParticipation: Codable, Sendable, Equatable, Validatable {
    /// One member's share.
    public struct Member: Codable, Sendable, Equatable {
        public var person: String
        public var personTimes: Int
        public var hours: Double

        public init(person: String, personTimes: Int, hours: Double) {
            self.person = person
            self.personTimes = personTimes
            self.hours = hours
        }
    }

    public var group: GroupRef
    public var period: String?
    public var events: Int
    public var personTimes: Int
    public var distinctPeople: Int
    public var hours: Double
    public var people: [Member]

    public init(group: GroupRef, period: String? = nil, events: Int, personTimes: Int, distinctPeople: Int,
                hours: Double, people: [Member]) {
        self.group = group
        self.period = period
        self.events = events
        self.personTimes = personTimes
        self.distinctPeople = distinctPeople
        self.hours = hours
        self.people = people
    }

    public func validate() throws {
        try Check.id(group.id, "group.id")
        try Check.period(period, "period")
        try Check.atLeast(events, 0, "events")
        try Check.atLeast(personTimes, 0, "personTimes")
        try Check.atLeast(distinctPeople, 0, "distinctPeople")
        try Check.nonNegative(hours, "hours")
        try Check.each(people, "people") { member in
            try Check.id(member.person, "person")
            try Check.atLeast(member.personTimes, 0, "personTimes")
            try Check.nonNegative(member.hours, "hours")
        }
    }
}
