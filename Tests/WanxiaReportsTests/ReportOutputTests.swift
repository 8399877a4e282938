import Foundation
import Testing
import WanxiaContract
import WanxiaRegistrar
@testable import WanxiaReports

/// Every format in both languages against golden files, and the rules each format keeps.
@Suite struct ReportOutputTests {
    let fixture: Fixture
    let report: ParticipationReport
    init() throws {
        fixture = try Fixture()
        report = try ReportQueries(reader: fixture.book.store.database).report(period: try Period(parsing: "2023H1"))
    }

    @Test(arguments: ReportRenderer.Format.allCases, ReportLanguage.allCases)
    func matchesGoldenFile(format: ReportRenderer.Format, language: ReportLanguage) throws {
        let text = try ReportRenderer(format: format, language: language).render(report)
        try expectGolden("report-2023H1.\(language.rawValue).\(format.fileExtension)", text)
    }

    @Test func asOfReportMatchesGoldenFile() throws {
        let then = try ReportQueries(reader: fixture.book.store.database).report(period: try Period(parsing: "2023H1"), asOf: Fixture.between)
        try expectGolden("report-2023H1-asof.zh-CN.md", try ReportRenderer(format: .markdown).render(then))
    }

    @Test func chineseNarrativeUsesTheBureausPhrasing() {
        let text = ReportNarrative(language: .zh).paragraph(report)
        #expect(text.hasPrefix("2023年上半年，各项活动共参与22人次（4人），累计67小时。"))
        #expect(text.contains("共组织志愿服务活动3次，其中法律援助进社区2次、医疗义诊下乡1次；2支志愿服务队、3名志愿者参与"))
        #expect(text.contains("举办门球赛2次、"))
        #expect(text.contains("收集意见建议16条，采纳11条，采纳率68.8%"))
    }

    @Test func narrativeFiguresAreAllInTheTablesAndZerosAreLeftOut() throws {
        for language in ReportLanguage.allCases {
            let layout = ReportLayout(report, language: language)
            let cells = Set(layout.tables.flatMap { $0.rows.flatMap { $0 } })
            let figures = Self.figures(in: layout.narrative.joined(separator: " "))
            #expect(!figures.isEmpty)
            for figure in figures {
                #expect(cells.contains(figure), "\(language): \(figure) in the narrative is in no table")
            }
        }
        // The second half-year has one volunteer activity and pair M-PAIR-1 still open, nothing else.
        let second = try ReportQueries(reader: fixture.book.store.database).report(period: try Period(parsing: "2023H2"))
        let zh = ReportNarrative(language: .zh).paragraph(second)
        #expect(zh.contains("共组织志愿服务活动1次") && zh.contains("结对帮扶1对（老干部1人、青少年1人）"))
        #expect(!zh.contains("比赛") && !zh.contains("学习培训") && !zh.contains("宣讲") && !zh.contains("资助"))
        #expect(!Self.figures(in: zh).contains { Double($0.replacingOccurrences(of: "%", with: "")) == 0 })
        let empty = try ReportQueries(reader: fixture.book.store.database).report(period: try Period(parsing: "2021"))
        #expect(ReportNarrative(language: .zh).sentences(empty) == ["2021年，无参与记录。"])
    }

    /// The figures written in `text`, without the years of period names.
    static func figures(in text: String) -> [String] {
        text.matches(of: /[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?%?/).map { String($0.output) }
            .filter { $0.count != 4 || !$0.hasPrefix("20") }
    }

    @Test func csvOpensInExcelAndWPS() throws {
        let csv = try ReportRenderer(format: .csv).render(report)
        #expect(csv.hasPrefix("\u{FEFF}部分,类别,指标,数值\r\n"))
        let lines = csv.dropFirst().components(separatedBy: "\r\n").dropLast()
        #expect(!lines.isEmpty && lines.allSatisfy { !$0.contains("\n") })
        #expect(lines.contains("文体比赛,,入选率,25.0"))
        #expect(lines.contains("志愿服务分类统计,法律援助进社区,次数,2"))
    }

    @Test func htmlIsSelfContainedAndEscapesTheBook() throws {
        let book = try Book(now: Fixture.t0)
        try book.apply(.person(PersonRecord(person: "P-1", kind: .retiree, name: "<b>张</b>")), producer: "volunteers")
        try book.apply(.event(EventRecord(event: "E-1", programme: .volunteers, kind: "<script>alert('x')</script> & \"义诊\"",
                                          title: "t", start: t("2023-03-01T09:00"), end: t("2023-03-01T11:00"))), producer: "volunteers")
        try book.apply(.participation(ParticipationRecord(person: "P-1", event: "E-1", role: "volunteer", hours: 2, ledger: .clocked, status: "served")),
                       producer: "volunteers")
        let html = try ReportRenderer(format: .html).render(try ReportQueries(reader: book.store.database).report(period: try Period(parsing: "2023H1")))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;义诊&quot;"))
        #expect(html.contains("@page { size: A4"))
        #expect(html.components(separatedBy: "<svg ").count == 3)
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 3) // only the two SVG namespaces
    }

    @Test(arguments: [("2023上半年", "2023年上半年", "first half of 2023"), ("2023", "2023年", "2023"), ("2023Q2", "2023年第二季度", "Q2 2023"),
                      ("2023-05", "2023年5月", "May 2023"), ("2023-01-01..2023-06-30", "2023年1月1日至2023年6月30日", "1 January 2023 to 30 June 2023")])
    func periodsAreNamedAsTheBureauWritesThem(text: String, chinese: String, english: String) throws {
        let period = try Period(parsing: text)
        #expect(ReportNumbers(language: .zh).period(period.canonical, from: period.from, to: period.to) == chinese)
        #expect(ReportNumbers(language: .en).period(period.canonical, from: period.from, to: period.to) == english)
    }

    @Test func numbersAreWrittenAsTheBureauWritesThem() {
        let zh = ReportNumbers(language: .zh), en = ReportNumbers(language: .en)
        #expect(zh.count(1530) == "1530" && zh.count(12345) == "12,345" && en.count(1530) == "1,530")
        #expect(zh.hours(1234.5) == "1234.5" && en.hours(1234.5) == "1,234.5" && zh.hours(2.25) == "2.25" && zh.hours(3) == "3")
        #expect(zh.percent(87.5) == "87.5%" && zh.percent(nil) == "—")
    }
}
