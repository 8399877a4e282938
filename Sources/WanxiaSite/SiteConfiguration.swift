import Foundation
import WanxiaContract

/// How a site agent is set up: a JSON file, then `WANXIA_*` environment variables on top, then
/// command-line options. Every field has a default that suits one kiosk next to a local broker.
///
/// ```json
/// {"site": "dongcheng-centre", "host": "broker.bureau.lan", "port": 8883,
///  "username": "dongcheng-centre", "password": "…", "caFile": "/etc/wanxia/ca.pem",
///  "programme": "volunteers", "activity": "act-2023-0412", "data": "/var/lib/wanxia/site"}
/// ```
public struct SiteConfiguration: Codable, Sendable, Equatable {
    public var site: TopicID = "kiosk"
    public var host: String = "127.0.0.1"
    public var port: Int = 1883
    public var username: String?
    public var password: String?
    /// CA certificate for a TLS connection; TLS is used when this is set.
    public var caFile: String?
    /// The programme a bare card swipe belongs to.
    public var programme: Programme = .volunteers
    /// The activity a swipe without one is for; otherwise the roster's activity under way is used.
    public var activity: String?
    /// Where the agent keeps its SQLite file.
    public var data: String = "wanxia-data/site"
    /// Warn when the consumers' clock and ours differ by more than this many seconds.
    public var clockToleranceSeconds: Int = 300

    public init() {}

    public var databasePath: String { URL(fileURLWithPath: data).appendingPathComponent("site-\(site).sqlite").path }

    enum CodingKeys: String, CodingKey {
        case site, host, port, username, password, caFile, programme, activity, data, clockToleranceSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SiteConfiguration()
        site = try container.decodeIfPresent(TopicID.self, forKey: .site) ?? defaults.site
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? defaults.host
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? defaults.port
        username = try container.decodeIfPresent(String.self, forKey: .username)
        password = try container.decodeIfPresent(String.self, forKey: .password)
        caFile = try container.decodeIfPresent(String.self, forKey: .caFile)
        programme = try container.decodeIfPresent(Programme.self, forKey: .programme) ?? defaults.programme
        activity = try container.decodeIfPresent(String.self, forKey: .activity)
        data = try container.decodeIfPresent(String.self, forKey: .data) ?? defaults.data
        clockToleranceSeconds = try container.decodeIfPresent(Int.self, forKey: .clockToleranceSeconds) ?? defaults.clockToleranceSeconds
    }

    /// Reads `file` (if given) and applies the environment.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SiteConfiguration {
        var configuration = SiteConfiguration()
        if let file {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                configuration = try JSONDecoder().decode(SiteConfiguration.self, from: data)
            } catch let error as DecodingError {
                throw SiteError(.configuration, "\(file): \(error.readable)")
            } catch {
                throw SiteError(.configuration, "cannot read \(file): \(error.localizedDescription)")
            }
        }
        try configuration.apply(environment: environment)
        return configuration
    }

    /// Applies `WANXIA_SITE`, `WANXIA_HOST`, `WANXIA_PORT`, `WANXIA_USERNAME`, `WANXIA_PASSWORD`,
    /// `WANXIA_CA_FILE`, `WANXIA_PROGRAMME`, `WANXIA_ACTIVITY`, `WANXIA_DATA`.
    public mutating func apply(environment: [String: String]) throws {
        if let value = environment["WANXIA_SITE"] { site = try TopicID(validating: value, field: "WANXIA_SITE") }
        if let value = environment["WANXIA_HOST"] { host = value }
        if let value = environment["WANXIA_PORT"] {
            guard let port = Int(value), (1...65535).contains(port) else {
                throw SiteError(.configuration, "WANXIA_PORT must be a port number 1-65535, got \"\(value)\"")
            }
            self.port = port
        }
        if let value = environment["WANXIA_USERNAME"] { username = value }
        if let value = environment["WANXIA_PASSWORD"] { password = value }
        if let value = environment["WANXIA_CA_FILE"] { caFile = value }
        if let value = environment["WANXIA_PROGRAMME"] {
            guard let programme = Programme(rawValue: value) else {
                throw SiteError(.configuration, "WANXIA_PROGRAMME must be one of volunteers, mentoring, competitions, classes; got \"\(value)\"")
            }
            self.programme = programme
        }
        if let value = environment["WANXIA_ACTIVITY"] { activity = value }
        if let value = environment["WANXIA_DATA"] { data = value }
    }
}

extension DecodingError {
    var readable: String {
        switch self {
        case .keyNotFound(let key, _): return "\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return field.isEmpty ? context.debugDescription : "\(field): \(context.debugDescription)"
        @unknown default: return "\(self)"
        }
    }
}
