/// What an import of the classes roll did: how many rows went in, and every bad row with its line.
public struct RollImportReport: Sendable, Equatable {
    /// A row that was not imported, and why.
    public struct BadRow: Sendable, Equatable {
        public var line: Int
        public var problem: String
    }

    public var file: String
    public var imported: Int
    public var badRows: [BadRow]

    /// A summary an operator can read, one bad row per line.
    public var text: String {
        (["\(file): \(imported) imported, \(badRows.count) bad row(s)"] + badRows.map { "  line \($0.line): \($0.problem)" })
            .joined(separator: "\n")
    }
}
