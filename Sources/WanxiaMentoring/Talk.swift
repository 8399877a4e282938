import Foundation

/// A school talk (报告会, 宣讲): only the audience size is known, never who was in it.
public struct Talk: Sendable, Equatable, Codable {
    /// The registrar event id; made up (`talk-...`) when nil.
    public var id: String?
    /// In the bureau's words, e.g. 法治教育报告会.
    public var kind: String
    public var title: String
    public var site: String?
    public var start: Date
    public var end: Date
    /// How many young people heard it (person-times, not distinct people).
    public var audience: Int
    /// The mentors (retirees) who spoke.
    public var speakers: [String]

    public init(id: String? = nil, kind: String, title: String, site: String? = nil, start: Date, end: Date,
                audience: Int, speakers: [String]) {
        self.id = id
        self.kind = kind
        self.title = title
        self.site = site
        self.start = start
        self.end = end
        self.audience = audience
        self.speakers = speakers
    }
}
