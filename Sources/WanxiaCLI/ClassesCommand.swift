import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WanxiaClasses
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT
import WanxiaRegistrar

/// `wanxia classes`: run the study classes service, and look after its roll, cohorts, sessions,
/// enrolment, attendance, essays, suggestions and the holiday table.
struct ClassesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classes",
        abstract: "Study classes (学习班): cohorts, enrolment, sessions, attendance, essays, completion.",
        discussion: """
            Changes that produce records (closing a session or a cohort, a mark after a close, essays and
            suggestions) are committed to the file's outbox; the running service (`wanxia classes run`)
            sends them to the registrar.

            Examples:
              wanxia classes import-roll 学员名单.csv
              wanxia classes class add reading --kind 读书班 --title 党史读书班
              wanxia classes cohort add reading-2025-1 --class reading --name 第1期 --site senior-university \\
                  --teacher T-01 --capacity 30
              wanxia classes session plan reading-2025-1 --rule 每周四 --time 09:00-11:00 --from 2025-03-06 --until 2025-06-26
              wanxia classes apply reading-2025-1 L-001        (then: wanxia classes lottery draw reading-2025-1)
              wanxia classes enrol reading-2025-1 L-031        (first come, else the waiting list)
              wanxia classes mark reading-2025-1-s03 L-001 excused --by T-01
              wanxia classes attendance reading-2025-1
              wanxia classes cohort close reading-2025-1
              wanxia classes certificates reading-2025-1
              wanxia classes run --data wanxia-data --host 127.0.0.1 --port 1883
            """,
        subcommands: [Run.self, ImportRoll.self, ClassCommand.self, CohortCommand.self, SessionCommand.self,
                      Apply.self, Enrol.self, Withdraw.self, Enrolments.self, LotteryCommand.self, Mark.self,
                      EssayCommand.self, SuggestionCommand.self, Attendance.self, Certificates.self, HolidayCommand.self])

    /// The `--db` option every file command takes.
    struct FileOption: ParsableArguments {
        @Option(help: "The classes file (created if missing).")
        var db = "wanxia-data/classes.sqlite"

        func open() throws -> ClassesStore { try ClassesStore(path: db) }
    }

    /// `wanxia classes run`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the service until SIGINT or SIGTERM: take marks, check-ins and essays, close sessions, send records, publish rosters.")

        @OptionGroup var bus: BusOptions

        @Option(help: "The service's id on the bus (its MQTT client id and record producer).")
        var id = "classes"

        @Option(help: "A kiosk check-in this many minutes after the start is late.")
        var lateAfter = 10

        @Option(help: "A session closes this many minutes after its end (unmarked learners get --unmarked).")
        var closeGrace = 120

        @Option(help: "The status of learners nobody marked: absent or excused.")
        var unmarked = "absent"

        func validate() throws {
            guard TopicID.isValid(id) else { throw ValidationError("--id: \"\(id)\" must be 1-64 of a-z 0-9 -") }
            guard (0...240).contains(lateAfter) else { throw ValidationError("--late-after: \(lateAfter) must be 0 to 240 minutes") }
            guard (0...10_080).contains(closeGrace) else { throw ValidationError("--close-grace: \(closeGrace) must be 0 to 10080 minutes") }
            guard ["absent", "excused"].contains(unmarked) else { throw ValidationError("--unmarked: \"\(unmarked)\" must be absent or excused") }
        }

        func run() async throws {
            let logger = Logger(label: "wanxia.classes")
            let mqtt = bus.mqtt(clientID: id)
            var policy = AttendancePolicy()
            policy.lateAfter = TimeInterval(lateAfter * 60)
            policy.closeGrace = TimeInterval(closeGrace * 60)
            policy.unmarked = AttendanceMark.Status(rawValue: unmarked) ?? .absent
            let service = ClassesService(configuration: .init(dataDirectory: bus.dataDirectory, mqtt: mqtt,
                                                              id: try TopicID(validating: id), policy: policy), logger: logger)
            try await classesReport { try await runUntilSignalled(service, logger: logger) }
        }
    }

    /// `wanxia classes import-roll`.
    struct ImportRoll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-roll",
            abstract: "Import learners and teachers from CSV or TSV (UTF-8, with or without BOM).",
            discussion: """
                Columns, in Chinese or English: 编号/person and 姓名/name required; 卡号/card, 原单位/unit,
                电话/phone optional. Every bad row is listed; exit code 1 if there was any.
                """)

        @OptionGroup var file: FileOption

        @Argument(help: "The CSV or TSV file.")
        var csv: String

        func run() async throws {
            try await classesReport {
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: csv)) } catch {
                    throw ClassesError(.importFailed, "\(csv): cannot be read", underlying: error)
                }
                let report = try file.open().importRoll(data, file: csv)
                print(report.text)
                if !report.badRows.isEmpty { throw ExitCode(1) }
            }
        }
    }

    /// `wanxia classes class`.
    struct ClassCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "class", abstract: "Classes (课程).", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a class, or change its kind and title.")

            @OptionGroup var file: FileOption

            @Argument(help: "The class id, e.g. reading.")
            var id: String

            @Option(help: "The kind in the bureau's words: 读书班, 书记培训班, 太极拳培训, 健康讲座.")
            var kind: String

            @Option(help: "The title: 党史读书班.")
            var title: String

            func run() async throws {
                try await classesReport {
                    try file.open().addCourse(id: id, kind: kind, title: title)
                    print("class \(id) saved")
                }
            }
        }
    }

    /// `wanxia classes cohort`.
    struct CohortCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cohort", abstract: "Cohorts (期).",
                                                        subcommands: [Add.self, List.self, Close.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a cohort of a class, or change it.")

            @OptionGroup var file: FileOption

            @Argument(help: "The cohort id, e.g. reading-2025-1.")
            var id: String

            @Option(name: .customLong("class"), help: "The class id.")
            var course: String

            @Option(help: "The cohort's name: 第1期, 2025年春季班.")
            var name: String

            @Option(help: "The site id (as its kiosk is named on the bus).")
            var site: String

            @Option(help: "The teacher's person id (on the roll).")
            var teacher: String

            @Option(help: "Places.")
            var capacity: Int

            @Option(help: "Completion: the least attendance, in percent.")
            var minAttendance = 80.0

            @Option(help: "Completion: presence ((present + late) / sessions) or points (Moodle points).")
            var basis = "presence"

            @Flag(help: "Completion: leave excused sessions out of the denominator.")
            var excusedNotCounted = false

            @Flag(help: "Completion: no essay required.")
            var noEssay = false

            func validate() throws {
                guard TopicID.isValid(site) else { throw ValidationError("--site: \"\(site)\" must be 1-64 of a-z 0-9 -") }
                guard (0...100).contains(minAttendance) else { throw ValidationError("--min-attendance: \(minAttendance) must be 0 to 100") }
                guard CompletionRule.Basis(rawValue: basis) != nil else { throw ValidationError("--basis: \"\(basis)\" must be presence or points") }
            }

            func run() async throws {
                try await classesReport {
                    let rule = CompletionRule(minimumAttendance: minAttendance / 100, basis: CompletionRule.Basis(rawValue: basis) ?? .presence,
                                              excusedCounts: !excusedNotCounted, essayRequired: !noEssay)
                    try file.open().addCohort(Cohort(id: id, course: course, name: name, site: try TopicID(validating: site),
                                                     teacher: teacher, capacity: capacity, completion: rule))
                    print("cohort \(id) saved; completion: \(rule.summary)")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the cohorts.")

            @OptionGroup var file: FileOption

            func run() async throws {
                try await classesReport {
                    let store = try file.open()
                    let rows = try store.cohorts().map { cohort in
                        let enrolled = try store.enrolments(cohort: cohort.id).filter { $0.state == .enrolled }.count
                        return [cohort.id, cohort.kind, cohort.fullTitle, cohort.site.rawValue, cohort.teacher,
                                "\(enrolled)/\(cohort.capacity)", cohort.recurrence?.description ?? "", cohort.closedAt == nil ? "" : "结业"]
                    }
                    print(TextTable(headers: ["编号 id", "类别 kind", "名称 title", "场所 site", "教师 teacher", "人数 places",
                                              "规则 rule", ""], rows: rows).text)
                }
            }
        }

        struct Close: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Close a cohort (结业): close its ended sessions, decide completion, send the completion records.")

            @OptionGroup var file: FileOption

            @Argument(help: "The cohort id.")
            var id: String

            func run() async throws {
                try await classesReport {
                    let summaries = try file.open().closeCohort(id)
                    printSummaries(summaries)
                    print("\(id): \(summaries.filter(\.completes).count) of \(summaries.count) completed")
                }
            }
        }
    }

    /// `wanxia classes session`.
    struct SessionCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "session", abstract: "Sessions (课次).",
                                                        subcommands: [Plan.self, List.self, Close.self])

        struct Plan: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Plan a cohort's sessions from a rule; holidays are skipped (and listed), never moved.",
                discussion: """
                    Rules: weekly:thu, weekly:mon,wed, weekly:tue/2 (every other Tuesday), monthly:15, monthly:31
                    (months without a 31st have none), monthly:last-thu, monthly:2-thu, daily; or 每周四, 隔周二,
                    每月15日, 每天. End with --until DATE or --count N (N sessions held). Replaces the sessions
                    not held yet; refused once a session was held.
                    """)

            @OptionGroup var file: FileOption

            @Argument(help: "The cohort id.")
            var cohort: String

            @Option(help: "The rule, e.g. 每周四 or weekly:tue/2.")
            var rule: String

            @Option(help: "The time of each session, e.g. 09:00-11:00 (China Standard Time).")
            var time: String

            @Option(help: "The first day, e.g. 2025-03-06.")
            var from: String

            @Option(help: "The last day that may hold a session.")
            var until: String?

            @Option(help: "The number of sessions.")
            var count: Int?

            @Option(help: "Days without a session, comma-separated.")
            var except: String?

            @Flag(help: "Hold sessions on make-up working days (调休上班) too.")
            var makeUpDays = false

            func validate() throws {
                guard (until == nil) != (count == nil) else { throw ValidationError("give exactly one of --until and --count") }
                _ = try parsedRule()
            }

            func parsedRule() throws -> RecurrenceRule {
                let times = time.split(separator: "-").map(String.init)
                guard times.count == 2, let start = ClassCalendar.minutes(times[0]), let end = ClassCalendar.minutes(times[1]) else {
                    throw ValidationError("--time: \"\(time)\" is not a time span like 09:00-11:00")
                }
                guard let first = LocalDate(from) else { throw ValidationError("--from: \"\(from)\" is not a day like 2025-03-06") }
                let last: RecurrenceRule.End
                if let until {
                    guard let day = LocalDate(until) else { throw ValidationError("--until: \"\(until)\" is not a day like 2025-06-26") }
                    last = .until(day)
                } else {
                    last = .count(count ?? 1)
                }
                let exceptions = try (except ?? "").split(separator: ",").map { text -> LocalDate in
                    guard let day = LocalDate(String(text)) else { throw ValidationError("--except: \"\(text)\" is not a day like 2025-05-01") }
                    return day
                }
                let pattern: RecurrenceRule.Pattern
                do { pattern = try RecurrenceRule.Pattern(parsing: rule) } catch let error as ClassesError {
                    throw ValidationError("--\(error.message)")
                }
                let parsed = RecurrenceRule(pattern: pattern, first: first, startMinute: start, endMinute: end, end: last,
                                            exceptions: exceptions, onMakeUpDays: makeUpDays)
                do { try parsed.validate() } catch let error as ClassesError { throw ValidationError(error.message) }
                return parsed
            }

            func run() async throws {
                try await classesReport {
                    let expansion = try file.open().planSessions(cohort: cohort, rule: try parsedRule())
                    for occurrence in expansion.occurrences {
                        print("第\(occurrence.number)次  \(occurrence.date)  \(RFC3339.string(from: occurrence.start))\(occurrence.onMakeUpDay ? "  (调休上班日)" : "")")
                    }
                    for skipped in expansion.skipped {
                        print("skipped  \(skipped.date)  \(skipped.reason)\(skipped.name.map { " \($0)" } ?? "")")
                    }
                    print("\(cohort): \(expansion.occurrences.count) session(s), \(expansion.skipped.count) day(s) skipped")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List a cohort's sessions and the days skipped.")

            @OptionGroup var file: FileOption

            @Argument(help: "The cohort id.")
            var cohort: String

            func run() async throws {
                try await classesReport {
                    let store = try file.open()
                    let rows = try store.sessions(cohort: cohort).map { session in
                        [session.id, "\(session.number)", RFC3339.string(from: session.start), RFC3339.string(from: session.end),
                         session.onMakeUpDay ? "调休" : "", session.closedAt == nil ? "" : "closed"]
                    }
                    print(TextTable(headers: ["编号 id", "次 no", "开始 start", "结束 end", "", ""], rows: rows, numericColumns: [1]).text)
                    for skipped in try store.skipped(cohort: cohort) {
                        print("skipped  \(skipped.date)  \(skipped.reason)\(skipped.name.map { " \($0)" } ?? "")")
                    }
                }
            }
        }

        struct Close: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Close a session now: unmarked learners get absent, the records go out.")

            @OptionGroup var file: FileOption

            @Argument(help: "The session id, e.g. reading-2025-1-s03.")
            var id: String

            func run() async throws {
                try await classesReport {
                    let made = try file.open().closeSession(id)
                    print("\(id): \(made.count) record(s) made")
                }
            }
        }
    }

    /// `wanxia classes apply`.
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply for a place before the lottery (摇号).")

        @OptionGroup var file: FileOption
        @Argument(help: "The cohort id.") var cohort: String
        @Argument(help: "The person id or card.") var person: String

        func run() async throws {
            try await classesReport {
                try file.open().apply(cohort: cohort, person: person)
                print("\(person) applied to \(cohort)")
            }
        }
    }

    /// `wanxia classes enrol`.
    struct Enrol: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enrol at once if a place is free, else join the waiting list.")

        @OptionGroup var file: FileOption
        @Argument(help: "The cohort id.") var cohort: String
        @Argument(help: "The person id or card.") var person: String

        func run() async throws {
            try await classesReport {
                let state = try file.open().enrol(cohort: cohort, person: person)
                print("\(person): \(state.rawValue) in \(cohort)")
            }
        }
    }

    /// `wanxia classes withdraw`.
    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw (退学); the first on the waiting list gets the place (补录).")

        @OptionGroup var file: FileOption
        @Argument(help: "The cohort id.") var cohort: String
        @Argument(help: "The person id or card.") var person: String

        func run() async throws {
            try await classesReport {
                let promoted = try file.open().withdraw(cohort: cohort, person: person)
                print("\(person) withdrawn from \(cohort)" + (promoted.map { "; \($0) enrolled from the waiting list" } ?? ""))
            }
        }
    }

    /// `wanxia classes enrolments`.
    struct Enrolments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who is enrolled, waiting, applied or withdrawn.")

        @OptionGroup var file: FileOption
        @Argument(help: "The cohort id.") var cohort: String

        @Flag(help: "Show every enrolment step (the audit log) instead.")
        var log = false

        func run() async throws {
            try await classesReport {
                let store = try file.open()
                if log {
                    for step in try store.enrolmentLog(cohort: cohort) {
                        print("\(RFC3339.string(from: step.at))  \(step.person)  \(step.step)\(step.detail.map { "  (\($0))" } ?? "")")
                    }
                    return
                }
                let rows = try store.enrolments(cohort: cohort).map { enrolment in
                    [enrolment.person, enrolment.name, enrolment.state.rawValue, enrolment.position.map(String.init) ?? "",
                     enrolment.enrolledAt.map { LocalDate($0).description } ?? ""]
                }
                print(TextTable(headers: ["编号 person", "姓名 name", "状态 state", "候补 position", "入学 enrolled"], rows: rows).text)
            }
        }
    }

    /// `wanxia classes lottery`.
    struct LotteryCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "lottery", abstract: "The lottery (摇号) for an oversubscribed cohort.",
                                                        subcommands: [Draw.self, Show.self])

        struct Draw: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Draw among those who applied; publish the seed so anyone can check the order.",
                discussion: "The order is SplitMix64(seed)'s Fisher-Yates shuffle of the applicants sorted by person id.")

            @OptionGroup var file: FileOption
            @Argument(help: "The cohort id.") var cohort: String

            @Option(help: "The seed (a number); drawn at random and printed if not given.")
            var seed: UInt64?

            func run() async throws {
                try await classesReport {
                    var system = SystemRandomNumberGenerator()
                    let draw = try file.open().drawLottery(cohort: cohort, seed: seed ?? system.next())
                    printDraw(draw)
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a stored lottery and re-derive its order from the seed.")

            @OptionGroup var file: FileOption
            @Argument(help: "The cohort id.") var cohort: String

            func run() async throws {
                try await classesReport {
                    guard let draw = try file.open().lottery(cohort: cohort) else {
                        throw ClassesError(.notFound, "cohort: no lottery was drawn for \(cohort)")
                    }
                    printDraw(draw)
                    print(draw.verifies ? "verified: the seed gives the stored order" : "MISMATCH: the seed gives \(draw.redrawn.joined(separator: " "))")
                    if !draw.verifies { throw ExitCode(1) }
                }
            }
        }
    }

    /// `wanxia classes mark`.
    struct Mark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a learner for a session (as from the teacher's phone); after the close it is a correction.")

        @OptionGroup var file: FileOption
        @Argument(help: "The session id, e.g. reading-2025-1-s03.") var session: String
        @Argument(help: "The learner's person id or card.") var learner: String
        @Argument(help: "present, late, excused or absent.") var status: String

        @Option(help: "Who marks (the teacher's person id).")
        var by: String?

        func validate() throws {
            guard AttendanceMark.Status(rawValue: status) != nil else { throw ValidationError("status: \"\(status)\" must be present, late, excused or absent") }
        }

        func run() async throws {
            try await classesReport {
                let mark = AttendanceMark(session: session, learner: learner, status: AttendanceMark.Status(rawValue: status) ?? .present, markedBy: by)
                let correction = try file.open().mark(mark)
                print("\(session) \(learner): \(status)" + (correction.map { " (correcting record \($0))" } ?? ""))
            }
        }
    }

    /// `wanxia classes essay`.
    struct EssayCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "essay", abstract: "Record an essay (心得体会) handed in on paper.")

        @OptionGroup var file: FileOption
        @Argument(help: "The cohort id.") var cohort: String
        @Argument(help: "The learner's person id or card.") var learner: String
        @Option(help: "The essay's title.") var title: String?

        func run() async throws {
            try await classesReport {
                try file.open().essay(Essay(cohort: cohort, learner: learner, title: title))
                print("\(cohort) \(learner): essay recorded")
            }
        }
    }

    /// `wanxia classes suggestion`.
    struct SuggestionCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "suggestion", abstract: "Suggestions (意见建议) collected and adopted.",
                                                        subcommands: [Add.self, Adopt.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Collect a suggestion.")
            @OptionGroup var file: FileOption
            @Argument(help: "The cohort id.") var cohort: String
            @Argument(help: "The suggestion.") var text: String
            @Option(help: "Who made it (person id).") var by: String?

            func run() async throws {
                try await classesReport {
                    let id = try file.open().addSuggestion(cohort: cohort, person: by, text: text)
                    print("suggestion \(id) collected")
                }
            }
        }

        struct Adopt: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Mark a suggestion adopted (采纳).")
            @OptionGroup var file: FileOption
            @Argument(help: "The suggestion's number.") var id: Int64

            func run() async throws {
                try await classesReport {
                    try file.open().adoptSuggestion(id)
                    print("suggestion \(id) adopted")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List a cohort's suggestions.")
            @OptionGroup var file: FileOption
            @Argument(help: "The cohort id.") var cohort: String

            func run() async throws {
                try await classesReport {
                    let rows = try file.open().suggestions(cohort: cohort).map { ["\($0.id)", $0.person ?? "", $0.text, $0.adopted ? "采纳" : ""] }
                    print(TextTable(headers: ["编号 no", "提出人 by", "建议 text", ""], rows: rows, numericColumns: [0]).text)
                }
            }
        }
    }

    /// `wanxia classes attendance`.
    struct Attendance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each learner's attendance so far, by the cohort's completion rule.")

        @OptionGroup var file: FileOption
        @Argument(help: "The cohort id.") var cohort: String

        func run() async throws {
            try await classesReport {
                let store = try file.open()
                if let found = try store.cohort(cohort) { print("\(found.fullTitle)  结业条件 \(found.completion.summary)") }
                printSummaries(try store.attendance(cohort: cohort))
            }
        }
    }

    /// `wanxia classes certificates`.
    struct Certificates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The certificates of completion (结业证书) of a closed cohort.")

        @OptionGroup var file: FileOption
        @Argument(help: "The cohort id.") var cohort: String

        func run() async throws {
            try await classesReport {
                let rows = try file.open().certificates(cohort: cohort).map { [$0.number, $0.person, $0.name] }
                print(TextTable(headers: ["证书编号 certificate", "编号 person", "姓名 name"], rows: rows).text)
            }
        }
    }

    /// `wanxia classes holiday`.
    struct HolidayCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "holiday", abstract: "The holiday table: public holidays (放假) and make-up working days (调休上班).",
            discussion: "Seeded with the State Council's notices for 2024-2026; add next year's when it is announced.",
            subcommands: [List.self, Add.self, Remove.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the table.")
            @OptionGroup var file: FileOption
            @Option(help: "Only this year.") var year: Int?

            func run() async throws {
                try await classesReport {
                    let rows = try file.open().holidays().sorted.filter { year == nil || $0.date.year == year }.map {
                        [$0.date.description, $0.kind == .holiday ? "放假 holiday" : "上班 workday", $0.name]
                    }
                    print(TextTable(headers: ["日期 date", "类型 kind", "节日 name"], rows: rows).text)
                }
            }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add or change a day.")
            @OptionGroup var file: FileOption
            @Argument(help: "The day, e.g. 2027-02-06.") var date: String
            @Option(help: "holiday or workday.") var kind: String
            @Option(help: "The holiday's name: 春节.") var name: String

            func validate() throws {
                guard LocalDate(date) != nil else { throw ValidationError("date: \"\(date)\" is not a day like 2027-02-06") }
                guard HolidayTable.Kind(rawValue: kind) != nil else { throw ValidationError("--kind: \"\(kind)\" must be holiday or workday") }
            }

            func run() async throws {
                try await classesReport {
                    guard let day = LocalDate(date), let kind = HolidayTable.Kind(rawValue: kind) else { return }
                    try file.open().setHoliday(.init(date: day, kind: kind, name: name))
                    print("\(day) \(kind.rawValue) \(name) saved")
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a day.")
            @OptionGroup var file: FileOption
            @Argument(help: "The day.") var date: String

            func run() async throws {
                try await classesReport {
                    guard let day = LocalDate(date) else { throw ValidationError("date: \"\(date)\" is not a day like 2027-02-06") }
                    guard try file.open().removeHoliday(day) else { throw ClassesError(.notFound, "date: \(day) is not in the table") }
                    print("\(day) removed")
                }
            }
        }
    }
}

