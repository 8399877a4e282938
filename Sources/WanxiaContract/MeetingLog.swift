/// The body of a `meeting-log` observation: a mentoring meeting of a pair.
///
/// It has no free-text field, and decoding refuses any field not listed here: a note could name the
/// young person. The pair id is pseudonymous.
public struct MeetingLog: Codable, Sendable, Equatable, Validatable {
    /// How the pair met.
    public enum Mode: String, Codable, Sendable, CaseIterable {
        case visit, call, study, other
    }

    /// Pseudonymous id of the mentoring pair.
    public var pair: String
    public var mentor: String
    /// Length of the meeting, 1...1440 minutes.
    public var minutes: Int
    public var mode: Mode

    public init(pair: String, mentor: String, minutes: Int, mode: Mode) {
        self.pair = pair
        self.mentor = mentor
        self.minutes = minutes
        self.mode = mode
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case pair, mentor, minutes, mode
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pair = try container.decode(String.self, forKey: .pair)
        mentor = try container.decode(String.self, forKey: .mentor)
        minutes = try container.decode(Int.self, forKey: .minutes)
        mode = try container.decode(Mode.self, forKey: .mode)
    }

    public func validate() throws {
        try Check.id(pair, "pair")
        try Check.id(mentor, "mentor")
        try Check.range(minutes, 1...1440, "minutes")
    }
}
