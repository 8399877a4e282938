import Foundation
import Testing
import WanxiaContract
@testable import WanxiaRegistrar

@Suite("Query output: tables with CJK widths, JSON, CSV for Excel")
struct QueryOutputTests {
    @Test("display width counts East Asian wide characters twice", arguments: [
        ("abc", 3), ("张三", 4), ("法律援助进社区", 14), ("（东城）", 8), ("P-0001", 6), ("e\u{301}", 1), ("😀", 2), ("ＡＢ", 4), ("", 0), ("한글", 4),
    ])
    func width(_ text: String, _ expected: Int) {
        #expect(TextTable.displayWidth(text) == expected)
    }

    @Test("a table lines up mixed Chinese and ASCII")
    func alignment() {
        let table = TextTable(headers: ["类别", "kind", "人次"], rows: [["法律援助进社区", "legal", "3"], ["门球赛", "gateball-match", "12"]],
                              numericColumns: [2])
        #expect(table.text == """
            类别            kind            人次
            --------------  --------------  ----
            法律援助进社区  legal              3
            门球赛          gateball-match    12
            """)
    }

    @Test("period totals as a table, CSV and JSON")
    func totals() throws {
        let fixture = try Fixture()
        let totals = try fixture.queries.periodTotals(period: Period(parsing: "2023上半年"), programme: .volunteers)
        let table = try QueryOutput(format: .table).render(totals)
        #expect(table == """
            期间 2023H1（2023-01-01 至 2023-06-30）

            项目      类别            场次  人次  人数  时长  受众  征集作品  入选作品  心得  收集建议  采纳建议
            --------  --------------  ----  ----  ----  ----  ----  --------  --------  ----  --------  --------
            志愿服务  法律援助进社区     2     3     2     8     0         0         0     0         0         0

            """)
        let csv = try QueryOutput(format: .csv).render(totals)
        #expect(csv == "\u{FEFF}项目,类别,场次,人次,人数,时长,受众,征集作品,入选作品,心得,收集建议,采纳建议\r\n志愿服务,法律援助进社区,2,3,2,8,0,0,0,0,0,0\r\n")
        let json = try QueryOutput(format: .json).render(totals)
        #expect(try WanxiaJSON.decode(PeriodTotals.self, from: Data(json.utf8)) == totals)
        #expect(json.contains("\"from\" : \"2023-01-01T00:00:00+08:00\""))
    }

    @Test("person history and group tables carry the summary; CSV quotes what needs quoting")
    func historyAndGroup() throws {
        let fixture = try Fixture()
        let history = try fixture.queries.personHistory(person: "P-0002", period: Period(parsing: "2023H1"))
        let table = try QueryOutput(format: .table).render(history)
        #expect(table.hasPrefix("人员 P-0002  期间 2023H1  总时长 7 小时\n"))
        #expect(table.contains("法律援助进社区（东城）"))
        let group = try fixture.queries.groupParticipation(group: .init(kind: .team, id: "team-law"), period: Period(parsing: "2023H1"))
        let groupTable = try QueryOutput(format: .table).render(group)
        #expect(groupTable.hasPrefix("服务队 team-law  期间 2023H1\n活动 2 次  参与 3 人次  2 人  时长 8 小时\n"))
        #expect(QueryOutput.csv(headers: ["a", "b"], rows: [["县财政局,预算科", "说\"好\""]]) == "\u{FEFF}a,b\r\n\"县财政局,预算科\",\"说\"\"好\"\"\"\r\n")
    }
}
