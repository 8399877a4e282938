/// The outcome of ``RegistrarStore/integrityCheck()``: empty `problems` means the file is sound.
public struct IntegrityReport: Sendable, Equatable, Codable {
    /// One sentence per problem found by SQLite or by the book's own rules.
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var isOK: Bool { problems.isEmpty }
}
