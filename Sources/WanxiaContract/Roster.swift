import Foundation

/// Service to site, retained: the activities a site runs for a programme and the people whose cards
/// it may accept, so that a kiosk can check cards while offline.
public struct Roster: Codable, Sendable, Equatable, Validatable {
    /// An activity the site runs.
    public struct Activity: Codable, Sendable, Equatable {
        public var activity: String
        public var title: String
        public var start: Date
        public var end: Date

        public init(activity: String, title: String, start: Date, end: Date) {
            self.activity = activity
            self.title = title
            self.start = start
            self.end = end
        }
    }

    /// A person whose card the site may accept, and for which activities.
    public struct Person: Codable, Sendable, Equatable {
        public var card: String
        public var person: String
        /// Name shown on the kiosk screen.
        public var displayName: String
        public var activities: [String]

        public init(card: String, person: String, displayName: String, activities: [String]) {
            self.card = card
            self.person = person
            self.displayName = displayName
            self.activities = activities
        }
    }

    public var v: SchemaVersion = .current
    public var programme: Programme
    public var site: TopicID
    public var updatedAt: Date
    public var activities: [Activity]
    public var people: [Person]

    public init(programme: Programme, site: TopicID, updatedAt: Date = Date(), activities: [Activity], people: [Person]) {
        self.programme = programme
        self.site = site
        self.updatedAt = updatedAt
        self.activities = activities
        self.people = people
    }

    public func validate() throws {
        try Check.each(activities, "activities") { activity in
            try Check.id(activity.activity, "activity")
            try Check.text(activity.title, "title")
            try Check.order(start: activity.start, end: activity.end, "end")
        }
        try Check.each(people, "people") { person in
            try Check.id(person.card, "card")
            try Check.id(person.person, "person")
            try Check.text(person.displayName, "displayName")
            try Check.each(person.activities, "activities") { try Check.id($0, "") }
        }
    }
}
