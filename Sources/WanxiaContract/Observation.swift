/// What a site saw, sent to a programme service; the body of an ``ObservationBatch`` item.
public enum Observation: ItemBody {
    /// `checkin`: a card read when someone arrives at an activity.
    case checkin(CardScan)
    /// `checkout`: a card read when someone leaves an activity.
    case checkout(CardScan)
    /// `attendance`: a class attendance mark.
    case attendance(AttendanceMark)
    /// `match-result`: a referee's result of a match.
    case matchResult(MatchResult)
    /// `judge-score`: a judge's score for an entrant.
    case judgeScore(JudgeScore)
    /// `meeting-log`: a mentoring meeting.
    case meetingLog(MeetingLog)
    /// `essay`: an essay handed in.
    case essay(Essay)
    /// `confirmation`: a team leader confirms or corrects an activity's hours.
    case confirmation(Confirmation)

    /// Every observation type, as written in `type`.
    public static let types = ["checkin", "checkout", "attendance", "match-result", "judge-score",
                               "meeting-log", "essay", "confirmation"]

    public var type: String {
        switch self {
        case .checkin: "checkin"
        case .checkout: "checkout"
        case .attendance: "attendance"
        case .matchResult: "match-result"
        case .judgeScore: "judge-score"
        case .meetingLog: "meeting-log"
        case .essay: "essay"
        case .confirmation: "confirmation"
        }
    }

    public init(type: String, from decoder: any Decoder) throws {
        switch type {
        case "checkin": self = .checkin(try CardScan(from: decoder))
        case "checkout": self = .checkout(try CardScan(from: decoder))
        case "attendance": self = .attendance(try AttendanceMark(from: decoder))
        case "match-result": self = .matchResult(try MatchResult(from: decoder))
        case "judge-score": self = .judgeScore(try JudgeScore(from: decoder))
        case "meeting-log": self = .meetingLog(try MeetingLog(from: decoder))
        case "essay": self = .essay(try Essay(from: decoder))
        case "confirmation": self = .confirmation(try Confirmation(from: decoder))
        default: throw Self.unknownType(type, decoder, known: Self.types)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .checkin(let body), .checkout(let body): try body.encode(to: encoder)
        case .attendance(let body): try body.encode(to: encoder)
        case .matchResult(let body): try body.encode(to: encoder)
        case .judgeScore(let body): try body.encode(to: encoder)
        case .meetingLog(let body): try body.encode(to: encoder)
        case .essay(let body): try body.encode(to: encoder)
        case .confirmation(let body): try body.encode(to: encoder)
        }
    }

    public func validate() throws {
        switch self {
        case .checkin(let body), .checkout(let body): try body.validate()
        case .attendance(let body): try body.validate()
        case .matchResult(let body): try body.validate()
        case .judgeScore(let body): try body.validate()
        case .meetingLog(let body): try body.validate()
        case .essay(let body): try body.validate()
        case .confirmation(let body): try body.validate()
        }
    }
}
