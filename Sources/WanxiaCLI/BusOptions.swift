import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaMQTT

/// The options every programme service's `run` takes: its data folder and how it reaches the broker.
struct BusOptions: ParsableArguments {
    @Option(help: "The folder for the service's SQLite file (created if missing).")
    var data = "wanxia-data"

    @Option(help: "MQTT broker host.")
    var host = "127.0.0.1"

    @Option(help: "MQTT broker port.")
    var port = 1883

    @Option(help: "MQTT user name (the password is read from WANXIA_MQTT_PASSWORD).")
    var username: String?

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port: \(port) is not a port (1-65535)") }
    }

    var dataDirectory: URL { URL(fileURLWithPath: data) }

    /// Broker settings for `clientID`, with the password from WANXIA_MQTT_PASSWORD.
    func mqtt(clientID: String) -> MQTTConfiguration {
        MQTTConfiguration(host: host, port: port, clientID: clientID, username: username,
                          password: ProcessInfo.processInfo.environment["WANXIA_MQTT_PASSWORD"])
    }
}

/// Runs `service` until SIGTERM or SIGINT, then shuts it down gracefully.
func runUntilSignalled(_ service: some Service, logger: Logger) async throws {
    let group = ServiceGroup(configuration: .init(services: [.init(service: service)],
                                                  gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}

/// Parses a time the way bureau staff type it: `2024-05-12 09:00` or `2024-05-12T09:00` (China
/// Standard Time), `2024-05-12` (midnight), or RFC 3339 with an offset. Throws a `ValidationError`
/// naming `option`.
func parseLocalTime(_ text: String, _ option: String) throws -> Date {
    if let date = try? RFC3339.date(from: text) { return date }
    let local = text.replacingOccurrences(of: " ", with: "T")
    if let date = try? RFC3339.date(from: local + ":00+08:00") { return date }
    if let date = try? RFC3339.date(from: local + "T00:00:00+08:00") { return date }
    throw ValidationError("\(option): \"\(text)\" is not a time like 2024-05-12 09:00, 2024-05-12 or 2024-05-12T09:00:00+08:00")
}
