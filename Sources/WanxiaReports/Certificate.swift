import Foundation

/// A volunteer-hour certificate (志愿服务证明): one person's volunteer service records in a period,
/// their total hours, who issued it and when.
///
/// Which records count (docs/reports.md, "Certificates"): the person's effective records of the
/// volunteer teams programme that count as taking part, and their hours as mentors at youth
/// mentoring meetings (status `met`), both with hours above 0. ``fingerprint`` is SHA-256 over the
/// canonical list of record ids and hours, so a later correction is noticed on verification.
public struct Certificate: Codable, Sendable, Equatable {
    /// One record on the certificate.
    public struct Entry: Codable, Sendable, Equatable {
        public var record: String
        /// When the activity started.
        public var date: Date
        /// The activity's site id, as recorded.
        public var place: String?
        /// The activity's title.
        public var activity: String
        /// The activity's kind in the bureau's words.
        public var kind: String
        public var hours: Double
    }

    public var number: String
    public var person: String
    public var name: String
    public var unit: String?
    /// The period's ASCII form (`2023H1`), or `all` for the whole record.
    public var period: String
    public var from: Date?
    public var to: Date?
    public var entries: [Entry]
    public var totalHours: Double
    public var issuer: String
    public var issuedOn: Date
    public var fingerprint: String

    /// SHA-256 over `record<TAB>hours` lines, records sorted, hours to 1/100.
    public static func fingerprint(_ entries: [Entry]) -> String {
        let lines = entries.sorted { $0.record < $1.record }
            .map { $0.record + "\t" + String(format: "%.2f", $0.hours) + "\n" }
        return SHA256.hex(lines.joined())
    }
}
