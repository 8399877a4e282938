import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT
import WanxiaRegistrar
import WanxiaVolunteers

/// `wanxia volunteers`: run the volunteer teams service, and look after its pool, teams, activities and hours.
struct VolunteersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volunteers",
        abstract: "Volunteer teams (志愿服务队): talent pool, teams, activities, check-in/out hours, leader confirmation.",
        discussion: """
            Changes that produce records (close, confirm, correct, backfill) are committed to the file's
            outbox; the running service (`wanxia volunteers run`) sends them to the registrar.

            Examples:
              wanxia volunteers import-volunteers 人才库.csv
              wanxia volunteers import-teams 服务队.csv
              wanxia volunteers activity plan A-0512 --team law --kind 法律援助进社区 --title "法律援助进社区" \\
                  --site dongcheng-centre --start "2024-05-12 09:00" --end "2024-05-12 12:00"
              wanxia volunteers activity close A-0512
              wanxia volunteers correct A-0512 P-003 1.5 --leader P-001 --reason "11点离开"
              wanxia volunteers backfill A-0512 P-002 2 --by P-001 --reason "纸质签到表补录"
              wanxia volunteers hours --activity A-0512
              wanxia volunteers run --data wanxia-data --host 127.0.0.1 --port 1883
            """,
        subcommands: [Run.self, ImportVolunteers.self, ImportTeams.self, TeamCommand.self, ActivityCommand.self,
                      Confirm.self, Correct.self, Backfill.self, Hours.self])

    /// The `--db` option every file command takes.
    struct FileOption: ParsableArguments {
        @Option(help: "The volunteers file (created if missing).")
        var db = "wanxia-data/volunteers.sqlite"

        func open() throws -> VolunteersStore { try VolunteersStore(path: db) }
    }

    /// `wanxia volunteers run`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the service until SIGINT or SIGTERM: take site scans, send records, publish rosters, close forgotten check-outs.")

        @OptionGroup var bus: BusOptions

        @Option(help: "The service's id on the bus (its MQTT client id and record producer).")
        var id = "volunteers"

        @Option(help: "Hours are counted in steps of this many hours (0 for exact time).")
        var roundingStep = 0.5

        @Option(help: "How a part step is rounded: down, nearest or up.")
        var rounding = "down"

        @Option(help: "Time served below this share of the activity counts 0 hours (0 to 1).")
        var minimumShare = 0.5

        @Option(help: "At most this many check-in/check-out pairs per person and day.")
        var maxPairsPerDay = 2

        func validate() throws {
            guard TopicID.isValid(id) else { throw ValidationError("--id: \"\(id)\" must be 1-64 of a-z 0-9 -") }
            guard roundingStep >= 0, roundingStep <= 24 else { throw ValidationError("--rounding-step: \(roundingStep) must be 0 to 24 hours") }
            guard HourPolicy.Rounding(rawValue: rounding) != nil else { throw ValidationError("--rounding: \"\(rounding)\" must be down, nearest or up") }
            guard (0...1).contains(minimumShare) else { throw ValidationError("--minimum-share: \(minimumShare) must be between 0 and 1") }
            guard maxPairsPerDay >= 1 else { throw ValidationError("--max-pairs-per-day: \(maxPairsPerDay) must be at least 1") }
        }

        func run() async throws {
            let logger = Logger(label: "wanxia.volunteers")
            let mqtt = bus.mqtt(clientID: id)
            var policy = HourPolicy()
            policy.roundingStep = roundingStep
            policy.rounding = HourPolicy.Rounding(rawValue: rounding) ?? .down
            policy.minimumShare = minimumShare
            policy.maxPairsPerDay = maxPairsPerDay
            let service = VolunteersService(configuration: .init(dataDirectory: bus.dataDirectory, mqtt: mqtt,
                                                                 id: try TopicID(validating: id), policy: policy), logger: logger)
            try await volunteersReport { try await runUntilSignalled(service, logger: logger) }
        }
    }

    /// `wanxia volunteers import-volunteers`.
    struct ImportVolunteers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-volunteers",
            abstract: "Import the talent pool (人才库) from CSV or TSV (UTF-8, with or without BOM).",
            discussion: """
                Columns, in Chinese or English: 编号/person and 姓名/name required; 卡号/card, 特长/specialities
                (separated by 、), 电话/phone optional. Every bad row is listed; exit code 1 if there was any.
                """)

        @OptionGroup var file: FileOption

        @Argument(help: "The CSV or TSV file.")
        var csv: String

        func run() async throws {
            try await volunteersReport {
                let report = try file.open().importVolunteers(try readFile(csv), file: csv)
                print(report.text)
                if !report.badRows.isEmpty { throw ExitCode(1) }
            }
        }
    }

    /// `wanxia volunteers import-teams`.
    struct ImportTeams: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-teams",
            abstract: "Import teams and their members from CSV or TSV, one member a row.",
            discussion: """
                Columns: 队伍编号/team, 队伍名称/team_name, 编号/person, 角色/role (队长/leader or 队员/member).
                People must be in the talent pool first. Exit code 1 if any row was bad.
                """)

        @OptionGroup var file: FileOption

        @Argument(help: "The CSV or TSV file.")
        var csv: String

        func run() async throws {
            try await volunteersReport {
                let report = try file.open().importTeams(try readFile(csv), file: csv)
                print(report.text)
                if !report.badRows.isEmpty { throw ExitCode(1) }
            }
        }
    }

    /// `wanxia volunteers team`.
    struct TeamCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "team", abstract: "Teams.", subcommands: [List.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the teams with leaders and members.")

            @OptionGroup var file: FileOption

            func run() async throws {
                try await volunteersReport {
                    let rows = try file.open().teams().map { team in
                        [team.id, team.name, team.leaders.joined(separator: " "), "\(team.members.count)"]
                    }
                    print(TextTable(headers: ["编号 id", "名称 name", "队长 leaders", "人数 members"], rows: rows, numericColumns: [3]).text)
                }
            }
        }
    }

    /// `wanxia volunteers activity`.
    struct ActivityCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "activity", abstract: "Service activities.",
                                                        subcommands: [Plan.self, List.self, Close.self])

        struct Plan: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Plan an activity, or change one with the same id; its site's roster is republished.",
                discussion: "Times as \"2024-05-12 09:00\" (China Standard Time) or RFC 3339 with an offset.")

            @OptionGroup var file: FileOption

            @Argument(help: "The activity id, e.g. A-2024-0512-law.")
            var id: String

            @Option(help: "The team id.")
            var team: String

            @Option(help: "The kind of service, e.g. 法律援助进社区.")
            var kind: String

            @Option(help: "The title.")
            var title: String

            @Option(help: "The site id (as its kiosk is named on the bus).")
            var site: String

            @Option(help: "Start time.")
            var start: String

            @Option(help: "End time.")
            var end: String

            func validate() throws {
                guard TopicID.isValid(site) else { throw ValidationError("--site: \"\(site)\" must be 1-64 of a-z 0-9 -") }
                _ = try parseLocalTime(start, "--start")
                _ = try parseLocalTime(end, "--end")
            }

            func run() async throws {
                try await volunteersReport {
                    let activity = Activity(id: id, team: team, kind: kind, title: title, site: try TopicID(validating: site),
                                            start: try parseLocalTime(start, "--start"), end: try parseLocalTime(end, "--end"))
                    try file.open().plan(activity)
                    print("planned \(id)")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the activities.")

            @OptionGroup var file: FileOption

            func run() async throws {
                try await volunteersReport {
                    let rows = try file.open().activities().map { activity in
                        [activity.id, activity.team, activity.kind, activity.title, activity.site.rawValue,
                         RFC3339.string(from: activity.start), RFC3339.string(from: activity.end),
                         activity.closedAt == nil ? "" : "closed"]
                    }
                    print(TextTable(headers: ["编号 id", "队伍 team", "类别 kind", "名称 title", "场所 site", "开始 start", "结束 end", ""],
                                    rows: rows).text)
                }
            }
        }

        struct Close: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Close forgotten check-outs at the activity's end (records flagged auto-closed for the leader).")

            @OptionGroup var file: FileOption

            @Argument(help: "The activity id.")
            var id: String

            func run() async throws {
                try await volunteersReport {
                    let made = try file.open().close(activity: id)
                    print("\(id): \(made.count) forgotten check-out(s) closed")
                }
            }
        }
    }

    /// `wanxia volunteers confirm`.
    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A team leader confirms an activity's clocked hours as they stand.")

        @OptionGroup var file: FileOption

        @Argument(help: "The activity id.")
        var activity: String

        @Option(help: "The leader's person id.")
        var leader: String

        func run() async throws {
            try await volunteersReport {
                try file.open().confirm(activity: activity, leader: leader)
                print("\(activity): confirmed by \(leader)")
            }
        }
    }

    /// `wanxia volunteers correct`.
    struct Correct: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A team leader corrects one person's hours: a new record supersedes the old, with who and why.")

        @OptionGroup var file: FileOption

        @Argument(help: "The activity id.")
        var activity: String

        @Argument(help: "The person id or card.")
        var person: String

        @Argument(help: "The hours actually served.")
        var hours: Double

        @Option(help: "The leader's person id.")
        var leader: String

        @Option(help: "Why the hours are corrected.")
        var reason: String

        func run() async throws {
            try await volunteersReport {
                let made = try file.open().correct(activity: activity, person: person, hours: hours, leader: leader, reason: reason)
                print("\(activity) \(person): \(made.count) record(s) made")
            }
        }
    }

    /// `wanxia volunteers backfill`.
    struct Backfill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A team leader adds hours afterwards (back-filled ledger; never more than the activity's length).")

        @OptionGroup var file: FileOption

        @Argument(help: "The activity id.")
        var activity: String

        @Argument(help: "The person id or card.")
        var person: String

        @Argument(help: "The hours to add.")
        var hours: Double

        @Option(help: "The leader's person id.")
        var by: String

        @Option(help: "Why the hours are added afterwards.")
        var reason: String

        func run() async throws {
            try await volunteersReport {
                let id = try file.open().backfill(activity: activity, person: person, hours: hours, by: by, reason: reason)
                print("\(activity) \(person): back-filled \(hours) h (record \(id))")
            }
        }
    }

    /// `wanxia volunteers hours`.
    struct Hours: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The records the service made for an activity, standing and superseded.")

        @OptionGroup var file: FileOption

        @Option(help: "The activity id.")
        var activity: String

        func run() async throws {
            try await volunteersReport {
                let lines = try file.open().hours(activity: activity)
                let rows = lines.map { line in
                    [line.person, line.role, line.ledger.rawValue, line.status, String(line.hours),
                     line.supersededBy == nil ? "" : "superseded", [line.correctedBy, line.reason].compactMap { $0 }.joined(separator: ": ")]
                }
                print(TextTable(headers: ["人员 person", "角色 role", "台账 ledger", "状态 status", "小时 hours", "", "更正 by: reason"],
                                rows: rows, numericColumns: [4]).text)
                let standing = lines.filter { $0.supersededBy == nil }
                let clocked = standing.filter { $0.ledger == .clocked }.reduce(0) { $0 + $1.hours }
                let backfilled = standing.filter { $0.ledger == .backfilled }.reduce(0) { $0 + $1.hours }
                print("clocked \(clocked) h; backfilled \(backfilled) h")
            }
        }
    }
}


private func readFile(_ path: String) throws -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw VolunteersError(.importFailed, "\(path): cannot be read", underlying: error)
    }
}

/// Runs `body`, printing a ``VolunteersError`` or `Rejection` to standard error and exiting 1.
private func volunteersReport(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as VolunteersError {
        printError("wanxia: \(error)")
        throw ExitCode(1)
    } catch let rejection as Rejection {
        printError("wanxia: \(rejection)")
        throw ExitCode(1)
    }
}
