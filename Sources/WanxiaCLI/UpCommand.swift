import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WanxiaBroker
import WanxiaClasses
import WanxiaCompetitions
import WanxiaContract
import WanxiaMentoring
import WanxiaMQTT
import WanxiaRegistrar
import WanxiaReports
import WanxiaVolunteers

/// `wanxia up`: the whole bus on this machine, with no configuration.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Run everything on this machine: a local mosquitto, the registrar and the programme services.",
        discussion: """
            All data lives under one folder (default ./wanxia-data): SQLite files, the broker's
            persistence and the logs. Running `wanxia up` again on the same folder continues with the
            data already there. Ctrl-C stops everything cleanly.

            --demo also runs simulated sites that replay a county bureau's last half-year (volunteer
            activities, mentoring meetings and talks, competitions, classes) through the broker, then
            prints that half-year's report; the bus keeps running afterwards. Use a fresh folder for a
            demo (e.g. --data wanxia-demo): its invented people and activities go into the files.

            Examples:
              wanxia up
              wanxia up --demo --data wanxia-demo
              wanxia up --data /srv/wanxia --port 1884
            """)

    @Option(help: "Folder for all data: SQLite files, broker persistence, logs.")
    var data = "wanxia-data"
    @Option(help: "Port of the local broker (loopback only).")
    var port = 1883
    @Flag(help: "Replay a realistic half-year from simulated sites, then print its report.")
    var demo = false
    @Option(help: "The demo's seed: the same seed replays the same half-year.")
    var seed: UInt64 = 2024

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1-65535, got \(port)") }
    }

    func run() async throws {
        let folder = URL(fileURLWithPath: data).standardizedFileURL
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("logs"), withIntermediateDirectories: true)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .notice
            return handler
        }
        let logger = Logger(label: "wanxia.up")
        let broker = LocalBroker(configuration: .init(dataDirectory: folder, port: port), logger: logger)
        func mqtt(_ id: String) -> MQTTConfiguration { MQTTConfiguration(host: "127.0.0.1", port: port, clientID: id) }
        let registrar = RegistrarService(
            configuration: .init(dataDirectory: folder, mqtt: mqtt("registrar")), logger: Logger(label: "wanxia.registrar"))
        // A demo replays months in minutes: its services look for ended activities and sessions often,
        // and their clocks stand at the half-year's start until the simulated sites have delivered, so
        // that nothing is closed as "forgotten" before the replayed check-outs and marks are in.
        let period = DemoPeriod.lastEnded(before: Date())
        let gate = DemoClock(heldAt: period.start, held: demo)
        let clock: @Sendable () -> Date = { gate.now() }
        let upkeep: Duration = demo ? .seconds(2) : .seconds(30)
        let volunteers = VolunteersService(
            configuration: .init(dataDirectory: folder, mqtt: mqtt("volunteers"), upkeepInterval: upkeep, clock: clock),
            logger: Logger(label: "wanxia.volunteers"))
        let mentoring = MentoringService(
            configuration: .init(dataDirectory: folder, mqtt: mqtt("mentoring")), logger: Logger(label: "wanxia.mentoring"))
        let competitions = CompetitionsService(
            configuration: .init(dataDirectory: folder, mqtt: mqtt("competitions"), clock: clock),
            logger: Logger(label: "wanxia.competitions"))
        let classes = ClassesService(
            configuration: .init(dataDirectory: folder, mqtt: mqtt("classes"), upkeepInterval: upkeep, clock: clock),
            logger: Logger(label: "wanxia.classes"))

        print("""
            晚霞 Wanxia is starting in \(folder.path)
              broker       mqtt://127.0.0.1:\(port)   (config \(broker.configuration.configFile.path), log \(broker.configuration.logFile.path))
              registrar    \(registrar.configuration.databasePath)
              volunteers   \(volunteers.configuration.databasePath)
              mentoring    \(mentoring.configuration.databasePath) (identities: \(mentoring.configuration.identityPath))
              competitions \(competitions.configuration.databasePath)
              classes      \(classes.configuration.databasePath)

            Connect a site on this machine:
              wanxia site run --site my-kiosk --port \(port) --activity ACTIVITY-ID
            Plan activities and look after each programme (each takes --db, see --help):
              wanxia volunteers --help    wanxia mentoring --help
              wanxia competitions --help  wanxia classes --help
            Ask the registrar and report:
              wanxia query totals --period 2024H1 --port \(port)
              wanxia report --period 2024H1 --data \(folder.path)
            Watch the bus:
              mosquitto_sub -p \(port) -t 'wanxia/v1/#' -v
            Ctrl-C stops everything.

            """)
        // The broker is listed first: a service group shuts down in reverse order, so the services
        // disconnect cleanly before the broker goes.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: broker), .init(service: registrar), .init(service: volunteers), .init(service: mentoring),
            .init(service: competitions), .init(service: classes),
        ]
        if demo {
            let registrarPath = registrar.configuration.databasePath
            let run = DemoRun(folder: folder, port: port, seed: seed, period: period,
                              volunteersPath: volunteers.configuration.databasePath,
                              mentoringPath: mentoring.configuration.databasePath,
                              mentoringIdentityPath: mentoring.configuration.identityPath,
                              competitionsPath: competitions.configuration.databasePath,
                              classesPath: classes.configuration.databasePath, clock: gate,
                              report: { try Self.report(registrar: registrarPath, period: period.name) })
            services.append(.init(service: run, successTerminationBehavior: .ignore))
        }
        // Closing the terminal (SIGHUP) stops everything as Ctrl-C does, broker included.
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint, .sighup],
                                                      logger: logger))
        try await group.run()
        print("晚霞 Wanxia stopped; data kept in \(folder.path)")
    }

    /// The half-year's report from the registrar's file, for the terminal, in Chinese.
    static func report(registrar path: String, period: String) throws -> String {
        let store = try RegistrarStore(path: path, configuration: .init(readOnly: true))
        let report = try ReportQueries(reader: store.database, timeZone: store.configuration.timeZone)
            .report(period: try Period(parsing: period))
        return try ReportRenderer(format: .terminal, language: .zh).render(report)
    }
}
