import Foundation
import GRDB
import WanxiaDelivery

/// One meeting of a cohort: 第`number`次课 from `start` to `end`.
public struct ClassSession: Sendable, Equatable, Codable {
    /// `{cohort}-s{number}`, e.g. `reading-2025-1-s03`.
    public var id: String
    public var cohort: String
    public var number: Int
    public var start: Date
    public var end: Date
    /// Held on a make-up working day (调休上班).
    public var onMakeUpDay: Bool
    /// When the session closed and its records went out.
    public var closedAt: Date?

    public init(id: String, cohort: String, number: Int, start: Date, end: Date, onMakeUpDay: Bool = false, closedAt: Date? = nil) {
        self.id = id
        self.cohort = cohort
        self.number = number
        self.start = start
        self.end = end
        self.onMakeUpDay = onMakeUpDay
        self.closedAt = closedAt
    }

    /// The session's length in hours.
    public var hours: Double { end.timeIntervalSince(start) / 3600 }

    /// The session id for a cohort's `number`-th session.
    public static func id(cohort: String, number: Int) -> String {
        "\(cohort)-s" + (number < 10 ? "0\(number)" : "\(number)")
    }

    init(row: Row) {
        id = row["id"]
        cohort = row["cohort"]
        number = row["number"]
        start = Date(unixMilliseconds: row["start"])
        end = Date(unixMilliseconds: row["end"])
        onMakeUpDay = row["make_up_day"]
        closedAt = (row["closed_at"] as Int64?).map(Date.init(unixMilliseconds:))
    }

    static func find(_ id: String, in db: Database) throws -> ClassSession? {
        try Row.fetchOne(db, sql: "SELECT * FROM session WHERE id = ?", arguments: [id]).map(ClassSession.init(row:))
    }

    static func all(cohort: String, in db: Database) throws -> [ClassSession] {
        try Row.fetchAll(db, sql: "SELECT * FROM session WHERE cohort = ? ORDER BY number", arguments: [cohort]).map(ClassSession.init(row:))
    }
}
