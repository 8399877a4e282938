import Foundation

/// Printable brackets, fixture lists, standings and referees' score sheets, as plain text (for a
/// terminal or a notice board printer) and as a self-contained HTML page (秩序册, 成绩公告).
public enum Printout {
    /// The fixtures round by round; a knockout also as a bracket of names.
    public static func fixtures(_ competition: Competition, _ fixtures: [Fixture], names: [String: String]) -> String {
        var lines = ["\(competition.title)  \(competition.kind)  \(competition.format.rawValue)  (seed \(competition.seed))", ""]
        for round in Set(fixtures.map(\.round)).sorted() {
            lines.append("第\(round)轮 Round \(round)")
            for fixture in fixtures.filter({ $0.round == round }) {
                lines.append("  " + pad(fixture.id, 10) + pad(side(fixture.home, fixture.homeFrom, names), 22) + " - "
                             + pad(side(fixture.away, fixture.awayFrom, names, bye: fixture.outcome == .bye), 22) + result(fixture))
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// The standings table.
    public static func standings(_ board: Leaderboard) -> String {
        var lines = ["\(board.title)  成绩 standings  (\(board.status.rawValue); tie-breaks: \(board.tieBreaks.map(\.rawValue).joined(separator: ", ")); seed \(board.seed))", ""]
        lines.append(pad("名次", 6) + pad("编号 id", 14) + pad("名称 name", 20) + pad("成绩 score", 12) + "详情 detail")
        for row in board.rows {
            lines.append(pad("\(row.rank)", 6) + pad(row.entrant, 14) + pad(row.name, 20) + pad(row.score, 12)
                         + row.detail + (row.byLot ? "  (抽签 by lot)" : ""))
        }
        return lines.joined(separator: "\n")
    }

    /// One score sheet per match still to be played (or of `round`): sides, members, boxes to fill.
    public static func scoreSheets(_ competition: Competition, _ fixtures: [Fixture], entrants: [Entrant],
                                   names: [String: String], round: Int? = nil) -> String {
        let byID = Dictionary(uniqueKeysWithValues: entrants.map { ($0.id, $0) })
        let chosen = fixtures.filter { round == nil ? $0.status != .decided : $0.round == round }.filter { $0.away != nil || $0.awayFrom != nil }
        return chosen.map { fixture in
            func members(_ id: String?) -> String {
                guard let id, let entrant = byID[id] else { return "" }
                return entrant.members.map { names[$0] ?? $0 }.joined(separator: "、")
            }
            return """
                ==== \(competition.title) 记分表 score sheet ====
                比赛 match: \(fixture.id)   第\(fixture.round)轮   场地/台 board \(fixture.board)
                主/红 home: \(side(fixture.home, fixture.homeFrom, names))  \(members(fixture.home))
                客/白 away: \(side(fixture.away, fixture.awayFrom, names))  \(members(fixture.away))
                比分 score: 主 ______ : ______ 客      弃权 forfeit: □主 □客
                裁判 referee: ____________   复核 confirmed by: ____________   时间 time: ________

                """
        }.joined(separator: "\n")
    }

    /// A self-contained HTML page with the fixtures (a bracket for a knockout) and the standings.
    public static func html(_ competition: Competition, _ fixtures: [Fixture], _ board: Leaderboard, names: [String: String]) -> String {
        var body = "<h1>\(escape(competition.title))</h1>\n<p>\(escape(competition.kind)) · \(competition.format.rawValue) · seed \(competition.seed)</p>\n"
        if competition.format == .knockout {
            body += "<h2>对阵图 Bracket</h2>\n<div class=\"bracket\">\n"
            for round in Set(fixtures.map(\.round)).sorted() {
                body += "<div class=\"round\"><h3>第\(round)轮</h3>\n"
                for fixture in fixtures.filter({ $0.round == round }) {
                    body += "<div class=\"match\"><span>\(escape(fixture.id))</span>"
                        + "<div class=\"\(fixture.winner == fixture.home && fixture.home != nil ? "won" : "")\">\(escape(side(fixture.home, fixture.homeFrom, names)))</div>"
                        + "<div class=\"\(fixture.winner == fixture.away && fixture.away != nil ? "won" : "")\">\(escape(side(fixture.away, fixture.awayFrom, names, bye: fixture.outcome == .bye)))</div>"
                        + "<em>\(escape(result(fixture)))</em></div>\n"
                }
                body += "</div>\n"
            }
            body += "</div>\n"
        } else if !fixtures.isEmpty {
            body += "<h2>赛程 Fixtures</h2>\n<table><tr><th>轮 round</th><th>编号</th><th>主 home</th><th>客 away</th><th>比分 result</th></tr>\n"
            for fixture in fixtures {
                body += "<tr><td>\(fixture.round)</td><td>\(escape(fixture.id))</td><td>\(escape(side(fixture.home, fixture.homeFrom, names)))</td>"
                    + "<td>\(escape(side(fixture.away, fixture.awayFrom, names, bye: fixture.outcome == .bye)))</td><td>\(escape(result(fixture)))</td></tr>\n"
            }
            body += "</table>\n"
        }
        body += "<h2>成绩 Standings</h2>\n<table><tr><th>名次</th><th>编号</th><th>名称</th><th>成绩</th><th>详情</th></tr>\n"
        for row in board.rows {
            body += "<tr><td>\(row.rank)</td><td>\(escape(row.entrant))</td><td>\(escape(row.name))</td><td>\(escape(row.score))</td>"
                + "<td>\(escape(row.detail))\(row.byLot ? " (抽签)" : "")</td></tr>\n"
        }
        body += "</table>\n<p>Tie-breaks: \(escape(board.tieBreaks.map(\.rawValue).joined(separator: ", ")))</p>\n"
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>\(escape(competition.title))</title>
            <style>
            body{font-family:"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2em}table{border-collapse:collapse}
            td,th{border:1px solid #999;padding:.3em .6em}.bracket{display:flex;gap:1.5em}.round{display:flex;flex-direction:column;justify-content:space-around}
            .match{border:1px solid #999;margin:.3em 0;padding:.3em;min-width:10em}.match span{font-size:.7em;color:#666}.won{font-weight:bold}
            @media print{body{margin:0}}
            </style></head><body>
            \(body)</body></html>
            """
    }

    static func side(_ id: String?, _ from: String?, _ names: [String: String], bye: Bool = false) -> String {
        if let id { return names[id] ?? id }
        if bye { return "轮空 bye" }
        guard let from else { return "?" }
        return (from.hasPrefix("W:") ? "胜者 winner " : "负者 loser ") + from.dropFirst(2)
    }

    static func result(_ fixture: Fixture) -> String {
        switch (fixture.status, fixture.outcome) {
        case (.decided, .bye?): return ""
        case (.decided, .forfeitHome?): return "主弃权 home forfeits"
        case (.decided, .forfeitAway?): return "客弃权 away forfeits"
        case (.decided, _), (.provisional, _):
            let score = "\(fixture.homeScore ?? 0):\(fixture.awayScore ?? 0)"
            return fixture.status == .provisional ? score + " (待确认 unconfirmed)" : score
        default: return ""
        }
    }

    /// Pads to a display width, counting CJK characters as two columns.
    static func pad(_ text: String, _ width: Int) -> String {
        let shown = text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && $1.properties.isIdeographic || (0xFF00...0xFFEF).contains($1.value) ? 2 : 1) }
        return text + String(repeating: " ", count: max(1, width - shown))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
