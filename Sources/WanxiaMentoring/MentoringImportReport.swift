/// What a CSV import did: how many rows went in, and every bad row with its line and problem.
///
/// A youth import also lists the pseudonym given to each imported row, by line, so the identity
/// officer can tell staff which pseudonym to pair (the rows' names are not repeated here).
public struct MentoringImportReport: Sendable, Equatable {
    /// One refused row.
    public struct BadRow: Sendable, Equatable {
        public var line: Int
        public var problem: String
    }

    public var file: String
    public var imported: Int
    public var badRows: [BadRow]
    /// For youth imports: (line, pseudonym) of each imported row.
    public var pseudonyms: [(line: Int, pseudonym: String)] = []

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.file == rhs.file && lhs.imported == rhs.imported && lhs.badRows == rhs.badRows
            && lhs.pseudonyms.map(\.line) == rhs.pseudonyms.map(\.line) && lhs.pseudonyms.map(\.pseudonym) == rhs.pseudonyms.map(\.pseudonym)
    }

    /// A report for people: `导入 imported 12; 错误 bad rows 1` and a line per bad row.
    public var text: String {
        var lines = ["\(file): 导入 imported \(imported); 错误 bad rows \(badRows.count)"]
        lines += pseudonyms.map { "  line \($0.line): \($0.pseudonym)" }
        lines += badRows.map { "  line \($0.line): \($0.problem)" }
        return lines.joined(separator: "\n")
    }
}
