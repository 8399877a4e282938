import Foundation

/// A report as one self-contained, printable HTML page (A4), with inline CSS and SVG charts.
///
/// Charts: hours by month and person-times by programme. Every string from the book (kinds, titles)
/// is escaped. No scripts, fonts or images are loaded from anywhere.
struct HTMLReport: Sendable {
    var layout: ReportLayout
    var timeZone: TimeZone

    var html: String {
        let zh = layout.language == .zh
        let numbers = ReportNumbers(language: layout.language, timeZone: timeZone)
        let report = layout.report
        var body = "<h1>\(HTMLText.escape(layout.title))</h1>\n"
        body += layout.lines.map { "<p class=\"meta\">\(HTMLText.escape($0))</p>\n" }.joined()
        body += "<h2>\(zh ? "综述" : "Summary")</h2>\n<p class=\"summary\">"
            + HTMLText.escape(layout.narrative.joined(separator: zh ? "" : " ")) + "</p>\n"

        let monthsTitle = zh ? "各月时长（小时）" : "Hours by month"
        let monthBars = report.hoursByMonth.map {
            SVGChart.Bar(label: numbers.month($0.month, short: report.hoursByMonth.count <= 12), value: $0.hours, text: numbers.hours($0.hours))
        }
        let programmesTitle = zh ? "各项目参与人次" : "Person-times by programme"
        let overview = layout.tables.first { $0.id == "overview" }
        let programmeBars = zip(overview?.rows.prefix(4) ?? [], [report.volunteers.personTimes, report.mentoring.personTimes,
                                                                 report.competitions.personTimes, report.classes.trainedPersonTimes])
            .map { SVGChart.Bar(label: $0[0], value: Double($1), text: numbers.count($1)) }
        body += "<h2>\(zh ? "图表" : "Charts")</h2>\n"
        body += "<figure><figcaption>\(HTMLText.escape(monthsTitle))</figcaption>"
            + SVGChart(title: monthsTitle, bars: monthBars).columns() + "</figure>\n"
        body += "<figure><figcaption>\(HTMLText.escape(programmesTitle))</figcaption>"
            + SVGChart(title: programmesTitle, bars: programmeBars).rows() + "</figure>\n"

        for table in layout.tables {
            body += "<h2 id=\"\(HTMLText.escape(table.id))\">\(HTMLText.escape(table.caption))</h2>\n"
            if table.rows.isEmpty {
                body += "<p>\(zh ? "（无）" : "(none)")</p>\n"
                continue
            }
            body += "<table>\n<thead><tr>"
            for (index, header) in table.headers.enumerated() {
                body += "<th\(table.numeric.contains(index) ? " class=\"n\"" : "")>\(HTMLText.escape(header))</th>"
            }
            body += "</tr></thead>\n<tbody>\n"
            for row in table.rows {
                body += "<tr>" + row.enumerated().map { index, cell in
                    "<td\(table.numeric.contains(index) ? " class=\"n\"" : "")>\(HTMLText.escape(cell))</td>"
                }.joined() + "</tr>\n"
            }
            body += "</tbody>\n</table>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="\(layout.language.htmlTag)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(layout.title))</title>
            <style>
            \(HTMLText.baseStyle)
            p.summary { text-indent: 2em; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }
}
