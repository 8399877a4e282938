import Foundation

/// What a programme service tells the registrar; the body of a ``RecordBatch`` item.
public enum Record: ItemBody {
    /// `person`: a participant (a later version with the same person id supersedes the earlier).
    case person(PersonRecord)
    /// `event`: something held (a later version with the same event id supersedes the earlier).
    case event(EventRecord)
    /// `participation`: one person's part in one event.
    case participation(ParticipationRecord)

    /// Every record type, as written in `type`.
    public static let types = ["person", "event", "participation"]

    public var type: String {
        switch self {
        case .person: "person"
        case .event: "event"
        case .participation: "participation"
        }
    }

    public init(type: String, from decoder: any Decoder) throws {
        switch type {
        case "person": self = .person(try PersonRecord(from: decoder))
        case "event": self = .event(try EventRecord(from: decoder))
        case "participation": self = .participation(try ParticipationRecord(from: decoder))
        default: throw Self.unknownType(type, decoder, known: Self.types)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .person(let body): try body.encode(to: encoder)
        case .event(let body): try body.encode(to: encoder)
        case .participation(let body): try body.encode(to: encoder)
        }
    }

    /// A participation record, one per check-out or attendance, is written by hand; the rarer
    /// person and event records by the encoder.
    public func canonicalJSON() throws -> Data? {
        switch self {
        case .participation(let body): try body.canonicalJSON()
        case .person, .event: nil
        }
    }

    public func validate() throws {
        switch self {
        case .person(let body): try body.validate()
        case .event(let body): try body.validate()
        case .participation(let body): try body.validate()
        }
    }
}
