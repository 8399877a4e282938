import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaMQTT
import WanxiaRegistrar

/// `wanxia registrar`: run the book of record, and look after its file.
struct RegistrarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registrar",
        abstract: "Run the registrar (the book of record) and back up, check or import into its file.",
        discussion: """
            Examples:
              wanxia registrar run --data /var/lib/wanxia --host 127.0.0.1 --port 1883
              wanxia registrar backup --db /var/lib/wanxia/registrar.sqlite --to /backup/registrar-2024-01-01.sqlite
              wanxia registrar check --db /var/lib/wanxia/registrar.sqlite
              wanxia registrar stats --db /var/lib/wanxia/registrar.sqlite
              wanxia registrar import-people --db /var/lib/wanxia/registrar.sqlite 人员名单.csv
            """,
        subcommands: [Run.self, Backup.self, Check.self, Stats.self, ImportPeople.self])

    /// `wanxia registrar run`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the registrar until SIGINT or SIGTERM: store records, answer queries.",
            discussion: "Keeps registrar.sqlite in --data. Stops gracefully: the batch being stored is committed and acknowledged first.")

        @Option(help: "The folder for registrar.sqlite (created if missing).")
        var data: String

        @Option(help: "MQTT broker host.")
        var host = "127.0.0.1"

        @Option(help: "MQTT broker port.")
        var port = 1883

        @Option(help: "The registrar's id on the bus (its MQTT client id).")
        var id = "registrar"

        @Option(help: "MQTT user name (the password is read from WANXIA_MQTT_PASSWORD).")
        var username: String?

        func validate() throws {
            guard TopicID.isValid(id) else { throw ValidationError("--id: \"\(id)\" must be 1-64 of a-z 0-9 -") }
            guard (1...65535).contains(port) else { throw ValidationError("--port: \(port) is not a port (1-65535)") }
        }

        func run() async throws {
            let logger = Logger(label: "wanxia.registrar")
            let consumer = try TopicID(validating: id)
            let mqtt = MQTTConfiguration(host: host, port: port, clientID: id, username: username,
                                         password: ProcessInfo.processInfo.environment["WANXIA_MQTT_PASSWORD"])
            let service = RegistrarService(configuration: .init(dataDirectory: URL(fileURLWithPath: data), mqtt: mqtt, consumer: consumer),
                                           logger: logger)
            let group = ServiceGroup(configuration: .init(services: [.init(service: service)],
                                                          gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await group.run()
            } catch let error as RegistrarError {
                printError("wanxia: \(error)")
                throw ExitCode.failure
            }
        }
    }

    /// `wanxia registrar backup`.
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of the registrar file while it keeps running.",
            discussion: "Uses SQLite's online backup. Restore by stopping the registrar and putting the copy in place of registrar.sqlite.")

        @Option(help: "The registrar file.")
        var db: String

        @Option(help: "The new backup file (must not exist).")
        var to: String

        func run() async throws {
            try report {
                let store = try RegistrarStore(path: db, configuration: .init(readOnly: true))
                try store.backup(to: to)
                let check = try RegistrarStore(path: to, configuration: .init(readOnly: true)).integrityCheck()
                guard check.isOK else {
                    throw RegistrarError(.database, "the backup \(to) fails its integrity check: \(check.problems.joined(separator: "; "))")
                }
                print("backed up \(db) to \(to)")
            }
        }
    }

    /// `wanxia registrar check`.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the file: SQLite's integrity check and the book's own rules. Exit 1 if anything is wrong.")

        @Option(help: "The registrar file.")
        var db: String

        func run() async throws {
            try report {
                let result = try RegistrarStore(path: db, configuration: .init(readOnly: true)).integrityCheck()
                if result.isOK {
                    print("ok")
                } else {
                    result.problems.forEach { print($0) }
                    throw ExitCode(1)
                }
            }
        }
    }

    /// `wanxia registrar stats`.
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts of people, events, records, corrections and rejects, and the file size.")

        @Option(help: "The registrar file.")
        var db: String

        @Option(help: "Output: table or json.")
        var format: CLIFormat = .table

        func run() async throws {
            try report {
                let statistics = try RegistrarStore(path: db, configuration: .init(readOnly: true)).statistics()
                if format == .json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    print(String(decoding: try encoder.encode(statistics), as: UTF8.self))
                    return
                }
                let rows: [[String]] = [
                    ["人员 people", "\(statistics.people)（青少年 youth \(statistics.youth)）"],
                    ["活动 events", "\(statistics.events)（版本 versions \(statistics.eventVersions)）"],
                    ["记录 records", "\(statistics.records)"],
                    ["更正 corrections", "\(statistics.corrections)"],
                    ["拒收 rejects", statistics.rejects.map(String.init) ?? "-"],
                    ["文件 file bytes", "\(statistics.fileBytes)"],
                ]
                print(TextTable(headers: ["", ""], rows: rows).text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n"))
            }
        }
    }

    /// `wanxia registrar import-people`.
    struct ImportPeople: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-people",
            abstract: "Import the people roll from CSV or TSV (UTF-8, with or without BOM, as Excel and WPS save it).",
            discussion: """
                The first line names the columns, in Chinese or English: 编号/id and 类别/kind are required;
                姓名/name, 单位/unit and 年龄段/age_band are optional. 类别 is 离退休干部 (retiree), 工作人员 (staff)
                or 青少年 (youth; no name or unit allowed). Good rows are imported together; every bad row is
                listed with its line number, and the exit code is 1 if there was any.

                Example:
                  wanxia registrar import-people --db /var/lib/wanxia/registrar.sqlite 人员名单.csv
                """)

        @Option(help: "The registrar file (created if missing).")
        var db: String

        @Argument(help: "The CSV or TSV file.")
        var file: String

        func run() async throws {
            try report {
                let data: Data
                do {
                    data = try Data(contentsOf: URL(fileURLWithPath: file))
                } catch {
                    throw RegistrarError(.importFailed, "\(file): cannot be read", underlying: error)
                }
                let store = try RegistrarStore(path: db)
                let result = try store.importPeople(data, file: file)
                print(result.text)
                if !result.badRows.isEmpty { throw ExitCode(1) }
            }
        }
    }
}

/// Runs `body`, printing a ``RegistrarError`` to standard error and exiting 1.
private func report(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as RegistrarError {
        printError("wanxia: \(error)")
        throw ExitCode(1)
    }
}
