import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WanxiaBroker
import WanxiaContract
import WanxiaMQTT
import WanxiaRegistrar
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

            Examples:
              wanxia up
              wanxia up --data /srv/wanxia --port 1884
            """)

    @Option(help: "Folder for all data: SQLite files, broker persistence, logs.")
    var data = "wanxia-data"
    @Option(help: "Port of the local broker (loopback only).")
    var port = 1883

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
        let mqtt = MQTTConfiguration(host: "127.0.0.1", port: port, clientID: "registrar")
        let registrar = RegistrarService(
            configuration: .init(dataDirectory: folder, mqtt: mqtt), logger: Logger(label: "wanxia.registrar"))
        var volunteersMQTT = mqtt
        volunteersMQTT.clientID = "volunteers"
        let volunteers = VolunteersService(
            configuration: .init(dataDirectory: folder, mqtt: volunteersMQTT), logger: Logger(label: "wanxia.volunteers"))

        print("""
            晚霞 Wanxia is starting in \(folder.path)
              broker     mqtt://127.0.0.1:\(port)   (config \(broker.configuration.configFile.path), log \(broker.configuration.logFile.path))
              registrar  \(registrar.configuration.databasePath)
              volunteers \(volunteers.configuration.databasePath)

            Plan an activity (volunteers):
              wanxia volunteers import-volunteers people.csv --db \(volunteers.configuration.databasePath)
              wanxia volunteers activity plan --db \(volunteers.configuration.databasePath) --help
            Connect a site on this machine:
              wanxia site run --site my-kiosk --port \(port) --activity ACTIVITY-ID
            Ask the registrar:
              wanxia query totals --period 2023H1 --port \(port)
            Watch the bus:
              mosquitto_sub -p \(port) -t 'wanxia/v1/#' -v
            Ctrl-C stops everything.
            """)
        // The broker is listed first: a service group shuts down in reverse order, so the services
        // disconnect cleanly before the broker goes.
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: broker), .init(service: registrar), .init(service: volunteers)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        print("晚霞 Wanxia stopped; data kept in \(folder.path)")
    }
}
