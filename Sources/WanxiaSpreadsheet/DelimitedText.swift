import Foundation

/// A CSV or TSV file as Excel and WPS save it: UTF-8 with or without a BOM, CRLF or LF line ends,
/// fields in double quotes with `""` for a quote (and line breaks allowed inside quotes).
///
/// The delimiter is a tab if the first line holds one, else a comma (a Chinese comma `，` in the
/// header is not a delimiter). Each record keeps the line number it starts on, for reports; records
/// whose fields are all blank (the trailing `,,,` rows spreadsheets write) are skipped. The
/// registrar's roll and the volunteers service's talent pool are both imported through it.
public struct DelimitedText: Sendable {
    public struct Line: Sendable {
        /// 1-based line number in the file where the record starts.
        public var number: Int
        public var fields: [String]

        /// The field in `column`, trimmed; nil when the column is absent, the line is short, or
        /// the field is blank.
        public func field(_ column: Int?) -> String? {
            guard let column, column < fields.count else { return nil }
            let value = fields[column].trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
    }

    /// The file cannot be read as a table; `message` tells the clerk how to save it instead.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public var delimiter: Character
    public var lines: [Line]

    /// Parses `data`; throws `Failure` if it is not UTF-8 or a quote is never closed.
    public init(data: Data) throws(Failure) {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw Failure(message: "the file is UTF-16; save it as \"CSV UTF-8\" (Excel) or UTF-8 text (WPS)")
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw Failure(message: "the file is not UTF-8 (GBK?); save it as \"CSV UTF-8\" (Excel) or UTF-8 text (WPS)")
        }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        delimiter = firstLine.contains("\t") ? "\t" : ","
        lines = []

        var fields: [String] = []
        var field = ""
        var quoted = false
        var fieldStarted = false
        var line = 1
        var recordLine = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func endRecord() {
            fields.append(field)
            if fields.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                lines.append(Line(number: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldStarted = false
        }
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    if character == "\n" || character == "\r\n" || character == "\r" {
                        line += 1
                        field.append("\n")
                    } else {
                        field.append(character)
                    }
                }
                continue
            }
            switch character {
            case "\"" where !fieldStarted:
                quoted = true
                fieldStarted = true
            case delimiter:
                fields.append(field)
                field = ""
                fieldStarted = false
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(character)
                fieldStarted = true
            }
        }
        if quoted {
            throw Failure(message: "line \(recordLine): a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty {
            endRecord()
        }
    }

    /// The column index of the first header cell naming one of `names` (case-insensitive, trimmed).
    public func column(_ names: [String]) -> Int? {
        guard let header = lines.first else { return nil }
        let wanted = Set(names.map { $0.lowercased() })
        return header.fields.firstIndex { wanted.contains($0.trimmingCharacters(in: .whitespaces).lowercased()) }
    }
}
