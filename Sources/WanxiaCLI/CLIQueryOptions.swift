import ArgumentParser
import Foundation
import Logging
import WanxiaContract
import WanxiaMQTT
import WanxiaRegistrar

/// How `wanxia query` reaches the book (over MQTT, or a file read-only) and prints the answer.
struct CLIQueryOptions: ParsableArguments {
    @Option(help: "Read this registrar file directly, read-only, instead of asking over MQTT.")
    var db: String?

    @Option(help: "MQTT broker host.")
    var host = "127.0.0.1"

    @Option(help: "MQTT broker port.")
    var port = 1883

    @Option(name: .customLong("client-id"), help: "MQTT client id (lowercase letters, digits, -); default the user name, or query-<pid>.")
    var clientID: String?

    @Option(help: "MQTT user name (the password is read from WANXIA_MQTT_PASSWORD). Its answers come on its own reply topic.")
    var username: String?

    @Option(name: .customLong("ca-file"), help: "CA certificate (PEM) of the broker: connect with TLS (port 8883 on a bureau's broker).")
    var caFile: String?

    @Option(help: "Seconds to wait for the registrar's answer.")
    var timeout = 10

    @Option(help: "Output: table, json or csv (CSV has a UTF-8 BOM for Excel/WPS).")
    var format: CLIFormat = .table

    @Option(name: .customLong("as-of"), help: "Answer as the book stood then: 2023-12-10 (end of that day, UTC+8) or 2023-12-10T09:00:00+08:00.")
    var asOf: String?

    func validate() throws {
        if let clientID, !TopicID.isValid(clientID) {
            throw ValidationError("--client-id: \"\(clientID)\" must be 1-64 of a-z 0-9 - (not starting with -)")
        }
        guard (1...65535).contains(port) else { throw ValidationError("--port: \(port) is not a port (1-65535)") }
        guard timeout > 0 else { throw ValidationError("--timeout: must be at least 1 second") }
        _ = try asOfDate()
    }

    /// `--as-of` as an instant: a date means the end of that day in UTC+8.
    func asOfDate() throws -> Date? {
        guard let asOf else { return nil }
        if let date = try? RFC3339.date(from: asOf) { return date }
        if asOf.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil, let day = try? Period(parsing: asOf) {
            return day.to.addingTimeInterval(-0.001)
        }
        throw ValidationError("--as-of: \"\(asOf)\" is not a date like 2023-12-10 or a time like 2023-12-10T09:00:00+08:00")
    }

    /// `period` parsed (Chinese forms accepted) and turned into the canonical form the bus takes.
    static func period(_ text: String?) throws -> Period? {
        guard let text else { return nil }
        do {
            return try Period(parsing: text)
        } catch let error as RegistrarError {
            throw ValidationError("--\(error.message)")
        }
    }

    /// Asks the question, prints the answer, and exits 1 on a query error, 3 if the registrar is unreachable.
    func run(_ request: QueryRequest, render: (QueryOutput, QueryReply) throws -> String) async throws {
        let reply: QueryReply
        if let db {
            do {
                let store = try RegistrarStore(path: db, configuration: .init(readOnly: true))
                reply = store.queries.answer(request)
            } catch let error as RegistrarError {
                printError("wanxia: \(error)")
                throw ExitCode(3)
            }
        } else {
            // A bureau's broker binds the client id to the user name, and the ACL lets an account ask
            // only on its own query topic, so with a user name the client id is that name.
            var configuration = MQTTConfiguration(host: host, port: port, clientID: clientID ?? username ?? "query-\(getpid())",
                                                  username: username,
                                                  password: ProcessInfo.processInfo.environment["WANXIA_MQTT_PASSWORD"])
            configuration.tls = caFile.map { MQTTTLSConfiguration(caFile: $0) }
            do {
                // The MQTT layer's reconnect warnings would drown the one line that matters here.
                var quiet = Logger(label: "wanxia.query")
                quiet.logLevel = .critical
                reply = try await RegistrarQueryClient.ask(request, configuration: configuration, timeout: .seconds(timeout), logger: quiet)
            } catch let error as RegistrarError where error.code == .invalidArgument {
                printError("wanxia: \(error.message)")
                throw ExitCode.validationFailure
            } catch let error as RegistrarError {
                printError("wanxia: \(error)")
                throw ExitCode(3)
            }
        }
        guard reply.ok else {
            printError("wanxia: \(reply.error?.code.rawValue ?? "error"): \(reply.error?.message ?? "the query failed")")
            throw ExitCode(1)
        }
        print(try render(QueryOutput(format: format.output), reply), terminator: "")
    }
}

/// `--format` values.
enum CLIFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv

    var output: QueryOutput.Format {
        switch self {
        case .table: .table
        case .json: .json
        case .csv: .csv
        }
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
