import Foundation
import GRDB
import WanxiaDelivery

/// What the operational file knows about a young person: pseudonym, age band, consent, deletion.
public struct YouthSummary: Sendable, Equatable, Codable {
    public var pseudonym: String
    public var ageBand: String?
    public var enrolledAt: Date
    public var consentAt: Date?
    /// `guardian` or `self`.
    public var consentBy: String?
    /// When the real identity was deleted on request, if it was.
    public var identityDeletedAt: Date?

    init(row: Row) {
        pseudonym = row["pseudonym"]
        ageBand = row["age_band"]
        enrolledAt = Date(unixMilliseconds: row["enrolled_at"])
        consentAt = (row["consent_at"] as Int64?).map(Date.init(unixMilliseconds:))
        consentBy = row["consent_by"]
        identityDeletedAt = (row["identity_deleted_at"] as Int64?).map(Date.init(unixMilliseconds:))
    }
}
