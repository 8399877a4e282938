/// Counts an operator watches, from ``RegistrarStore/statistics()``.
public struct RegistrarStatistics: Sendable, Equatable, Codable {
    /// People on the roll (young people included, as pseudonyms).
    public var people: Int
    public var youth: Int
    /// Distinct events, and all their versions.
    public var events: Int
    public var eventVersions: Int
    /// Participation records, corrections included.
    public var records: Int
    /// Records that supersede another.
    public var corrections: Int
    /// Rejected messages kept by the inbox, or nil if the file has no inbox tables.
    public var rejects: Int?
    /// Size of the database file and its WAL, in bytes.
    public var fileBytes: Int64

    public init(people: Int, youth: Int, events: Int, eventVersions: Int, records: Int, corrections: Int,
                rejects: Int?, fileBytes: Int64) {
        self.people = people
        self.youth = youth
        self.events = events
        self.eventVersions = eventVersions
        self.records = records
        self.corrections = corrections
        self.rejects = rejects
        self.fileBytes = fileBytes
    }
}
