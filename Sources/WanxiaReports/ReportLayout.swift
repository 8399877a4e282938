import Foundation
import WanxiaContract

/// A report laid out for reading: title, period lines, the narrative and the tables, in one language.
///
/// Every renderer (terminal, Markdown, CSV, HTML) draws this same layout, so the formats cannot
/// disagree. Tables show every figure, zeros included; the narrative (``ReportNarrative``) leaves
/// zeros out. Numbers in the cells are already written for the language (``ReportNumbers``).
public struct ReportLayout: Sendable {
    /// One table: a caption, column headings and rows of cells.
    public struct Table: Sendable, Equatable {
        /// A stable machine name (`overview`, `volunteers`, `volunteers-kinds`, `months`), for CSV and HTML ids.
        public var id: String
        public var caption: String
        public var headers: [String]
        public var rows: [[String]]
        /// Columns that hold numbers (right-aligned).
        public var numeric: Set<Int>
        /// Raw values behind the cells (for CSV): same shape as `rows`, numbers unformatted.
        public var raw: [[String]]
    }

    public var language: ReportLanguage
    public var title: String
    /// The period's dates, the zone, and when asked "as of", the time the book is shown at.
    public var lines: [String]
    public var narrative: [String]
    public var tables: [Table]
    public var report: ParticipationReport

    public init(_ report: ParticipationReport, language: ReportLanguage, timeZone: TimeZone = WanxiaJSON.defaultTimeZone) {
        let numbers = ReportNumbers(language: language, timeZone: timeZone)
        let zh = language == .zh
        let period = numbers.period(report.period, from: report.from, to: report.to)
        self.language = language
        self.report = report
        title = zh ? "\(period)老干部活动参与情况统计" : "Participation report: \(period)"
        let last = report.to.addingTimeInterval(-1)
        var lines = [zh ? "统计期间：\(numbers.day(report.from))至\(numbers.day(last))（北京时间）"
                        : "Period: \(numbers.day(report.from)) to \(numbers.day(last)) (China Standard Time)"]
        if let asOf = report.asOf {
            lines.append(zh ? "数据截至：\(numbers.moment(asOf))（按当时记录）" : "As the record stood at \(numbers.moment(asOf))")
        }
        self.lines = lines
        narrative = ReportNarrative(language: language, numbers: numbers).sentences(report)
        tables = Self.tables(report, numbers: numbers)
    }

    // MARK: - Tables

    private struct Cell {
        var text: String
        var raw: String
    }

