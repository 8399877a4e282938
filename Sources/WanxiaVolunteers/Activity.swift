import Foundation
import WanxiaDelivery
import GRDB
import WanxiaContract

/// A planned service activity: a team's work at one site in a time window.
public struct Activity: Sendable, Equatable, Codable {
    public var id: String
    public var team: String
    /// What kind of service, in the bureau's words: 法律援助进社区.
    public var kind: String
    public var title: String
    public var site: TopicID
    public var start: Date
    public var end: Date
    /// When the activity was closed (forgotten check-outs closed), if it was.
    public var closedAt: Date?

    public init(id: String, team: String, kind: String, title: String, site: TopicID, start: Date, end: Date, closedAt: Date? = nil) {
        self.id = id
        self.team = team
        self.kind = kind
        self.title = title
        self.site = site
        self.start = start
        self.end = end
        self.closedAt = closedAt
    }

    /// The window as an interval.
    public var window: DateInterval { DateInterval(start: start, end: end) }

    /// The activity's length in seconds.
    public var length: TimeInterval { end.timeIntervalSince(start) }

    init(row: Row) throws {
        id = row["id"]
        team = row["team"]
        kind = row["kind"]
        title = row["title"]
        site = try TopicID(validating: row["site"])
        start = Date(unixMilliseconds: row["start"])
        end = Date(unixMilliseconds: row["end"])
        closedAt = (row["closed_at"] as Int64?).map(Date.init(unixMilliseconds:))
    }

    /// The activity with this id, or nil.
    static func find(_ id: String, in db: Database) throws -> Activity? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM activity WHERE id = ?"), arguments: [id]).map(Activity.init(row:))
    }

    /// Every activity, by start.
    static func all(in db: Database) throws -> [Activity] {
        try Row.fetchAll(db, sql: "SELECT * FROM activity ORDER BY start, id").map(Activity.init(row:))
    }

    /// The `event` record for the registrar: programme volunteers, organiser and parent the team.
    func eventRecord(teamName: String?) -> EventRecord {
        EventRecord(event: id, programme: .volunteers, kind: kind, title: title, site: site,
                    organiser: teamName ?? team, parent: team, start: start, end: end)
    }
}
