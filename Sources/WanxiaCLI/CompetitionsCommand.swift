import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WanxiaCompetitions
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT

/// `wanxia competitions`: run the competitions service, and look after registrations, draws,
/// results, judges' scores, exhibitions, standings and printouts.
struct CompetitionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "competitions",
        abstract: "Competitions (比赛): registration, fixtures, results, standings.",
        discussion: """
            The file commands work on the service's SQLite file (--db); results entered here count as a
            tablet's would. Finishing a competition (by itself when the last match is decided) commits its
            records to the file's outbox; the running service sends them to the registrar and publishes the
            retained fixtures and standings.

            Examples:
              wanxia competitions people 老干部名册.csv
              wanxia competitions create gateball-2024 --title "老干部门球联赛" --kind 门球赛 --game gateball \\
                  --format round-robin --entry team --members 5 --site gateball-court \\
                  --start "2024-05-12 08:00" --end "2024-05-14 17:00" --seed 20240512 --hours 6 --confirm
              wanxia competitions register gateball-2024 east --name 东城队 --unit 东城街道 --members G1,G2,G3,G4,G5
              wanxia competitions draw gateball-2024
              wanxia competitions sheets gateball-2024 --round 1
              wanxia competitions result gateball-2024 r1-b1 20 12 --referee R-01 --confirmed-by R-02
              wanxia competitions standings gateball-2024 --html > 成绩公告.html
              wanxia competitions run --data wanxia-data --host 127.0.0.1 --port 1883
            """,
        subcommands: [Run.self, People.self, Person.self, Create.self, List.self, Register.self, Withdraw.self, Appoint.self,
                      Draw.self, Result.self, Score.self, Work.self, Recuse.self, Select.self, Finish.self,
                      Fixtures.self, Standings.self, Sheets.self])

    /// The `--db` option every file command takes.
    struct FileOption: ParsableArguments {
        @Option(help: "The competitions file (created if missing).")
        var db = "wanxia-data/competitions.sqlite"

        func open() throws -> CompetitionsStore {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: db).deletingLastPathComponent(), withIntermediateDirectories: true)
            return try CompetitionsStore(path: db)
        }
    }

    /// `wanxia competitions run`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the service until SIGINT or SIGTERM: take tablets' results and judges' scores, send records, publish fixtures and standings.")

        @OptionGroup var bus: BusOptions

        @Option(help: "The service's id on the bus (its MQTT client id and record producer).")
        var id = "competitions"

        func validate() throws {
            guard TopicID.isValid(id) else { throw ValidationError("--id: \"\(id)\" must be 1-64 of a-z 0-9 -") }
        }

        func run() async throws {
            let logger = Logger(label: "wanxia.competitions")
            let mqtt = bus.mqtt(clientID: id)
            let service = CompetitionsService(configuration: .init(dataDirectory: bus.dataDirectory, mqtt: mqtt,
                                                                   id: try TopicID(validating: id)), logger: logger)
            try await competitionsReport { try await runUntilSignalled(service, logger: logger) }
        }
    }

    /// `wanxia competitions people`.
    struct People: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import players and officials from CSV or TSV: 编号/person, 姓名/name, 原单位/unit.",
            discussion: "Every bad row is listed; exit code 1 if there was any.")

        @OptionGroup var file: FileOption

        @Argument(help: "The CSV or TSV file.")
        var csv: String

        func run() async throws {
            try await competitionsReport {
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: csv)) } catch {
                    throw CompetitionsError(.importFailed, "\(csv): cannot be read", underlying: error)
                }
                let report = try file.open().importPeople(data, file: csv)
                print("\(csv): 导入 imported \(report.imported); 错误 bad rows \(report.badRows.count)")
                for bad in report.badRows { print("  line \(bad.line): \(bad.problem)") }
                if !report.badRows.isEmpty { throw ExitCode(1) }
            }
        }
    }

    /// `wanxia competitions person`.
    struct Person: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add one player or official, or change a name or unit.")

        @OptionGroup var file: FileOption

        @Argument(help: "The person id, as on the bureau's roll.")
        var id: String

        @Argument(help: "The name.")
        var name: String

        @Option(help: "The former work unit (原单位).")
        var unit: String?

        func run() async throws {
            try await competitionsReport {
                try file.open().addPerson(id: id, name: name, unit: unit)
                print("added \(id)")
            }
        }
    }

    /// `wanxia competitions create`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a competition, or change one still taking registrations.",
            discussion: """
                Formats: knockout, round-robin, double-round-robin, swiss, judged, exhibition.
                Tie-breaks (in order, after points; lots always last): \(TieBreak.allCases.map(\.rawValue).joined(separator: ", ")).
                Without --tie-breaks the game's rules apply (chinese-chess, table-tennis, gateball).
                """)

        @OptionGroup var file: FileOption

        @Argument(help: "The competition id (a-z 0-9 -), e.g. gateball-2024.")
        var id: String

        @Option(help: "The title.") var title: String
        @Option(help: "The kind in the bureau's words, e.g. 门球赛, 乒乓球赛, 书法展.") var kind: String
        @Option(help: "The game: gateball, table-tennis, chinese-chess, chess, guandan, singing, calligraphy...") var game: String
        @Option(help: "The format.") var format: String
        @Option(help: "Who enters: individual, pair or team.") var entry = "individual"
        @Option(help: "Members per entrant (a team: 5, or 5-7).") var members: String?
        @Option(help: "At most this many entrants.") var capacity: Int?
        @Option(help: "Only these former units may enter (comma-separated).") var units: String?
        @Option(help: "The site id where it is played (a-z 0-9 -).") var site: String
        @Option(help: "First day and time, e.g. \"2024-05-12 08:00\".") var start: String
        @Option(help: "Last day and time.") var end: String
        @Option(help: "The recorded seed of the draw and of lots (default: from the clock; printed).") var seed: UInt64?
        @Option(help: "Swiss: the number of rounds (default ceil(log2 n)).") var rounds: Int?
        @Option(help: "Tie-break list, comma-separated.") var tieBreaks: String?
        @Option(help: "Points for a win, draw, loss, e.g. 2,1,0.") var points: String?
        @Flag(help: "Knockout: play a third-place match.") var thirdPlace = false
        @Flag(help: "Knockout: keep entrants of the same unit apart (同单位回避).") var separateUnits = false
        @Flag(help: "A result counts only when a second official confirms it.") var confirm = false
        @Option(help: "Judged: drop highest and lowest from this many judges up.") var dropFrom = 4
        @Option(help: "Exhibition: works kept after each round, e.g. 100,50.") var quotas: String?
        @Option(help: "Hours credited to each participant and official.") var hours = 0.0

        func validate() throws {
            guard Competition.Format(rawValue: format) != nil else {
                throw ValidationError("--format: \"\(format)\" must be one of \(Competition.Format.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard Competition.Entry(rawValue: entry) != nil else { throw ValidationError("--entry: \"\(entry)\" must be individual, pair or team") }
            guard TopicID.isValid(site) else { throw ValidationError("--site: \"\(site)\" must be 1-64 of a-z 0-9 -") }
            _ = try parseLocalTime(start, "--start")
            _ = try parseLocalTime(end, "--end")
            _ = try memberRange()
            _ = try pointsScheme()
        }

        func memberRange() throws -> ClosedRange<Int>? {
            guard let members else { return nil }
            let parts = members.split(separator: "-").compactMap { Int($0) }
            guard (1...2).contains(parts.count), let low = parts.first, let high = parts.last, low >= 1, low <= high else {
                throw ValidationError("--members: \"\(members)\" must be a number or a range like 5-7")
            }
            return low...high
        }

        func pointsScheme() throws -> PointsScheme? {
            guard let points else { return nil }
            let parts = points.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 3 else { throw ValidationError("--points: \"\(points)\" must be win,draw,loss like 2,1,0") }
            return PointsScheme(win: parts[0], draw: parts[1], loss: parts[2])
        }

        func run() async throws {
            try await competitionsReport {
                let formatValue = Competition.Format(rawValue: format) ?? .knockout
                let range = try memberRange()
                let chosenSeed = seed ?? UInt64(Date().timeIntervalSince1970 * 1000)
                let competition = Competition(
                    id: id, title: title, kind: kind, game: game, format: formatValue, entry: Competition.Entry(rawValue: entry) ?? .individual,
                    minMembers: range?.lowerBound, maxMembers: range?.upperBound, capacity: capacity,
                    units: units.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [],
                    site: try TopicID(validating: site), start: try parseLocalTime(start, "--start"), end: try parseLocalTime(end, "--end"),
                    points: try pointsScheme(), tieBreaks: try tieBreaks.map(TieBreak.list), seed: chosenSeed, rounds: rounds,
                    thirdPlace: thirdPlace, separateUnits: separateUnits, needsConfirmation: confirm, dropFrom: dropFrom,
                    quotas: try (quotas ?? "").split(separator: ",").map { part in
                        guard let quota = Int(part.trimmingCharacters(in: .whitespaces)) else {
                            throw ValidationError("--quotas: \"\(part)\" is not a number")
                        }
                        return quota
                    },
                    hours: hours)
                try file.open().create(competition)
                print("created \(id) (seed \(chosenSeed); tie-breaks \(competition.tieBreaks.map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    /// `wanxia competitions list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the competitions.")

        @OptionGroup var file: FileOption

        func run() async throws {
            try await competitionsReport {
                for competition in try file.open().competitions() {
                    print([competition.id, competition.kind, competition.title, competition.format.rawValue, competition.status.rawValue,
                           RFC3339.string(from: competition.start), "seed \(competition.seed)"].joined(separator: "\t"))
                }
            }
        }
    }

    /// `wanxia competitions register`.
    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an entrant (a person, a pair or a team) with its members.")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String
        @Argument(help: "The entrant id (a person's id for an individual entry).") var entrant: String
        @Option(help: "The entrant's name (default: the id).") var name: String?
        @Option(help: "The unit it represents.") var unit: String?
        @Option(help: "Its seed (1 strongest).") var seed: Int?
        @Option(help: "The members' person ids, comma-separated (default: the entrant id).") var members: String?

        func run() async throws {
            try await competitionsReport {
                let list = (members ?? entrant).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                try file.open().register(Entrant(id: entrant, name: name ?? entrant, unit: unit, seed: seed, members: list), in: competition)
                print("registered \(entrant) in \(competition)")
            }
        }
    }

    /// `wanxia competitions withdraw`.
    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw an entrant (or mark a no-show): its matches still to play are lost by forfeit.")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String
        @Argument(help: "The entrant id.") var entrant: String
        @Flag(help: "The entrant never turned up.") var noShow = false

        func run() async throws {
            try await competitionsReport {
                try file.open().withdraw(entrant: entrant, from: competition, noShow: noShow)
                print("\(entrant) \(noShow ? "no-show" : "withdrawn")")
            }
        }
    }

    /// `wanxia competitions appoint`.
    struct Appoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Appoint a referee, judge or juror.")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String
        @Argument(help: "The person id.") var person: String
        @Option(help: "referee, judge or juror.") var role: String

        func run() async throws {
            try await competitionsReport {
                try file.open().appoint(person: person, role: role, in: competition)
                print("\(person) is \(role) of \(competition)")
            }
        }
    }

    /// `wanxia competitions draw`.
    struct Draw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close registration and make the draw from the recorded seed; prints the fixtures.")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String

        func run() async throws {
            try await competitionsReport {
                let store = try file.open()
                let fixtures = try store.draw(competition)
                print(Printout.fixtures(try store.competition(competition), fixtures, names: try entrantNames(store, competition)))
            }
        }
    }

    /// `wanxia competitions result`.
    struct Result: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enter a match result from a paper score sheet (as a tablet would send it).")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String
        @Argument(help: "The match id, e.g. r1-b2 or r2-m1.") var match: String
        @Argument(help: "Home score.") var homeScore: Int
        @Argument(help: "Away score.") var awayScore: Int
        @Option(help: "The referee's person id.") var referee: String
        @Option(help: "A second official who confirms it.") var confirmedBy: String?
        @Option(help: "home, away, draw, forfeit-home or forfeit-away (default: from the scores).") var outcome: String?
        @Option(help: "The id of the result this corrects (see `fixtures`).") var supersedes: String?

        func validate() throws {
            if let outcome, MatchResult.Outcome(rawValue: outcome) == nil {
                throw ValidationError("--outcome: \"\(outcome)\" must be home, away, draw, forfeit-home or forfeit-away")
            }
            if let supersedes, !MessageID.isValid(supersedes) { throw ValidationError("--supersedes: \"\(supersedes)\" is not a result id") }
            guard homeScore >= 0, awayScore >= 0 else { throw ValidationError("scores must not be negative") }
        }

        func run() async throws {
            try await competitionsReport {
                let result = MatchResult(competition: competition, match: match, homeScore: homeScore, awayScore: awayScore,
                                         outcome: outcome.flatMap(MatchResult.Outcome.init(rawValue:)), referee: referee,
                                         confirmedBy: confirmedBy, supersedes: try supersedes.map { try MessageID(validating: $0) })
                let id = try file.open().record(result)
                print("recorded \(match): \(homeScore):\(awayScore) (result \(id))")
            }
        }
    }

    /// `wanxia competitions score`.
    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enter a judge's (or juror's) score for an entrant or a work.")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String
        @Argument(help: "The entrant id, or a work's blind id.") var entrant: String
        @Argument(help: "The judge's person id.") var judge: String
        @Argument(help: "The score.") var score: Double

        func run() async throws {
            try await competitionsReport {
                try file.open().record(JudgeScore(competition: competition, entrant: entrant, judge: judge, score: score))
                print("scored \(entrant) by \(judge): \(score)")
            }
        }
    }

    /// `wanxia competitions work`.
    struct Work: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submit a work to an exhibition under a blind id.")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String
        @Argument(help: "The work's blind id, e.g. W0017.") var work: String
        @Option(help: "The author's person id (never shown to jurors).") var author: String
        @Option(help: "The title.") var title: String

        func run() async throws {
            try await competitionsReport {
                try file.open().submitWork(id: work, author: author, title: title, to: competition)
                print("submitted \(work)")
            }
        }
    }

    /// `wanxia competitions recuse`.
    struct Recuse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recuse a juror from an author's works or from one work.")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String
        @Argument(help: "The juror's person id.") var juror: String
        @Option(help: "Every work of this author.") var author: String?
        @Option(help: "This work.") var work: String?
        @Option(help: "Why: 师生, 同单位, 亲属...") var reason: String

        func validate() throws {
            guard (author == nil) != (work == nil) else { throw ValidationError("give either --author or --work") }
        }

        func run() async throws {
            try await competitionsReport {
                let count = try file.open().recuse(juror: juror, fromWorksOf: author, work: work, reason: reason, in: competition)
                print("\(juror) recused from \(count) work(s)")
            }
        }
    }

    /// `wanxia competitions select`.
    struct Select: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Seal the next selection round of an exhibition and keep its quota.")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String

        func run() async throws {
            try await competitionsReport {
                let round = try file.open().selectRound(competition)
                print("round \(round.round): \(round.selected.count) selected\(round.byLot ? " (lots decided the cut-off)" : "")")
                print(round.selected.joined(separator: " "))
            }
        }
    }

    /// `wanxia competitions finish`.
    struct Finish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Finish a competition and commit its records for the registrar.")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String

        func run() async throws {
            try await competitionsReport {
                try file.open().finish(competition)
                print("\(competition) finished; records committed to the outbox")
            }
        }
    }

    /// `wanxia competitions fixtures`.
    struct Fixtures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the fixtures (a knockout bracket), as text or HTML.")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String
        @Flag(help: "A printable HTML page with the bracket and standings.") var html = false

        func run() async throws {
            try await competitionsReport {
                let store = try file.open()
                let definition = try store.competition(competition)
                let fixtures = try store.fixtures(of: competition)
                let names = try entrantNames(store, competition)
                print(html ? Printout.html(definition, fixtures, try store.leaderboard(competition), names: names)
                           : Printout.fixtures(definition, fixtures, names: names))
            }
        }
    }

    /// `wanxia competitions standings`.
    struct Standings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the standings (成绩公告), as text or HTML.")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String
        @Flag(help: "A printable HTML page.") var html = false

        func run() async throws {
            try await competitionsReport {
                let store = try file.open()
                let board = try store.leaderboard(competition)
                print(html ? Printout.html(try store.competition(competition), try store.fixtures(of: competition), board,
                                           names: try entrantNames(store, competition))
                           : Printout.standings(board))
            }
        }
    }

    /// `wanxia competitions sheets`.
    struct Sheets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print referees' score sheets for the matches still to play (or of one round).")

        @OptionGroup var file: FileOption
        @Argument(help: "The competition id.") var competition: String
        @Option(help: "Only this round.") var round: Int?

        func run() async throws {
            try await competitionsReport {
                let store = try file.open()
                print(Printout.scoreSheets(try store.competition(competition), try store.fixtures(of: competition),
                                           entrants: try store.entrants(of: competition), names: try allNames(store, competition),
                                           round: round))
            }
        }
    }
}

/// Entrant names by id.
private func entrantNames(_ store: CompetitionsStore, _ competition: String) throws -> [String: String] {
    Dictionary(uniqueKeysWithValues: try store.entrants(of: competition).map { ($0.id, $0.name) })
}

/// Entrant and person names by id.
private func allNames(_ store: CompetitionsStore, _ competition: String) throws -> [String: String] {
    try store.names().merging(try entrantNames(store, competition)) { _, entrant in entrant }
}


/// Runs `body`, printing a ``CompetitionsError`` or `Rejection` to standard error and exiting 1.
private func competitionsReport(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as CompetitionsError {
        printError("wanxia: \(error)")
        throw ExitCode(1)
    } catch let rejection as Rejection {
        printError("wanxia: \(rejection)")
        throw ExitCode(1)
    }
}
