/// The summary in the bureau's own phrasing, generated from a report's figures.
///
/// Every figure in a sentence is one of the report's table figures; a figure that is 0 (or a rate
/// of 0 or with no denominator) is left out, and a sentence whose figures are all 0 is not
/// written. A period with nothing recorded gets one sentence saying so. Chinese follows the work
/// summaries ("2024年上半年，共组织志愿服务活动12次，其中法律援助进社区2次……；6支志愿服务队、300名志愿者
/// 参与，累计服务1234.5小时。"); English is a plain translation. Activity kinds stay in the
/// bureau's words in both languages.
public struct ReportNarrative: Sendable {
    public var language: ReportLanguage
    public var numbers: ReportNumbers

    public init(language: ReportLanguage, numbers: ReportNumbers? = nil) {
        self.language = language
        self.numbers = numbers ?? ReportNumbers(language: language)
    }

    /// The sentences, in order: overall, volunteers, mentoring, competitions, classes.
    public func sentences(_ report: ParticipationReport) -> [String] {
        let period = numbers.period(report.period, from: report.from, to: report.to)
        let the = period.hasPrefix("first") || period.hasPrefix("second") ? "the " : ""
        let body = [overall(report), volunteers(report.volunteers), mentoring(report.mentoring),
                    competitions(report.competitions), classes(report.classes)].compactMap { $0 }
        guard !body.isEmpty else {
            return [zh ? "\(period)，无参与记录。" : "Nothing was recorded for \(the)\(period)."]
        }
        var result = body
        result[0] = zh ? "\(period)，" + result[0]
            : "In \(the)\(period), " + result[0]
        return result.map { zh ? $0 + "。" : $0.prefix(1).uppercased() + $0.dropFirst() + "." }
    }

    /// All sentences as one paragraph.
    public func paragraph(_ report: ParticipationReport) -> String {
        sentences(report).joined(separator: zh ? "" : " ")
    }

    private var zh: Bool { language == .zh }

    // MARK: - Sentences

    private func overall(_ r: ParticipationReport) -> String? {
        guard r.personTimes > 0 || r.hours > 0 else { return nil }
        if zh {
            return join([
                r.personTimes > 0 ? "各项活动共参与\(n(r.personTimes))人次" + (r.people > 0 ? "（\(n(r.people))人）" : "") : nil,
                r.hours > 0 ? "累计\(h(r.hours))小时" : nil,
            ], "，")
        }
        return join([
            r.personTimes > 0 ? "participants took part \(n(r.personTimes)) person-times" + (r.people > 0 ? " (\(count(r.people, "person", "people")))" : "") : nil,
            r.hours > 0 ? "\(h(r.hours)) hours in all" : nil,
        ], ", for ")
    }

    private func volunteers(_ v: ParticipationReport.Volunteers) -> String? {
        if zh {
            let who = join([v.teams > 0 ? "\(n(v.teams))支志愿服务队" : nil, v.volunteers > 0 ? "\(n(v.volunteers))名志愿者" : nil], "、")
            return sentence("志愿服务方面，", [
                v.activities > 0 ? "共组织志愿服务活动\(n(v.activities))次" + kinds(v.kinds, "次", prefix: "，其中") : nil,
                join([who.map { $0 + "参与" }, v.personTimes > 0 ? "服务\(n(v.personTimes))人次" : nil,
                      v.hours > 0 ? "累计服务\(h(v.hours))小时" : nil], "，"),
            ])
        }
        let who = join([v.teams > 0 ? count(v.teams, "team", "teams") : nil,
                        v.volunteers > 0 ? count(v.volunteers, "volunteer", "volunteers") : nil], " and ")
        return sentence("volunteer teams ", [
            v.activities > 0 ? "held \(count(v.activities, "activity", "activities"))" + kinds(v.kinds, "", prefix: " ") : nil,
            join([who.map { $0 + " took part" }, v.personTimes > 0 ? "\(n(v.personTimes)) person-times" : nil,
                  v.hours > 0 ? "\(h(v.hours)) hours of service" : nil], ", "),
        ])
    }

    private func mentoring(_ m: ParticipationReport.Mentoring) -> String? {
        if zh {
            let members = join([m.mentors > 0 ? "老干部\(n(m.mentors))人" : nil, m.youngPeople > 0 ? "青少年\(n(m.youngPeople))人" : nil], "、")
            return sentence("关心下一代方面，", [
                m.pairsActive > 0 ? "结对帮扶\(n(m.pairsActive))对" + (members.map { "（\($0)）" } ?? "") : nil,
                m.meetings > 0 ? "开展帮扶活动\(n(m.meetings))次" + (m.meetingHours > 0 ? "、累计\(h(m.meetingHours))小时" : "") : nil,
                m.studentsSponsored > 0 ? "资助贫困学生\(n(m.studentsSponsored))名" : nil,
                m.talks > 0 ? "开展宣讲\(n(m.talks))场" + (m.audience > 0 ? "，受众青少年\(n(m.audience))人次" : "") : nil,
            ])
        }
        let members = join([m.mentors > 0 ? count(m.mentors, "retiree", "retirees") : nil,
                            m.youngPeople > 0 ? count(m.youngPeople, "young person", "young people") : nil], " and ")
        return sentence("in youth mentoring, ", [
            m.pairsActive > 0 ? "\(count(m.pairsActive, "pair was", "pairs were")) active" + (members.map { " (\($0))" } ?? "") : nil,
            m.meetings > 0 ? "\(count(m.meetings, "meeting was", "meetings were")) held" + (m.meetingHours > 0 ? " (\(h(m.meetingHours)) hours)" : "") : nil,
            m.studentsSponsored > 0 ? "\(count(m.studentsSponsored, "student was", "students were")) sponsored" : nil,
            m.talks > 0 ? "\(count(m.talks, "talk", "talks")) reached an audience of \(n(m.audience)) young people" : nil,
        ])
    }

