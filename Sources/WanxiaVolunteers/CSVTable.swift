import Foundation

/// A CSV or TSV file as Excel and WPS save it: UTF-8 with or without a BOM, CRLF or LF, fields in
/// double quotes with `""` for a quote. The delimiter is a tab if the first line holds one, else a
/// comma. Each row keeps the line number it starts on, for reports.
struct CSVTable {
    struct Line {
        /// 1-based line number where the row starts.
        var number: Int
        var fields: [String]
    }

    var lines: [Line]

    /// Parses `data`; throws ``VolunteersError/Code/importFailed`` if it is not UTF-8 or a quote is never closed.
    init(data: Data) throws {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw VolunteersError(.importFailed, "the file is not UTF-8 (GBK?); save it as \"CSV UTF-8\" (Excel) or UTF-8 text (WPS)")
        }
        let delimiter: Character = text.prefix { !$0.isNewline }.contains("\t") ? "\t" : ","
        lines = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var start = 1
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        characters.removeFirst()
                        field.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    if character.isNewline { line += 1 }
                    field.append(character.isNewline ? "\n" : character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == delimiter {
                fields.append(field)
                field = ""
            } else if character.isNewline {
                fields.append(field)
                if fields.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    lines.append(Line(number: start, fields: fields))
                }
                fields = []
                field = ""
                line += 1
                start = line
            } else {
                field.append(character)
            }
        }
        if quoted { throw VolunteersError(.importFailed, "line \(start): a quoted field is never closed") }
        fields.append(field)
        if fields.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            lines.append(Line(number: start, fields: fields))
        }
    }

    /// The column index for the first header naming one of `names` (case-insensitive, trimmed).
    func column(_ names: [String]) -> Int? {
        guard let header = lines.first else { return nil }
        let wanted = Set(names.map { $0.lowercased() })
        return header.fields.firstIndex { wanted.contains($0.trimmingCharacters(in: .whitespaces).lowercased()) }
    }
}
