/// What a CSV import did: how many rows went in, and every bad row with its line and problem.
public struct ImportReport: Sendable, Equatable {
    /// One refused row.
    public struct BadRow: Sendable, Equatable {
        public var line: Int
        public var problem: String
    }

    public var file: String
    public var imported: Int
    public var badRows: [BadRow]

    /// A report for people: `导入 imported 12; 错误 bad rows 1` and a line per bad row.
    public var text: String {
        var lines = ["\(file): 导入 imported \(imported); 错误 bad rows \(badRows.count)"]
        lines += badRows.map { "  line \($0.line): \($0.problem)" }
        return lines.joined(separator: "\n")
    }
}