    private func competitions(_ c: ParticipationReport.Competitions) -> String? {
        if zh {
            return sentence("文体比赛方面，", [
                c.competitions > 0 ? "举办" + kinds(c.kinds, "次", prefix: "") : nil,
                c.personTimes > 0 ? "参赛参展\(n(c.personTimes))人次" + (c.people > 0 ? "（\(n(c.people))人）" : "") : nil,
                c.officials > 0 ? "裁判、评委\(n(c.officials))人" : nil,
                join([c.worksSubmitted > 0 ? "征集作品\(n(c.worksSubmitted))件" : nil,
                      c.worksSelected > 0 ? "入选\(n(c.worksSelected))件" : nil, rate("入选率", c.selectionRate)], "，"),
            ])
        }
        return sentence("", [
            c.competitions > 0 ? "\(count(c.competitions, "competition was", "competitions were")) held (" + kinds(c.kinds, "", prefix: "") + ")" : nil,
            c.personTimes > 0 ? "\(n(c.personTimes)) person-times took part" + (c.people > 0 ? " (\(count(c.people, "person", "people")))" : "") : nil,
            c.officials > 0 ? count(c.officials, "official", "officials") : nil,
            join([c.worksSubmitted > 0 ? "\(count(c.worksSubmitted, "work", "works")) submitted" : nil,
                  c.worksSelected > 0 ? "\(n(c.worksSelected)) selected" : nil, rate("selection rate ", c.selectionRate)], ", "),
        ])
    }

    private func classes(_ c: ParticipationReport.Classes) -> String? {
        if zh {
            return sentence("学习培训方面，", [
                c.cohorts > 0 ? "举办" + kinds(c.kinds, "期", prefix: "") + (c.sessions > 0 ? "，授课\(n(c.sessions))次" : "") : nil,
                join([c.trainedPersonTimes > 0 ? "培训\(n(c.trainedPersonTimes))人次" + (c.learners > 0 ? "（\(n(c.learners))人）" : "") : nil,
                      rate("出勤率", c.attendanceRate), rate("结业率", c.completionRate)], "，"),
                c.essays > 0 ? "撰写心得体会\(n(c.essays))篇" : nil,
                join([c.suggestionsCollected > 0 ? "收集意见建议\(n(c.suggestionsCollected))条" : nil,
                      c.suggestionsAdopted > 0 ? "采纳\(n(c.suggestionsAdopted))条" : nil, rate("采纳率", c.adoptionRate)], "，"),
            ])
        }
        return sentence("study classes ", [
            c.cohorts > 0 ? "ran \(count(c.cohorts, "cohort", "cohorts")) (" + kinds(c.kinds, "", prefix: "") + ")" + (c.sessions > 0 ? " with \(count(c.sessions, "session", "sessions"))" : "") : nil,
            join([c.trainedPersonTimes > 0 ? "trained \(n(c.trainedPersonTimes)) person-times" + (c.learners > 0 ? " (\(count(c.learners, "learner", "learners")))" : "") : nil,
                  rate("attendance ", c.attendanceRate), rate("completion ", c.completionRate)], ", "),
            c.essays > 0 ? "\(count(c.essays, "essay was", "essays were")) written" : nil,
            join([c.suggestionsCollected > 0 ? "\(count(c.suggestionsCollected, "suggestion was", "suggestions were")) collected" : nil,
                  c.suggestionsAdopted > 0 ? "\(n(c.suggestionsAdopted)) adopted" : nil, rate("adoption rate ", c.adoptionRate)], ", "),
        ])
    }

    // MARK: - Pieces

    private func n(_ value: Int) -> String { numbers.count(value) }
    private func h(_ value: Double) -> String { numbers.hours(value) }

    private func count(_ value: Int, _ one: String, _ many: String) -> String {
        "\(n(value)) \(value == 1 ? one : many)"
    }

    private func rate(_ label: String, _ value: Double?) -> String? {
        guard let value, value > 0 else { return nil }
        return label + numbers.percent(value)
    }

    /// `门球赛3次、乒乓球赛2次` (Chinese) or `门球赛 3, 乒乓球赛 2` (English), kinds with events only.
    private func kinds(_ rows: [ParticipationReport.KindRow], _ unit: String, prefix: String) -> String {
        let held = rows.filter { $0.events > 0 }
        guard !held.isEmpty else { return "" }
        if zh {
            return prefix + held.map { "\($0.kind)\(n($0.events))\(unit)" }.joined(separator: "、")
        }
        let list = held.map { "\($0.kind) \(n($0.events))" }.joined(separator: ", ")
        return prefix == "" ? list : prefix + "(" + list + ")"
    }

    private func join(_ parts: [String?], _ separator: String) -> String? {
        let present = parts.compactMap { $0 }.filter { !$0.isEmpty }
        return present.isEmpty ? nil : present.joined(separator: separator)
    }

    private func sentence(_ lead: String, _ clauses: [String?]) -> String? {
        join(clauses, zh ? "；" : "; ").map { lead + $0 }
    }
}
