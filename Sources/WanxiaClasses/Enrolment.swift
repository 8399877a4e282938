import Foundation
import GRDB
import WanxiaDelivery

/// One person's place in a cohort: applied, enrolled, waiting (with a position) or withdrawn.
public struct Enrolment: Sendable, Equatable {
    /// Where the person stands.
    public enum State: String, Sendable, CaseIterable {
        case applied, enrolled, waiting, withdrawn
    }

    public var cohort: String
    public var person: String
    public var name: String
    public var state: State
    /// Position on the waiting list (1 is next), for `waiting`.
    public var position: Int?
    public var appliedAt: Date
    public var enrolledAt: Date?
    public var withdrawnAt: Date?

    init(row: Row) {
        cohort = row["cohort"]
        person = row["person"]
        name = row["name"]
        state = State(rawValue: row["state"]) ?? .applied
        position = row["position"]
        appliedAt = Date(unixMilliseconds: row["applied_at"])
        enrolledAt = (row["enrolled_at"] as Int64?).map(Date.init(unixMilliseconds:))
        withdrawnAt = (row["withdrawn_at"] as Int64?).map(Date.init(unixMilliseconds:))
    }
}
