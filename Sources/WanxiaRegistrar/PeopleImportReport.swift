/// What an import of a people file did: how many people it stored and every row it refused.
public struct PeopleImportReport: Sendable, Equatable, Codable {
    /// A refused row: its line number in the file and why.
    public struct BadRow: Sendable, Equatable, Codable, CustomStringConvertible {
        public var line: Int
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }

        public var description: String { "line \(line): \(reason)" }
    }

    /// People added or updated (in one transaction, together).
    public var imported: Int
    public var badRows: [BadRow]

    public init(imported: Int, badRows: [BadRow]) {
        self.imported = imported
        self.badRows = badRows
    }

    /// The report as lines for people: a summary, then one line per bad row.
    public var text: String {
        var lines = ["imported \(imported) people; \(badRows.count) bad rows"]
        lines += badRows.map { "  \($0)" }
        return lines.joined(separator: "\n")
    }
}
