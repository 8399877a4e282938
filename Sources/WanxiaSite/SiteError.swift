/// What can go wrong in a site agent, with a sentence for the person at the kiosk or the operator.
public struct SiteError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// A line or a swipe file row that can't be read.
        public static let badInput = Code("bad-input")
        /// The agent's configuration is wrong.
        public static let configuration = Code("configuration")
        /// The observation could not be stored (a full disk, a broken file): it was NOT recorded.
        public static let notStored = Code("not-stored")
        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
