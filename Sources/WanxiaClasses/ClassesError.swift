/// The one error type of the classes service: its store, imports and admin operations.
///
/// `code` is stable and machine-readable; `message` names the field or thing and its problem in a
/// sentence an operator can act on; `underlying` keeps the error that caused it. Inside the inbox,
/// refusals of observations are `Rejection`s instead (see ``ClassesIngest``).
public struct ClassesError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidArgument, notFound, conflict, importFailed, database
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A value breaks a rule; the message names the field.
        public static let invalidArgument = Code(.invalidArgument)
        /// No such class, cohort, session, learner or lottery.
        public static let notFound = Code(.notFound)
        /// The change contradicts the state: a lottery already drawn, sessions already held, a cohort closed.
        public static let conflict = Code(.conflict)
        /// A CSV file could not be read at all (a bad row is reported, not thrown).
        public static let importFailed = Code(.importFailed)
        /// SQLite failed; `underlying` holds the `DatabaseError`.
        public static let database = Code(.database)

        public var description: String {
            switch base {
            case .invalidArgument: "invalid-argument"
            case .notFound: "not-found"
            case .conflict: "conflict"
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
