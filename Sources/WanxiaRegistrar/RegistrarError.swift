import WanxiaContract

/// The one error type of the registrar: its store, queries, imports and operations.
///
/// `code` is stable and machine-readable, `message` names the field or thing and its problem in
/// a sentence an operator can act on, and `underlying` keeps the error that caused it (a GRDB
/// `DatabaseError`, an `MQTTError`, ...). ``rejectCode`` maps the code onto the reply vocabulary.
public struct RegistrarError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownPerson, unknownEvent, unknownGroup, invalidArgument, invalidPeriod
            case notARegistrarDatabase, database, importFailed, unreachable, timeout
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No person with that id is on the roll.
        public static let unknownPerson = Code(.unknownPerson)
        /// No event with that id has been recorded.
        public static let unknownEvent = Code(.unknownEvent)
        /// No events or records belong to that team, cohort, competition, site or event.
        public static let unknownGroup = Code(.unknownGroup)
        /// A caller passed a value that breaks a rule (the message names the field).
        public static let invalidArgument = Code(.invalidArgument)
        /// A period that is not one of the accepted forms.
        public static let invalidPeriod = Code(.invalidPeriod)
        /// The file is missing, or is an SQLite file the registrar did not create.
        public static let notARegistrarDatabase = Code(.notARegistrarDatabase)
        /// SQLite failed; `underlying` holds the `DatabaseError`.
        public static let database = Code(.database)
        /// A people file could not be read at all (not a bad row: a bad file).
        public static let importFailed = Code(.importFailed)
        /// The broker or the registrar could not be reached.
        public static let unreachable = Code(.unreachable)
        /// The registrar did not answer in time.
        public static let timeout = Code(.timeout)

        /// The kebab-case name of the code, e.g. `unknown-person`.
        public var description: String {
            base.rawValue.reduce(into: "") { text, character in
                if character.isUppercase {
                    text += "-" + character.lowercased()
                } else {
                    text.append(character)
                }
            }
        }
    }

    public var code: Code
    /// What went wrong, naming the field or thing and its problem.
    public var message: String
    /// The error that caused this one, if any.
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying {
            return "\(message) (\(underlying))"
        }
        return message
    }

    /// The code sent back in a failed ``QueryReply``.
    public var rejectCode: RejectCode {
        switch code {
        case .unknownPerson: .unknownPerson
        case .unknownEvent: .unknownEvent
        case .invalidArgument, .invalidPeriod: .invalidField
        default: RejectCode(rawValue: code.description)
        }
    }
}