    private static func tables(_ r: ParticipationReport, numbers: ReportNumbers) -> [Table] {
        let zh = numbers.language == .zh
        func count(_ value: Int) -> Cell { Cell(text: numbers.count(value), raw: String(value)) }
        func hours(_ value: Double) -> Cell { Cell(text: numbers.hours(value), raw: RawNumber.hours(value)) }
        func percent(_ value: Double?) -> Cell { Cell(text: numbers.percent(value), raw: value.map { String(format: "%.1f", $0) } ?? "") }
        func text(_ value: String) -> Cell { Cell(text: value, raw: value) }
        func table(_ id: String, _ caption: String, _ headers: [String], _ rows: [[Cell]]) -> Table {
            Table(id: id, caption: caption, headers: headers, rows: rows.map { $0.map(\.text) },
                  numeric: Set(1..<headers.count), raw: rows.map { $0.map(\.raw) })
        }
        func figures(_ id: String, _ caption: String, _ rows: [(String, Cell)]) -> Table {
            table(id, caption, zh ? ["指标", "数值"] : ["Measure", "Value"], rows.map { [text($0.0), $0.1] })
        }
        func kinds(_ id: String, _ caption: String, _ rows: [ParticipationReport.KindRow], sessions: Bool = false) -> Table {
            let headers = zh ? ["类别", sessions ? "期数" : "次数"] + (sessions ? ["课次"] : []) + [sessions ? "培训人次" : "人次", "人数", "时长（小时）"]
                             : ["Kind", sessions ? "Cohorts" : "Held"] + (sessions ? ["Sessions"] : []) + [sessions ? "Trained (person-times)" : "Person-times", "People", "Hours"]
            return table(id, caption, headers, rows.map { row in
                [text(row.kind), count(row.events)] + (sessions ? [count(row.sessions)] : []) + [count(row.personTimes), count(row.people), hours(row.hours)]
            })
        }
        let names = zh ? ["志愿服务", "结对帮扶", "文体比赛", "学习培训"] : ["Volunteer teams", "Youth mentoring", "Competitions", "Study classes"]
        let v = r.volunteers, m = r.mentoring, c = r.competitions, s = r.classes
        let overview = table("overview", zh ? "总体情况" : "Overview",
                             zh ? ["项目", "参与人次", "人数", "时长（小时）"] : ["Programme", "Person-times", "People", "Hours"], [
            [text(names[0]), count(v.personTimes), count(v.volunteers), hours(v.hours)],
            [text(names[1]), count(m.personTimes), count(m.people), hours(m.hours)],
            [text(names[2]), count(c.personTimes), count(c.people), hours(c.hours)],
            [text(names[3]), count(s.trainedPersonTimes), count(s.learners), hours(s.hours)],
            [text(zh ? "合计" : "Total"), count(r.personTimes), count(r.people), hours(r.hours)],
        ])
        let volunteers = figures("volunteers", names[0], zh ? [
            ("志愿服务活动（次）", count(v.activities)), ("志愿服务队（支）", count(v.teams)), ("志愿者（名）", count(v.volunteers)),
            ("服务人次", count(v.personTimes)), ("服务时长（小时）", hours(v.hours)),
        ] : [
            ("Activities held", count(v.activities)), ("Teams active", count(v.teams)), ("Volunteers", count(v.volunteers)),
            ("Person-times", count(v.personTimes)), ("Hours of service", hours(v.hours)),
        ])
        let mentoring = figures("mentoring", names[1], zh ? [
            ("在帮结对（对）", count(m.pairsActive)), ("结对老干部（人）", count(m.mentors)), ("帮扶青少年（人）", count(m.youngPeople)),
            ("帮扶活动（次）", count(m.meetings)), ("帮扶活动时长（小时）", hours(m.meetingHours)),
            ("资助贫困学生（名）", count(m.studentsSponsored)), ("宣讲报告（场）", count(m.talks)), ("受众青少年（人次）", count(m.audience)),
            ("老干部参与人次", count(m.personTimes)), ("时长（小时）", hours(m.hours)),
        ] : [
            ("Pairs active", count(m.pairsActive)), ("Mentors", count(m.mentors)), ("Young people helped", count(m.youngPeople)),
            ("Meetings held", count(m.meetings)), ("Meeting hours (mentors)", hours(m.meetingHours)),
            ("Students sponsored", count(m.studentsSponsored)), ("Talks given", count(m.talks)), ("Audience reached (person-times)", count(m.audience)),
            ("Person-times (retirees)", count(m.personTimes)), ("Hours", hours(m.hours)),
        ])
        let competitions = figures("competitions", names[2], zh ? [
            ("举办比赛、展览（次）", count(c.competitions)), ("参赛参展人次", count(c.personTimes)), ("参赛参展人数", count(c.people)),
            ("运动员、参赛者（人）", count(c.players)), ("裁判、评委（人）", count(c.officials)),
            ("征集作品（件）", count(c.worksSubmitted)), ("入选作品（件）", count(c.worksSelected)), ("入选率", percent(c.selectionRate)),
            ("时长（小时）", hours(c.hours)),
        ] : [
            ("Competitions held", count(c.competitions)), ("Person-times", count(c.personTimes)), ("People", count(c.people)),
            ("Players", count(c.players)), ("Referees, judges and jurors", count(c.officials)),
            ("Works submitted", count(c.worksSubmitted)), ("Works selected", count(c.worksSelected)), ("Selection rate", percent(c.selectionRate)),
            ("Hours", hours(c.hours)),
        ])
        let classes = figures("classes", names[3], zh ? [
            ("举办班次（期）", count(s.cohorts)), ("授课（次）", count(s.sessions)), ("培训人次", count(s.trainedPersonTimes)),
            ("学员（人）", count(s.learners)), ("出勤率", percent(s.attendanceRate)),
            ("结业（人次）", count(s.completed)), ("未结业（人次）", count(s.notCompleted)), ("结业率", percent(s.completionRate)),
            ("心得体会（篇）", count(s.essays)), ("收集意见建议（条）", count(s.suggestionsCollected)),
            ("采纳意见建议（条）", count(s.suggestionsAdopted)), ("采纳率", percent(s.adoptionRate)), ("时长（小时）", hours(s.hours)),
        ] : [
            ("Cohorts held", count(s.cohorts)), ("Sessions held", count(s.sessions)), ("Trained (person-times)", count(s.trainedPersonTimes)),
            ("Learners", count(s.learners)), ("Attendance rate", percent(s.attendanceRate)),
            ("Completed", count(s.completed)), ("Not completed", count(s.notCompleted)), ("Completion rate", percent(s.completionRate)),
            ("Essays", count(s.essays)), ("Suggestions collected", count(s.suggestionsCollected)),
            ("Suggestions adopted", count(s.suggestionsAdopted)), ("Adoption rate", percent(s.adoptionRate)), ("Hours", hours(s.hours)),
        ])
        let months = table("months", zh ? "各月时长" : "Hours by month", zh ? ["月份", "时长（小时）"] : ["Month", "Hours"],
                           r.hoursByMonth.map { [Cell(text: numbers.month($0.month), raw: $0.month), hours($0.hours)] })
        let byKind = zh ? "分类统计" : "by kind"
        func kindCaption(_ name: String) -> String { zh ? "\(name)\(byKind)" : "\(name), \(byKind)" }
        return [
            overview,
            volunteers, kinds("volunteers-kinds", kindCaption(names[0]), v.kinds),
            mentoring, kinds("mentoring-kinds", kindCaption(names[1]), m.kinds),
            competitions, kinds("competitions-kinds", kindCaption(names[2]), c.kinds),
            classes, kinds("classes-kinds", kindCaption(names[3]), s.kinds, sessions: true),
            months,
        ]
    }
}

/// Numbers as a spreadsheet reads them: no grouping, `.` decimals.
enum RawNumber {
    static func hours(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        if hundredths % 100 == 0 { return String(hundredths / 100) }
        return String(format: hundredths % 10 == 0 ? "%.1f" : "%.2f", value)
    }
}