private func printSummaries(_ summaries: [AttendanceSummary]) {
    let rows = summaries.map { summary in
        [summary.person, summary.name, "\(summary.sessions)", "\(summary.present)", "\(summary.late)", "\(summary.excused)",
         "\(summary.absent)", String(format: "%.1f%%", summary.share * 100), summary.essay ? "✓" : "", summary.completes ? "结业" : ""]
    }
    print(TextTable(headers: ["编号 person", "姓名 name", "课次", "出席", "迟到", "请假", "缺席", "出勤率", "心得", ""],
                    rows: rows, numericColumns: [2, 3, 4, 5, 6, 7]).text)
}

private func printDraw(_ draw: LotteryDraw) {
    print("lottery \(draw.cohort): seed \(draw.seed), \(draw.places) place(s), \(draw.applicants.count) applicant(s), drawn \(RFC3339.string(from: draw.at))")
    for (index, person) in draw.drawn.enumerated() {
        print("  \(index + 1). \(person)  \(index < draw.places ? "enrolled" : "waiting")")
    }
}

/// Runs `body`, printing a ``ClassesError`` or `Rejection` to standard error and exiting 1.
private func classesReport(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ClassesError {
        printError("wanxia: \(error)")
        throw ExitCode(1)
    } catch let rejection as Rejection {
        printError("wanxia: \(rejection)")
        throw ExitCode(1)
    }
}
