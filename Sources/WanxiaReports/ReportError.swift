/// The one error type of reports and certificates.
///
/// `code` is stable and machine-readable; `message` names the option, field or thing and its
/// problem in a sentence bureau staff can act on; `underlying` keeps the cause (a GRDB
/// `DatabaseError`, a ``WanxiaRegistrar/RegistrarError``).
public struct ReportError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidArgument, unknownPerson, notEligible, noRecords, database, unknownCertificate
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A caller passed a value that breaks a rule (the message names the option or field).
        public static let invalidArgument = Code(.invalidArgument)
        /// No person with that id is on the registrar's roll.
        public static let unknownPerson = Code(.unknownPerson)
        /// The person may not receive a certificate (a young person).
        public static let notEligible = Code(.notEligible)
        /// The person has no volunteer service hours in the period.
        public static let noRecords = Code(.noRecords)
        /// A file could not be opened, read or written; `underlying` says why.
        public static let database = Code(.database)
        /// No certificate with that number was issued from this register.
        public static let unknownCertificate = Code(.unknownCertificate)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// What went wrong, naming the option, field or thing and its problem.
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
}
