/// Escaping for text placed in HTML and SVG (element content and quoted attribute values).
enum HTMLText {
    /// `text` with `& < > " '` replaced by entities.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// The inline stylesheet shared by reports and certificates: A4 pages, CJK fonts, print rules.
    static let baseStyle = """
        @page { size: A4; margin: 16mm 15mm 18mm 15mm; }
        * { box-sizing: border-box; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimSun", sans-serif;
               color: #1a1a1a; font-size: 10.5pt; line-height: 1.55; margin: 0 auto; max-width: 180mm; padding: 8mm 0; }
        h1 { font-size: 18pt; text-align: center; margin: 0 0 4mm; letter-spacing: 0.05em; }
        h2 { font-size: 12.5pt; border-left: 4px solid #b3261e; padding-left: 3mm; margin: 7mm 0 3mm; }
        p.meta { text-align: center; color: #555; margin: 0; }
        table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; page-break-inside: avoid; break-inside: avoid; }
        caption { text-align: left; font-weight: bold; padding: 1mm 0; }
        th, td { border: 1px solid #999; padding: 1.2mm 2.5mm; }
        th { background: #f2e9e4; font-weight: bold; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        figure { margin: 3mm 0 5mm; page-break-inside: avoid; break-inside: avoid; }
        figcaption { font-weight: bold; margin-bottom: 1mm; }
        svg text { font-family: inherit; }
        @media print { body { padding: 0; } a { color: inherit; text-decoration: none; } h2 { break-after: avoid; } }
        """
}
