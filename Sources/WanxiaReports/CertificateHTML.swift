import Foundation
import WanxiaContract

/// A certificate as one printable A4 HTML page, in Chinese or English, every string escaped.
public struct CertificateHTML: Sendable {
    public var language: ReportLanguage
    public var timeZone: TimeZone

    public init(language: ReportLanguage = .zh, timeZone: TimeZone = WanxiaJSON.defaultTimeZone) {
        self.language = language
        self.timeZone = timeZone
    }

    public func render(_ certificate: Certificate) -> String {
        let zh = language == .zh
        let numbers = ReportNumbers(language: language, timeZone: timeZone)
        let e = HTMLText.escape
        let period: String
        if let from = certificate.from, let to = certificate.to {
            period = numbers.period(certificate.period, from: from, to: to)
        } else {
            period = zh ? "全部记录" : "the whole record"
        }
        let who = e(certificate.name) + (certificate.unit.map { zh ? "（原单位：\(e($0))）" : " (formerly of \(e($0)))" } ?? "")
        let statement = zh
            ? "兹证明 \(who)（编号 \(e(certificate.person))）于\(e(period))参加志愿服务活动\(certificate.entries.count)次，累计志愿服务时长\(e(numbers.hours(certificate.totalHours)))小时。服务记录如下："
            : "This is to certify that \(who) (id \(e(certificate.person))) took part in \(certificate.entries.count) volunteer service \(certificate.entries.count == 1 ? "activity" : "activities") in \(e(period)), serving \(e(numbers.hours(certificate.totalHours))) hours in all, as recorded below:"
        let headers = zh ? ["日期", "地点", "活动", "类别", "时长（小时）"] : ["Date", "Place", "Activity", "Kind", "Hours"]
        var rows = ""
        for entry in certificate.entries {
            rows += "<tr><td>\(e(numbers.day(entry.date)))</td><td>\(e(entry.place ?? "—"))</td><td>\(e(entry.activity))</td>"
                + "<td>\(e(entry.kind))</td><td class=\"n\">\(e(numbers.hours(entry.hours)))</td></tr>\n"
        }
        rows += "<tr class=\"total\"><td colspan=\"4\">\(zh ? "合计" : "Total")</td><td class=\"n\">\(e(numbers.hours(certificate.totalHours)))</td></tr>\n"
        let title = zh ? "志愿服务证明" : "Volunteer Service Certificate"
        return """
            <!DOCTYPE html>
            <html lang="\(language.htmlTag)">
            <head>
            <meta charset="utf-8">
            <title>\(title) \(e(certificate.number))</title>
            <style>
            \(HTMLText.baseStyle)
            h1 { font-size: 22pt; margin-top: 6mm; letter-spacing: 0.3em; }
            p.number { text-align: right; color: #444; }
            p.statement { text-indent: 2em; font-size: 12pt; line-height: 1.9; }
            tr.total td { font-weight: bold; }
            .issuer { margin-top: 16mm; text-align: right; font-size: 12pt; line-height: 2; }
            .check { margin-top: 10mm; font-size: 8.5pt; color: #666; word-break: break-all; }
            </style>
            </head>
            <body>
            <h1>\(title)</h1>
            <p class="number">\(zh ? "证明编号" : "Certificate No.")：\(e(certificate.number))</p>
            <p class="statement">\(statement)</p>
            <table>
            <thead><tr>\(headers.enumerated().map { "<th\($0.offset == 4 ? " class=\"n\"" : "")>\($0.element)</th>" }.joined())</tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            <p class="statement">\(zh ? "特此证明。" : "Issued on the basis of the records above.")</p>
            <div class="issuer">\(e(certificate.issuer))<br>\(e(numbers.day(certificate.issuedOn)))</div>
            <p class="check">\(zh ? "核验：wanxia certificate verify \(e(certificate.number))；记录指纹（SHA-256）" : "Verify: wanxia certificate verify \(e(certificate.number)); records fingerprint (SHA-256)") \(e(certificate.fingerprint))</p>
            </body>
            </html>

            """
    }
}
