import Foundation

/// The body of an `event` record: an activity, session, match, meeting, talk or exhibition that was
/// held. A later event record with the same `event` id supersedes the earlier version.
public struct EventRecord: Codable, Sendable, Equatable, Validatable {
    /// Counts that are not person-times: audience reached, works, essays, suggestions.
    public struct Counts: Codable, Sendable, Equatable {
        public var audience: Int?
        public var worksSubmitted: Int?
        public var worksSelected: Int?
        public var suggestionsCollected: Int?
        public var suggestionsAdopted: Int?
        public var essays: Int?

        public init(audience: Int? = nil, worksSubmitted: Int? = nil, worksSelected: Int? = nil,
                    suggestionsCollected: Int? = nil, suggestionsAdopted: Int? = nil, essays: Int? = nil) {
            self.audience = audience
            self.worksSubmitted = worksSubmitted
            self.worksSelected = worksSelected
            self.suggestionsCollected = suggestionsCollected
            self.suggestionsAdopted = suggestionsAdopted
            self.essays = essays
        }
    }

    public var event: String
    public var programme: Programme
    /// What kind of event, in the bureau's words: 法律援助进社区, 门球赛, 书记培训班.
    public var kind: String
    public var title: String
    public var site: TopicID?
    public var organiser: String?
    /// The cohort of a session, competition of a match, or team of an activity.
    public var parent: String?
    public var start: Date
    public var end: Date
    public var counts: Counts?

    public init(event: String, programme: Programme, kind: String, title: String, site: TopicID? = nil,
                organiser: String? = nil, parent: String? = nil, start: Date, end: Date, counts: Counts? = nil) {
        self.event = event
        self.programme = programme
        self.kind = kind
        self.title = title
        self.site = site
        self.organiser = organiser
        self.parent = parent
        self.start = start
        self.end = end
        self.counts = counts
    }

    public func validate() throws {
        try Check.id(event, "event")
        try Check.text(kind, "kind", max: 64)
        try Check.text(title, "title")
        try Check.text(organiser, "organiser")
        try Check.id(parent, "parent")
        try Check.order(start: start, end: end, "end")
        if let counts {
            try Check.atLeast(counts.audience, 0, "counts.audience")
            try Check.atLeast(counts.worksSubmitted, 0, "counts.worksSubmitted")
            try Check.atLeast(counts.worksSelected, 0, "counts.worksSelected")
            try Check.atLeast(counts.suggestionsCollected, 0, "counts.suggestionsCollected")
            try Check.atLeast(counts.suggestionsAdopted, 0, "counts.suggestionsAdopted")
            try Check.atLeast(counts.essays, 0, "counts.essays")
        }
    }
}
