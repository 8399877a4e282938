import Foundation
import WanxiaContract

/// A file of card swipes exported by a card reader: one swipe per line,
/// `TIME,CARD[,ACTIVITY][,in|out]`. TIME is RFC 3339 (`2023-05-12T09:01:07+08:00`) or
/// `2023-05-12 09:01:07` in China Standard Time. A header line, blank lines and `#` comments are
/// skipped; a UTF-8 byte-order mark is ignored.
public enum SwipeFile {
    public struct Swipe: Sendable, Equatable {
        public var at: Date
        public var card: String
        public var activity: String
        public var checkout: Bool
    }

    /// What an import did, row by row.
    public struct Report: Sendable, Equatable {
        public var imported: Int
        /// Line number (from 1) and what is wrong with it.
        public var bad: [(line: Int, problem: String)]

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.imported == rhs.imported && lhs.bad.map(\.line) == rhs.bad.map(\.line) && lhs.bad.map(\.problem) == rhs.bad.map(\.problem)
        }
    }

    public static func parse(_ text: String, defaultActivity: String?) -> (swipes: [Swipe], report: Report) {
        var swipes: [Swipe] = []
        var bad: [(Int, String)] = []
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        for (index, raw) in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if index == 0, fields.first.map({ parseTime($0) == nil && !$0.isEmpty && $0.first!.isLetter }) == true { continue }
            guard fields.count >= 2, fields.count <= 4 else {
                bad.append((index + 1, "expected TIME,CARD[,ACTIVITY][,in|out], found \(fields.count) fields"))
                continue
            }
            guard let at = parseTime(fields[0]) else {
                bad.append((index + 1, "time \"\(fields[0])\" is not like 2023-05-12 09:01:07 or 2023-05-12T09:01:07+08:00"))
                continue
            }
            guard !fields[1].isEmpty else { bad.append((index + 1, "the card is empty")); continue }
            let activity = fields.count > 2 && !fields[2].isEmpty ? fields[2] : defaultActivity
            guard let activity else {
                bad.append((index + 1, "no activity: add one to the row or give --activity"))
                continue
            }
            var checkout = false
            if fields.count > 3 {
                switch fields[3].lowercased() {
                case "in", "签到", "": checkout = false
                case "out", "签退": checkout = true
                default:
                    bad.append((index + 1, "direction \"\(fields[3])\" must be in or out"))
                    continue
                }
            }
            swipes.append(Swipe(at: at, card: fields[1], activity: activity, checkout: checkout))
        }
        return (swipes, Report(imported: swipes.count, bad: bad))
    }

    static func parseTime(_ text: String) -> Date? {
        if let date = try? RFC3339.date(from: text) { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = WanxiaJSON.defaultTimeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: text)
    }
}
