import Foundation

/// Any client to the registrar: a question about the book of record.
///
/// Publish it on `Topic.query(client:)` after subscribing to `Topic.reply(client:)`; the reply echoes
/// `requestId`, so plain MQTT 3.1.1 is enough. Each query needs its own argument: `person-history`
/// a `person`, `group-participation` a `group`, `period-totals` a `period`.
public struct QueryRequest: Codable, Sendable, Equatable, Validatable {
    /// The question asked.
    public enum Query: String, Codable, Sendable, CaseIterable {
        /// One person's records and hours (result: ``PersonHistory``).
        case personHistory = "person-history"
        /// A group's events, person-times, people and hours (result: ``GroupParticipation``).
        case groupParticipation = "group-participation"
        /// A period's figures by programme and kind (result: ``PeriodTotals``).
        case periodTotals = "period-totals"
    }

    public var v: SchemaVersion = .current
    /// Chosen by the client, 1-64 of A-Z a-z 0-9 . _ : -; echoed in the reply.
    public var requestId: String
    public var query: Query
    public var person: String?
    public var group: GroupRef?
    /// `2023`, `2023H1`, `2023上半年`, `2023Q2`, `2023-05` or `2023-01-01..2023-06-30`.
    public var period: String?
    public var programme: Programme?
    /// Answer as the book stood at this time.
    public var asOf: Date?

    public init(requestId: String, query: Query, person: String? = nil, group: GroupRef? = nil,
                period: String? = nil, programme: Programme? = nil, asOf: Date? = nil) {
        self.requestId = requestId
        self.query = query
        self.person = person
        self.group = group
        self.period = period
        self.programme = programme
        self.asOf = asOf
    }

    public func validate() throws {
        try Self.checkRequestID(requestId)
        try Check.id(person, "person")
        if let group { try Check.id(group.id, "group.id") }
        try Check.period(period, "period")
        switch query {
        case .personHistory where person == nil:
            throw ContractError(.invalidField, field: "person", "is required for a person-history query")
        case .groupParticipation where group == nil:
            throw ContractError(.invalidField, field: "group", "is required for a group-participation query")
        case .periodTotals where period == nil:
            throw ContractError(.invalidField, field: "period", "is required for a period-totals query")
        default:
            break
        }
    }

    static func checkRequestID(_ requestId: String) throws {
        let ok = (1...64).contains(requestId.utf8.count) && requestId.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "._:-".utf8.contains(byte)
        }
        guard ok else {
            throw ContractError(.invalidField, field: "requestId", "\"\(requestId)\" must be 1-64 of A-Z a-z 0-9 . _ : -")
        }
    }
}
