import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery
import WanxiaMentoring
import WanxiaMQTT
import WanxiaRegistrar

/// `wanxia mentoring`: the youth mentoring service and its administration.
struct MentoringCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentoring",
        abstract: "Youth mentoring pairs (结对帮扶): pairs, meetings, sponsorships, school talks.",
        discussion: """
            Young people are known everywhere by a random pseudonym (Y-...) and an age band. Their real
            names, ID numbers, schools, guardians and birth dates live only in the identity file
            (mentoring-identity.sqlite, mode 0600), which only the `youth` and `consent` commands open,
            and only with --role identity-officer --as <your id>; every access is logged.

            Examples:
              wanxia mentoring mentor import 五老名单.csv
              wanxia mentoring youth import 青少年名单.csv --role identity-officer --as S-01
              wanxia mentoring consent Y-7k2m... --giver guardian --relation 母亲 --guardian-name 某某 \\
                  --on 2024-02-25 --how 书面 --role identity-officer --as S-01
              wanxia mentoring pair propose --mentor M-01 --youth Y-7k2m... --kind sponsorship --by S-01 --reason 学校推荐
              wanxia mentoring pair activate pair-3hx8... --by S-01 --reason 审批通过 --role identity-officer --as S-01
              wanxia mentoring pair pause pair-3hx8... --by S-01 --reason 寒假
              wanxia mentoring pair close pair-3hx8... --code graduated --by S-01 --reason 考入高中
              wanxia mentoring meeting pair-3hx8... --mentor M-01 --minutes 90 --end "2024-03-09 11:00"
              wanxia mentoring sponsor pair-3hx8... --what "助学金 1000 元" --amount 1000 --by S-01
              wanxia mentoring talk --kind 法治教育报告会 --title 法治教育报告会 --start "2024-04-12 14:00" \\
                  --end "2024-04-12 15:30" --audience 320 --speaker M-01 --speaker M-02
              wanxia mentoring figures --period 2024上半年
              wanxia mentoring run --data wanxia-data
            """,
        subcommands: [Run.self, MentorCommand.self, YouthCommand.self, ConsentCommand.self, PairCommand.self, ReasonCommand.self,
                      MeetingCommand.self, SponsorCommand.self, TalkCommand.self, Figures.self])

    /// The `--db` option every file command takes.
    struct FileOption: ParsableArguments {
        @Option(help: "The mentoring file (created if missing).")
        var db = "wanxia-data/mentoring.sqlite"

        func open() throws -> MentoringStore { try MentoringStore(path: db) }
    }

    /// The options that open the identity file: an explicit role and who you are.
    struct IdentityOptions: ParsableArguments {
        @Option(help: "Your role; the identity file opens only for identity-officer.")
        var role: String?

        @Option(name: .customLong("as"), help: "Your person id, written to the access log.")
        var actor: String?

        @Option(help: "The identity file (created with mode 0600 if missing).")
        var identityDb = "wanxia-data/mentoring-identity.sqlite"

        func open() throws -> IdentityStore {
            guard let role else {
                throw MentoringError(.accessDenied, "this command reads or writes young people's identities: give --role identity-officer --as <your id>")
            }
            guard let actor else { throw MentoringError(.accessDenied, "--as: say who you are (your person id) for the access log") }
            return try IdentityStore(path: identityDb, access: IdentityAccess(role: .init(rawValue: role), actor: actor))
        }
    }

    /// `wanxia mentoring run`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the service until SIGINT or SIGTERM: take meeting logs from phones, send records to the registrar. It never opens the identity file.")

        @OptionGroup var bus: BusOptions

        @Option(help: "The service's id on the bus (its MQTT client id and record producer).")
        var id = "mentoring"

        func validate() throws {
            guard TopicID.isValid(id) else { throw ValidationError("--id: \"\(id)\" must be 1-64 of a-z 0-9 -") }
        }

        func run() async throws {
            let logger = Logger(label: "wanxia.mentoring")
            let mqtt = bus.mqtt(clientID: id)
            let service = MentoringService(configuration: .init(dataDirectory: bus.dataDirectory, mqtt: mqtt,
                                                                id: try TopicID(validating: id)), logger: logger)
            try await mentoringReport { try await runUntilSignalled(service, logger: logger) }
        }
    }

    /// `wanxia mentoring mentor`.
    struct MentorCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mentor", abstract: "Mentors and speakers (retirees).",
                                                        subcommands: [Import.self, Add.self, List.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import mentors from CSV or TSV: 编号/person and 姓名/name required, 电话/phone optional.")
            @OptionGroup var file: FileOption
            @Argument(help: "The CSV or TSV file.") var csv: String

            func run() async throws {
                try await mentoringReport {
                    let report = try file.open().importMentors(try readMentoringFile(csv), file: csv)
                    print(report.text)
                    if !report.badRows.isEmpty { throw ExitCode(1) }
                }
            }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add one mentor (or change their name or phone).")
            @OptionGroup var file: FileOption
            @Argument(help: "The person id (as on the bureau's roll).") var person: String
            @Argument(help: "The name.") var name: String
            @Option(help: "Phone.") var phone: String?

            func run() async throws {
                try await mentoringReport {
                    try file.open().addMentor(person: person, name: name, phone: phone)
                    print("mentor \(person) added")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the mentors.")
            @OptionGroup var file: FileOption

            func run() async throws {
                try await mentoringReport {
                    print(TextTable(headers: ["编号 person", "姓名 name"], rows: try file.open().mentors().map { [$0.person, $0.name] }).text)
                }
            }
        }
    }

    /// `wanxia mentoring youth`.
    struct YouthCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "youth", abstract: "Young people: pseudonyms for everyone, identities for the identity officer.",
            subcommands: [Import.self, Enrol.self, List.self, Show.self, Delete.self, AccessLog.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Enrol young people from CSV/TSV (identity officer): each row gets a random pseudonym.",
                discussion: "Columns: 姓名/name required; 身份证号/id_number, 出生日期/birth_date, 学校/school, 监护人/guardian, 监护人电话/guardian_phone.")
            @OptionGroup var file: FileOption
            @OptionGroup var identity: IdentityOptions
            @Argument(help: "The CSV or TSV file.") var csv: String

            func run() async throws {
                try await mentoringReport {
                    let office = IdentityOffice(store: try file.open(), identities: try identity.open())
                    let report = try office.importYouth(try readMentoringFile(csv), file: csv)
                    print(report.text)
                    if !report.badRows.isEmpty { throw ExitCode(1) }
                }
            }
        }

        struct Enrol: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Enrol one young person (identity officer); prints the pseudonym.")
            @OptionGroup var file: FileOption
            @OptionGroup var identity: IdentityOptions
            @Option(help: "Full name.") var name: String
            @Option(help: "Resident ID number (18 characters).") var idNumber: String?
            @Option(help: "Birth date, 2012-03-15 (taken from the ID number if missing).") var birthDate: String?
            @Option(help: "School.") var school: String?
            @Option(help: "Guardian's name.") var guardian: String?
            @Option(help: "Guardian's phone.") var guardianPhone: String?

            func validate() throws {
                if let birthDate, AgeBand.parseDate(birthDate) == nil { throw ValidationError("--birth-date: not a date like 2012-03-15") }
            }

            func run() async throws {
                try await mentoringReport {
                    let office = IdentityOffice(store: try file.open(), identities: try identity.open())
                    print(try office.enrol(YouthIdentity(name: name, idNumber: idNumber, birthDate: birthDate.flatMap(AgeBand.parseDate),
                                                         school: school, guardianName: guardian, guardianPhone: guardianPhone)))
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List young people by pseudonym, age band and consent (no identities).")
            @OptionGroup var file: FileOption

            func run() async throws {
                try await mentoringReport {
                    let rows = try file.open().youth().map { youth in
                        [youth.pseudonym, youth.ageBand ?? "", youth.consentAt.map { "\(day($0)) \(youth.consentBy ?? "")" } ?? "",
                         youth.identityDeletedAt.map { "deleted \(day($0))" } ?? ""]
                    }
                    print(TextTable(headers: ["编号 pseudonym", "年龄段 age band", "同意 consent", ""], rows: rows).text)
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show the identity behind a pseudonym (identity officer; logged).")
            @OptionGroup var identity: IdentityOptions
            @Argument(help: "The pseudonym (Y-...).") var pseudonym: String

            func run() async throws {
                try await mentoringReport {
                    guard let person = try identity.open().identity(pseudonym) else {
                        throw MentoringError(.notFound, "\(pseudonym): no identity on file (never enrolled, or deleted on request)")
                    }
                    print("""
                        编号 pseudonym  \(pseudonym)
                        姓名 name       \(person.name)
                        身份证 ID       \(person.idNumber ?? "")
                        出生 born       \(person.birthDate.map(AgeBand.format) ?? "")
                        学校 school     \(person.school ?? "")
                        监护人 guardian \(person.guardianName ?? "") \(person.guardianPhone ?? "")
                        """)
                }
            }
        }

        struct Delete: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Delete a young person's identity on request (identity officer): the bytes are gone; the pseudonymous records stay.")
            @OptionGroup var file: FileOption
            @OptionGroup var identity: IdentityOptions
            @Argument(help: "The pseudonym (Y-...).") var pseudonym: String

            func run() async throws {
                try await mentoringReport {
                    try IdentityOffice(store: try file.open(), identities: try identity.open()).delete(pseudonym)
                    print("\(pseudonym): identity deleted; close any open pairs (wanxia mentoring pair close)")
                }
            }
        }

        struct AccessLog: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "access-log", abstract: "Who opened the identity file, when, for what.")
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                try await mentoringReport {
                    let rows = try identity.open().accessLog().map { [RFC3339.string(from: $0.at), $0.actor, $0.role, $0.action, $0.pseudonym ?? ""] }
                    print(TextTable(headers: ["时间 at", "人员 actor", "角色 role", "操作 action", "编号 pseudonym"], rows: rows).text)
                }
            }
        }
    }

    /// `wanxia mentoring consent`.
    struct ConsentCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consent",
            abstract: "Record consent (identity officer): a guardian's under 14, the young person's own from 14.")
        @OptionGroup var file: FileOption
        @OptionGroup var identity: IdentityOptions
        @Argument(help: "The pseudonym (Y-...).") var pseudonym: String
        @Option(help: "guardian or self.") var giver = "guardian"
        @Option(help: "Relation to the young person: 父亲, 母亲, 祖父母, 本人...") var relation: String
        @Option(help: "The guardian's name.") var guardianName: String?
        @Option(help: "The day it was given, 2024-02-25.") var on: String
        @Option(help: "How: 书面, 电子, 口头.") var how: String
        @Option(help: "Where the signed form is kept, or its number.") var document: String?

        func validate() throws {
            guard Consent.Giver(rawValue: giver) != nil else { throw ValidationError("--giver: \"\(giver)\" must be guardian or self") }
            _ = try parseLocalTime(on, "--on")
        }

        func run() async throws {
            try await mentoringReport {
                let office = IdentityOffice(store: try file.open(), identities: try identity.open())
                try office.recordConsent(Consent(giver: Consent.Giver(rawValue: giver) ?? .guardian, relation: relation,
                                                 guardianName: guardianName, givenOn: try parseLocalTime(on, "--on"), how: how,
                                                 document: document), for: pseudonym)
                print("\(pseudonym): consent recorded")
            }
        }
    }

    /// `wanxia mentoring pair`.
    struct PairCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pair", abstract: "Pairs and their lifecycle: proposed -> active <-> paused -> closed.",
            subcommands: [Propose.self, Activate.self, Pause.self, Resume.self, Close.self, List.self, History.self])

        /// Who makes the step, why and when.
        struct Step: ParsableArguments {
            @Option(help: "Your person id (logged with the step).") var by: String
            @Option(help: "Why (logged with the step; stays in the service).") var reason: String
            @Option(help: "When, e.g. \"2024-03-02 09:00\" (default now).") var at: String?

            func time() throws -> Date { try at.map { try parseLocalTime($0, "--at") } ?? Date() }
        }

        struct Propose: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Propose a pair of a mentor and a young person (pseudonym).")
            @OptionGroup var file: FileOption
            @OptionGroup var step: Step
            @Option(help: "The mentor's person id.") var mentor: String
            @Option(help: "The young person's pseudonym (Y-...).") var youth: String
            @Option(help: "sponsorship (资助贫困学生), guidance (帮教失足青少年) or other (结对帮扶).") var kind: String
            @Option(help: "The pair id (default: a random pair-...).") var id: String?

            func validate() throws {
                guard PairKind(text: kind) != nil else { throw ValidationError("--kind: \"\(kind)\" must be sponsorship, guidance or other") }
            }

            func run() async throws {
                try await mentoringReport {
                    let pair = try file.open().propose(id: id, mentor: mentor, youth: youth, kind: PairKind(text: kind) ?? .other,
                                                       actor: step.by, reason: step.reason, at: try step.time())
                    print(pair.id)
                }
            }
        }

        struct Activate: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Make a proposed pair active (consent must be on record; with --role identity-officer the age is checked on the day).")
            @OptionGroup var file: FileOption
            @OptionGroup var step: Step
            @OptionGroup var identity: IdentityOptions
            @Argument(help: "The pair id.") var pair: String

            func run() async throws {
                try await mentoringReport {
                    let store = try file.open()
                    if identity.role != nil {
                        try IdentityOffice(store: store, identities: try identity.open()).activate(pair: pair, actor: step.by, reason: step.reason,
                                                                                                    at: try step.time())
                    } else {
                        try store.activate(pair: pair, actor: step.by, reason: step.reason, at: try step.time())
                    }
                    print("\(pair): active")
                }
            }
        }

        struct Pause: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Pause an active pair.")
            @OptionGroup var file: FileOption
            @OptionGroup var step: Step
            @Argument(help: "The pair id.") var pair: String

            func run() async throws {
                try await mentoringReport {
                    try file.open().pause(pair: pair, actor: step.by, reason: step.reason, at: try step.time())
                    print("\(pair): paused")
                }
            }
        }

        struct Resume: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Make a paused pair active again.")
            @OptionGroup var file: FileOption
            @OptionGroup var step: Step
            @Argument(help: "The pair id.") var pair: String

            func run() async throws {
                try await mentoringReport {
                    try file.open().resume(pair: pair, actor: step.by, reason: step.reason, at: try step.time())
                    print("\(pair): active")
                }
            }
        }

        struct Close: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Close a pair (final) with a reason code from the catalogue.")
            @OptionGroup var file: FileOption
            @OptionGroup var step: Step
            @Option(help: "The closure reason's code (wanxia mentoring reason list).") var code: String
            @Argument(help: "The pair id.") var pair: String

            func run() async throws {
                try await mentoringReport {
                    try file.open().close(pair: pair, reason: code, note: step.reason, actor: step.by, at: try step.time())
                    print("\(pair): closed (\(code))")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List pairs.")
            @OptionGroup var file: FileOption
            @Option(help: "Only pairs in this state: proposed, active, paused, closed.") var state: String?

            func validate() throws {
                if let state, PairState(rawValue: state) == nil { throw ValidationError("--state: \"\(state)\" is not proposed, active, paused or closed") }
            }

            func run() async throws {
                try await mentoringReport {
                    let rows = try file.open().pairs(state: state.flatMap(PairState.init(rawValue:))).map { pair in
                        [pair.id, pair.mentor, pair.youth, pair.kind.words, pair.state.rawValue,
                         pair.activatedAt.map(day) ?? "", pair.closedAt.map(day) ?? "", pair.closureReason ?? ""]
                    }
                    print(TextTable(headers: ["编号 pair", "帮扶人 mentor", "青少年 youth", "类别 kind", "状态 state", "启动 active",
                                              "结束 closed", "原因 reason"], rows: rows).text)
                }
            }
        }

        struct History: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Every step of a pair: time, actor, reason.")
            @OptionGroup var file: FileOption
            @Argument(help: "The pair id.") var pair: String

            func run() async throws {
                try await mentoringReport {
                    let rows = try file.open().history(pair: pair).map {
                        [RFC3339.string(from: $0.at), $0.from?.rawValue ?? "", $0.to.rawValue, $0.actor, $0.reason]
                    }
                    print(TextTable(headers: ["时间 at", "从 from", "到 to", "人员 actor", "原因 reason"], rows: rows).text)
                }
            }
        }
    }

    /// `wanxia mentoring reason`.
    struct ReasonCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reason", abstract: "The closure-reason catalogue.",
                                                        subcommands: [List.self, Add.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the closure reasons.")
            @OptionGroup var file: FileOption

            func run() async throws {
                try await mentoringReport {
                    let rows = try file.open().closureReasons().map { [$0.code, $0.label, $0.planned ? "planned" : ""] }
                    print(TextTable(headers: ["代码 code", "原因 label", "计划内 planned"], rows: rows).text)
                }
            }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a closure reason (or change the words of one).")
            @OptionGroup var file: FileOption
            @Argument(help: "The code, e.g. changed-school.") var code: String
            @Argument(help: "The words, e.g. 转学.") var label: String
            @Flag(help: "A planned ending (like completed), not an early one.") var planned = false

            func run() async throws {
                try await mentoringReport {
                    try file.open().addClosureReason(ClosureReason(code: code, label: label, planned: planned))
                    print("reason \(code) added")
                }
            }
        }
    }

    /// `wanxia mentoring meeting`.
    struct MeetingCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "meeting", abstract: "Log a meeting of an active pair (phones send meeting-log observations instead).")
        @OptionGroup var file: FileOption
        @Argument(help: "The pair id.") var pair: String
        @Option(help: "The pair's mentor.") var mentor: String
        @Option(help: "Length in minutes (1-1440).") var minutes: Int
        @Option(help: "When it ended, e.g. \"2024-03-09 11:00\".") var end: String
        @Option(help: "visit, call, study or other.") var mode = "visit"

        func validate() throws {
            guard MeetingLog.Mode(rawValue: mode) != nil else { throw ValidationError("--mode: \"\(mode)\" must be visit, call, study or other") }
            _ = try parseLocalTime(end, "--end")
        }

        func run() async throws {
            try await mentoringReport {
                let event = try file.open().logMeeting(pair: pair, mentor: mentor, minutes: minutes, mode: MeetingLog.Mode(rawValue: mode) ?? .visit,
                                                       end: try parseLocalTime(end, "--end"))
                print(event)
            }
        }
    }

    /// `wanxia mentoring sponsor`.
    struct SponsorCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sponsor", abstract: "Record a sponsorship handed over (what was given stays in the service).")
        @OptionGroup var file: FileOption
        @Argument(help: "The pair id.") var pair: String
        @Option(help: "What was given, e.g. \"助学金 1000 元\".") var what: String
        @Option(help: "Amount in yuan.") var amount: Double?
        @Option(help: "Your person id.") var by: String
        @Option(help: "When (default now).") var at: String?

        func run() async throws {
            try await mentoringReport {
                let when = try at.map { try parseLocalTime($0, "--at") } ?? Date()
                print(try file.open().sponsor(pair: pair, what: what, amount: amount, actor: by, at: when))
            }
        }
    }

    /// `wanxia mentoring talk`.
    struct TalkCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "talk", abstract: "Record a school talk: only the audience size is known.")
        @OptionGroup var file: FileOption
        @Option(help: "Kind, e.g. 法治教育报告会, 宣讲.") var kind: String
        @Option(help: "Title (do not name pupils).") var title: String
        @Option(help: "Site id.") var site: String?
        @Option(help: "Start.") var start: String
        @Option(help: "End.") var end: String
        @Option(help: "Audience size.") var audience: Int
        @Option(help: "A speaker's person id (a mentor); repeat for several.") var speaker: [String]

        func run() async throws {
            try await mentoringReport {
                print(try file.open().recordTalk(Talk(kind: kind, title: title, site: site, start: try parseLocalTime(start, "--start"),
                                                      end: try parseLocalTime(end, "--end"), audience: audience, speakers: speaker)))
            }
        }
    }

    /// `wanxia mentoring figures`.
    struct Figures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The period's figures: mentors and pairs active, young people helped, students sponsored, talks and audience.")
        @OptionGroup var file: FileOption
        @Option(help: "The period: 2024, 2024上半年, 2024Q2, 2024-05, 2024-01-01..2024-06-30.") var period: String
        @Option(help: "table or json.") var format = "table"

        func run() async throws {
            let span: Period
            do { span = try Period(parsing: period) } catch { throw ValidationError("--period: \(error)") }
            try await mentoringReport {
                let figures = try file.open().figures(from: span.from, to: span.to)
                if format == "json" {
                    print(String(decoding: try WanxiaJSON.encode(figures), as: UTF8.self))
                    return
                }
                let hours = (figures.meetingHours * 100).rounded() / 100
                let rows: [[String]] = [
                    ["结对五老 mentors active", "\(figures.mentorsActive)"], ["结对数 pairs active", "\(figures.pairsActive)"],
                    ["新结对 pairs opened", "\(figures.pairsOpened)"],
                    ["结束 pairs closed", "\(figures.pairsClosed.values.reduce(0, +))"],
                    ["受益青少年 young people helped", "\(figures.youngPeopleHelped)"],
                    ["资助学生 students sponsored", "\(figures.studentsSponsored)"], ["资助次数 sponsorships", "\(figures.sponsorships)"],
                    ["帮扶活动 meetings", "\(figures.meetings)"], ["时长 hours", "\(hours)"],
                    ["报告会 talks held", "\(figures.talksHeld)"], ["受教育人次 audience (person-times)", "\(figures.audienceReached)"],
                ] + figures.pairsClosed.sorted { $0.key < $1.key }.map { ["  结束原因 \($0.key)", "\($0.value)"] }
                print("期间 \(span)")
                print(TextTable(headers: ["指标 figure", "数 value"], rows: rows, numericColumns: [1]).text)
            }
        }
    }
}

/// The day of `date` in China Standard Time, `2024-03-02`.
private func day(_ date: Date) -> String { String(RFC3339.string(from: date).prefix(10)) }


private func readMentoringFile(_ path: String) throws -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw MentoringError(.importFailed, "\(path): cannot be read", underlying: error)
    }
}

/// Runs `body`, printing a ``MentoringError`` or `Rejection` to standard error and exiting 1.
private func mentoringReport(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as MentoringError {
        printError("wanxia: \(error)")
        throw ExitCode(1)
    } catch let rejection as Rejection {
        printError("wanxia: \(rejection)")
        throw ExitCode(1)
    }
}
