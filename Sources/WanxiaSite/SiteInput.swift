import Foundation
import WanxiaContract

/// One line typed at, or sent to, a site agent.
///
/// ```
/// 0012345678                                  a bare card number: check in, or out if already in
/// checkin CARD [ACTIVITY]                     checkout CARD [ACTIVITY]
/// attendance SESSION LEARNER present|late|excused|absent [MARKED-BY]
/// result COMPETITION MATCH HOME AWAY REFEREE [home|away|draw|forfeit-home|forfeit-away]
/// score COMPETITION ENTRANT JUDGE SCORE
/// meeting PAIR MENTOR MINUTES [visit|call|study|other]
/// essay COHORT LEARNER [TITLE ...]
/// confirm ACTIVITY LEADER                     a team leader confirms an activity's hours
/// status | help
/// {"type":"checkin","body":{"activity":"…","card":"…"}}   any observation as one JSON line
/// ```
public enum SiteInput: Equatable, Sendable {
    case swipe(card: String)
    case observation(Observation, programme: Programme, activityNeeded: Bool)
    case status
    case help

    public static let helpText = """
        Lines the site agent understands (one per line):
          CARD                                        swipe: check in, or check out if already in
          checkin CARD [ACTIVITY]    checkout CARD [ACTIVITY]
          attendance SESSION LEARNER present|late|excused|absent [MARKED-BY]
          result COMPETITION MATCH HOME-SCORE AWAY-SCORE REFEREE [home|away|draw|forfeit-home|forfeit-away]
          score COMPETITION ENTRANT JUDGE SCORE
          meeting PAIR MENTOR MINUTES [visit|call|study|other]
          essay COHORT LEARNER [TITLE...]
          confirm ACTIVITY LEADER
          status     help
          {"type": "...", "body": {...}}              any observation as JSON (see Topics/)
        """

    /// Parses a line; throws `SiteError.badInput` naming what is wrong. Returns nil for a blank line
    /// or a comment (`#`).
    public static func parse(_ line: String) throws -> SiteInput? {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty || text.hasPrefix("#") { return nil }
        if text.hasPrefix("{") { return try parseJSON(text) }
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        let command = words[0].lowercased()
        let arguments = Array(words.dropFirst())
        func need(_ count: ClosedRange<Int>, _ usage: String) throws {
            guard count.contains(arguments.count) else { throw SiteError(.badInput, "usage: \(usage)") }
        }
        func number<T: LosslessStringConvertible>(_ text: String, _ field: String) throws -> T {
            guard let value = T(text) else { throw SiteError(.badInput, "\(field) must be a number, got \"\(text)\"") }
            return value
        }
        func choice<T: RawRepresentable>(_ text: String, _ field: String, _ all: [T]) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: text.lowercased()) else {
                throw SiteError(.badInput, "\(field) must be one of \(all.map(\.rawValue).joined(separator: ", ")); got \"\(text)\"")
            }
            return value
        }
        switch command {
        case "checkin", "checkout", "签到", "签退":
            try need(1...2, "\(command) CARD [ACTIVITY]")
            let scan = CardScan(activity: arguments.count > 1 ? arguments[1] : "", card: arguments[0])
            let observation: Observation = (command == "checkin" || command == "签到") ? .checkin(scan) : .checkout(scan)
            return .observation(observation, programme: .volunteers, activityNeeded: arguments.count == 1)
        case "attendance":
            try need(3...4, "attendance SESSION LEARNER present|late|excused|absent [MARKED-BY]")
            let status: AttendanceMark.Status = try choice(arguments[2], "status", AttendanceMark.Status.allCases)
            let mark = AttendanceMark(session: arguments[0], learner: arguments[1], status: status,
                                      markedBy: arguments.count > 3 ? arguments[3] : nil)
            return try checked(.attendance(mark), .classes)
        case "result":
            try need(5...6, "result COMPETITION MATCH HOME-SCORE AWAY-SCORE REFEREE [OUTCOME]")
            let outcome: MatchResult.Outcome? = arguments.count > 5
                ? try choice(arguments[5], "outcome", MatchResult.Outcome.allCases) : nil
            let result = MatchResult(competition: arguments[0], match: arguments[1],
                                     homeScore: try number(arguments[2], "home score"),
                                     awayScore: try number(arguments[3], "away score"),
                                     outcome: outcome, referee: arguments[4])
            return try checked(.matchResult(result), .competitions)
        case "score":
            try need(4...4, "score COMPETITION ENTRANT JUDGE SCORE")
            let score = JudgeScore(competition: arguments[0], entrant: arguments[1], judge: arguments[2],
                                   score: try number(arguments[3], "score"))
            return try checked(.judgeScore(score), .competitions)
        case "meeting":
            try need(3...4, "meeting PAIR MENTOR MINUTES [visit|call|study|other]")
            let mode: MeetingLog.Mode = arguments.count > 3 ? try choice(arguments[3], "mode", MeetingLog.Mode.allCases) : .visit
            let log = MeetingLog(pair: arguments[0], mentor: arguments[1], minutes: try number(arguments[2], "minutes"), mode: mode)
            return try checked(.meetingLog(log), .mentoring)
        case "essay":
            try need(2...64, "essay COHORT LEARNER [TITLE...]")
            let title = arguments.count > 2 ? arguments[2...].joined(separator: " ") : nil
            return try checked(.essay(Essay(cohort: arguments[0], learner: arguments[1], title: title)), .classes)
        case "confirm":
            try need(2...2, "confirm ACTIVITY LEADER")
            let confirmation = Confirmation(activity: arguments[0], leader: arguments[1], decision: .confirm, corrections: [])
            return try checked(.confirmation(confirmation), .volunteers)
        case "status": return .status
        case "help", "?": return .help
        default:
            guard arguments.isEmpty, text.count <= 64, !text.contains("/") else {
                throw SiteError(.badInput, "unknown command \"\(words[0])\"; type help for the list")
            }
            return .swipe(card: text)
        }
    }

    private static func checked(_ observation: Observation, _ programme: Programme) throws -> SiteInput {
        do {
            try observation.validate()
        } catch let error as ContractError {
            throw SiteError(.badInput, error.message)
        }
        return .observation(observation, programme: programme, activityNeeded: false)
    }

    private static func parseJSON(_ text: String) throws -> SiteInput {
        struct Line: Decodable {
            var type: String
            var programme: Programme?
            var body: JSONValue
        }
        do {
            let line = try WanxiaJSON.makeDecoder().decode(Line.self, from: Data(text.utf8))
            let item = RawItem(id: .make(), seq: 1, at: Date(), type: line.type, body: line.body)
            let observation = try item.decode(as: Observation.self).body
            return try checked(observation, line.programme ?? observation.programme)
        } catch let error as SiteError {
            throw error
        } catch let error as ContractError {
            throw SiteError(.badInput, error.message)
        } catch let error as DecodingError {
            throw SiteError(.badInput, "JSON line: \(error.readable)")
        } catch {
            throw SiteError(.badInput, "JSON line: \(error)")
        }
    }
}

extension Observation {
    /// The programme whose service receives this kind of observation.
    public var programme: Programme {
        switch self {
        case .checkin, .checkout, .confirmation: .volunteers
        case .attendance, .essay: .classes
        case .matchResult, .judgeScore: .competitions
        case .meetingLog: .mentoring
        }
    }
}
