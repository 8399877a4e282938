import Foundation
import GRDB
import WanxiaDelivery

/// A mentoring pair: one mentor (a retiree's person id) and one young person (a pseudonym).
///
/// A young person may have several mentors and a mentor several young people; only one pair per
/// (mentor, young person) may be open (not closed) at a time.
public struct Pair: Sendable, Equatable, Codable {
    public var id: String
    public var mentor: String
    /// The young person's pseudonym (`Y-...`).
    public var youth: String
    public var kind: PairKind
    public var state: PairState
    public var proposedAt: Date
    /// When it first became active (its registrar event's time), if it has.
    public var activatedAt: Date?
    public var closedAt: Date?
    /// The closure reason's code, once closed.
    public var closureReason: String?

    init(row: Row) {
        id = row["id"]
        mentor = row["mentor"]
        youth = row["youth"]
        kind = PairKind(rawValue: row["kind"]) ?? .other
        state = PairState(rawValue: row["state"]) ?? .proposed
        proposedAt = Date(unixMilliseconds: row["proposed_at"])
        activatedAt = (row["activated_at"] as Int64?).map(Date.init(unixMilliseconds:))
        closedAt = (row["closed_at"] as Int64?).map(Date.init(unixMilliseconds:))
        closureReason = row["closure_reason"]
    }

    static func find(_ id: String, in db: Database) throws -> Pair? {
        try Row.fetchOne(db, sql: "SELECT * FROM pair WHERE id = ?", arguments: [id]).map(Pair.init(row:))
    }
}
