/// The one error type of the competitions service: its store, imports and admin operations.
///
/// `code` is stable and machine-readable; `message` names the field or thing and its problem in a
/// sentence an operator can act on; `underlying` keeps the error that caused it. Inside the inbox,
/// refusals of observations are `Rejection`s instead (see ``CompetitionsIngest``).
public struct CompetitionsError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidArgument, notFound, notAllowed, importFailed, database
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A value breaks a rule; the message names the field.
        public static let invalidArgument = Code(.invalidArgument)
        /// No such competition, entrant, match, person or work.
        public static let notFound = Code(.notFound)
        /// The competition's state does not allow it (registration closed, full, already drawn...).
        public static let notAllowed = Code(.notAllowed)
        /// A CSV file could not be read at all (a bad row is reported, not thrown).
        public static let importFailed = Code(.importFailed)
        /// SQLite failed; `underlying` holds the `DatabaseError`.
        public static let database = Code(.database)

        public var description: String {
            switch base {
            case .invalidArgument: "invalid-argument"
            case .notFound: "not-found"
            case .notAllowed: "not-allowed"
            case .importFailed: "import-failed"
            case .database: "database"
            }
        }
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        underlying.map { "\(message) (\($0))" } ?? message
    }
}
