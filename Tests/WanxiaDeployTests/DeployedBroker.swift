import Foundation
import Synchronization
import Testing
import WanxiaBroker
import WanxiaMQTT
import WanxiaTesting

/// The repository's Deploy/ folder, found from this file's path.
let deployFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Deploy")

/// A real mosquitto running Deploy/mosquitto.conf and Deploy/acl as shipped, with only its paths,
/// ports and log destination rewritten, and accounts made by ``DeploymentFolder`` (`wanxia deploy`).
///
/// `port` is the plain loopback listener (1883 in production), `tlsPort` the TLS listener (8883).
struct DeployedBroker: Sendable {
    let broker: TestBroker
    let deployment: DeploymentFolder
    /// Site accounts made with `addSite`, by site id.
    let sites: [String: DeploymentFolder.SiteCredentials]

    var port: Int { broker.port }
    var tlsPort: Int { broker.secondPort }

    /// Starts the deployed broker with the service accounts and the sites `sites`, runs `body`, and
    /// always stops the broker.
    static func with<R>(sites siteNames: [String] = ["dongcheng-centre", "xicheng-hall"],
                        _ body: (DeployedBroker) async throws -> R) async throws -> R {
        try await TemporaryDirectory.with { folder in
            let deployment = DeploymentFolder(root: folder.appendingPathComponent("etc-wanxia"))
            _ = try deployment.initialise(hosts: ["localhost", "127.0.0.1"], organisation: "测试县委老干部局")
            var sites: [String: DeploymentFolder.SiteCredentials] = [:]
            for site in siteNames {
                sites[site] = try deployment.addSite(site, brokerHost: "127.0.0.1", caFileOnSite: deployment.caCertificate.path)
            }
            var options = TestBroker.Options()
            options.configText = { directory, port, tlsPort in
                try deployedConfig(deployment: deployment, directory: directory, port: port, tlsPort: tlsPort)
            }
            return try await TestBroker.with(options) { broker in
                try await body(DeployedBroker(broker: broker, deployment: deployment, sites: sites))
            }
        }
    }

    /// The password of a service account (from its env file, as systemd would read it).
    func password(ofService service: String) throws -> String {
        let file = deployment.serviceEnvironmentFile(service == "registrar-query" ? "registrar" : service)
        let text = try String(contentsOf: file, encoding: .utf8)
        guard let line = text.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("WANXIA_MQTT_PASSWORD=") }) else {
            throw TestSupportError("no password in \(file.path)")
        }
        return String(line.dropFirst("WANXIA_MQTT_PASSWORD=".count))
    }

    /// Settings for `user` on the loopback listener (or the TLS one with `caFile`).
    func settings(user: String?, password: String?, clientID: String? = nil, tls caFile: String? = nil,
                  version: MQTTProtocolVersion = .v5) -> MQTTConfiguration {
        var configuration = MQTTConfiguration(host: "127.0.0.1", port: caFile == nil ? port : tlsPort,
                                              clientID: clientID ?? user ?? "anonymous", protocolVersion: version,
                                              username: user, password: password)
        configuration.tls = caFile.map { MQTTTLSConfiguration(caFile: $0) }
        configuration.reconnect = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(300))
        return configuration
    }

    /// A connected client for a site, over TLS with the deployment's CA unless `tls` is false.
    func site(_ site: String, tls: Bool = true, clientID: String? = nil, version: MQTTProtocolVersion = .v5) async throws -> MQTTClient {
        guard let credentials = sites[site] else { throw TestSupportError("no site \(site)") }
        let client = try MQTTClient(configuration: settings(
            user: credentials.username, password: credentials.password, clientID: clientID,
            tls: tls ? deployment.caCertificate.path : nil, version: version))
        try await client.connect(timeout: .seconds(10))
        return client
    }

    /// A connected client for a service account on the loopback listener.
    func service(_ service: String, clientID: String? = nil) async throws -> MQTTClient {
        let client = try MQTTClient(configuration: settings(user: service, password: try password(ofService: service), clientID: clientID))
        try await client.connect(timeout: .seconds(10))
        return client
    }
}

/// Deploy/mosquitto.conf with its paths and ports pointed into a test folder. Each rewrite must
/// apply, so a change to the shipped file that the test no longer covers fails here.
func deployedConfig(deployment: DeploymentFolder, directory: URL, port: Int, tlsPort: Int) throws -> String {
    var text = try String(contentsOf: deployFolder.appendingPathComponent("mosquitto.conf"), encoding: .utf8)
    let acl = directory.appendingPathComponent("acl")
    try FileManager.default.copyItem(at: deployFolder.appendingPathComponent("acl"), to: acl)
    let rewrites: [(String, String)] = [
        ("\nlistener 1883 127.0.0.1\n", "\nlistener \(port) 127.0.0.1\n"),
        ("\nlistener 8883\n", "\nlistener \(tlsPort) 127.0.0.1\n"),
        ("\ncafile /etc/wanxia/tls/ca.crt\n", "\ncafile \(deployment.caCertificate.path)\n"),
        ("\ncertfile /etc/wanxia/tls/server.crt\n", "\ncertfile \(deployment.serverCertificate.path)\n"),
        ("\nkeyfile /etc/wanxia/tls/server.key\n", "\nkeyfile \(deployment.serverKey.path)\n"),
        ("\npassword_file /etc/wanxia/mosquitto/passwords\n", "\npassword_file \(deployment.passwordFile.path)\n"),
        ("\nacl_file /etc/wanxia/mosquitto/acl\n", "\nacl_file \(acl.path)\n"),
        ("\npersistence_location /var/lib/wanxia/mosquitto/\n", "\npersistence_location \(directory.path)/\n"),
        ("\nlog_dest stderr\n", "\nlog_dest file \(directory.appendingPathComponent("mosquitto.log").path)\n"),
    ]
    for (from, to) in rewrites {
        guard text.contains(from) else {
            throw TestSupportError("Deploy/mosquitto.conf no longer has the line \(from.trimmingCharacters(in: .newlines)); update the security tests")
        }
        text = text.replacingOccurrences(of: from, with: to)
    }
    // As root, mosquitto would drop to user `mosquitto`, who cannot read the test folder.
    return text + "\nuser \(FreePort.currentUserName())\n"
}

/// Collects what a client receives, for "this arrived, that never did" checks.
final class Received: Sendable {
    private final class Storage: Sendable {
        let topics = Mutex<[String]>([])
    }

    private let storage = Storage()
    private let task: Task<Void, Never>

    init(_ client: MQTTClient) {
        let storage = storage
        task = Task {
            for await message in client.messages { storage.topics.withLock { $0.append(message.topic) } }
        }
    }

    var topics: [String] { storage.topics.withLock { $0 } }

    func has(_ topic: String) -> Bool { topics.contains(topic) }

    deinit { task.cancel() }
}
