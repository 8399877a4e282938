import Foundation
import WanxiaContract

/// Small JSON writing helpers for the bad-input corpus: the corpus writes JSON as text so it can
/// also write it wrong.
enum BadInputJSON {
    /// `text` as a JSON string literal; non-ASCII is written as UTF-8, controls as `\u00XX`.
    static func string(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON object from keys and pre-rendered values, in the order given; nil values are left out.
    static func object(_ fields: [(String, String?)]) -> String {
        "{" + fields.compactMap { key, value in value.map { "\(string(key)):\($0)" } }.joined(separator: ",") + "}"
    }

    /// A time as a JSON string in China Standard Time, whole seconds.
    static func time(_ date: Date) -> String {
        string(RFC3339.string(from: date))
    }

    /// A number as JSON (integers without a fraction).
    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
