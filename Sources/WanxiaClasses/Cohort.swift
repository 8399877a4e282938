import Foundation
import GRDB
import WanxiaDelivery
import WanxiaContract

/// A cohort (期) of a class: where and by whom it is taught, how many places it has, when it meets
/// and what completes it.
public struct Cohort: Sendable, Equatable {
    public var id: String
    /// The class (course) id, e.g. `reading`.
    public var course: String
    /// The class kind in the bureau's words: 读书班, 书记培训班, 太极拳培训.
    public var kind: String
    /// The class's title: 党史读书班.
    public var title: String
    /// The cohort's name: 第1期, 2025年春季.
    public var name: String
    public var site: TopicID
    /// The teacher's person id (on the roll).
    public var teacher: String
    /// Places; more applicants than this go to a lottery or the waiting list.
    public var capacity: Int
    public var recurrence: RecurrenceRule?
    public var completion: CompletionRule
    public var closedAt: Date?

    public init(id: String, course: String, kind: String = "", title: String = "", name: String, site: TopicID,
                teacher: String, capacity: Int, recurrence: RecurrenceRule? = nil, completion: CompletionRule = CompletionRule(),
                closedAt: Date? = nil) {
        self.id = id
        self.course = course
        self.kind = kind
        self.title = title
        self.name = name
        self.site = site
        self.teacher = teacher
        self.capacity = capacity
        self.recurrence = recurrence
        self.completion = completion
        self.closedAt = closedAt
    }

    /// `党史读书班（第1期）`.
    public var fullTitle: String { "\(title)（\(name)）" }

    init(row: Row) throws {
        id = row["id"]
        course = row["course"]
        kind = row["kind"]
        title = row["title"]
        name = row["name"]
        site = try TopicID(validating: row["site"])
        teacher = row["teacher"]
        capacity = row["capacity"]
        let decoder = JSONDecoder()
        recurrence = try (row["recurrence"] as String?).map { try decoder.decode(RecurrenceRule.self, from: Data($0.utf8)) }
        completion = try decoder.decode(CompletionRule.self, from: Data((row["completion"] as String).utf8))
        closedAt = (row["closed_at"] as Int64?).map(Date.init(unixMilliseconds:))
    }

    /// The cohort with this id, with its course's kind and title, or nil.
    static func find(_ id: String, in db: Database) throws -> Cohort? {
        try Row.fetchOne(db, sql: """
            SELECT cohort.*, course.kind, course.title FROM cohort JOIN course ON course.id = cohort.course WHERE cohort.id = ?
            """, arguments: [id]).map(Cohort.init(row:))
    }

    /// Every cohort, by id.
    static func all(in db: Database) throws -> [Cohort] {
        try Row.fetchAll(db, sql: """
            SELECT cohort.*, course.kind, course.title FROM cohort JOIN course ON course.id = cohort.course ORDER BY cohort.id
            """).map(Cohort.init(row:))
    }
}
