import Foundation

/// The broker's secrets for a real bureau, in one folder (`/etc/wanxia` by convention): what
/// `wanxia deploy` creates and changes.
///
/// ```
/// tls/ca.crt, ca.key            the bureau's CA (ca.crt goes to every site; ca.key stays here)
/// tls/server.crt, server.key    the broker's certificate for the names sites connect to
/// mosquitto/passwords           mosquitto's password file: one account per site and per service
/// services/<service>.env        WANXIA_MQTT_PASSWORD=... for the service's systemd unit (0600)
/// sites/<site>.json             the site's `wanxia site --config` file, with its password (0600)
/// ```
/// Passwords are 24 random letters and digits from the system's CSPRNG; they reach
/// `mosquitto_passwd` on its standard input, never on a command line. The ACL (Deploy/acl) needs
/// no change per site: its `%u` patterns confine every account to its own topics. After any change
/// to the password file, reload the broker (`systemctl reload mosquitto`).
public struct DeploymentFolder: Sendable {
    /// The service accounts the Deploy/acl file has sections for. `registrar-query` is the
    /// registrar's second connection (its query responder) and shares the registrar's password.
    public static let serviceAccounts = ["registrar", "registrar-query", "volunteers", "mentoring", "competitions",
                                         "classes", "monitor"]

    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public var tlsFolder: URL { root.appendingPathComponent("tls") }
    public var caCertificate: URL { tlsFolder.appendingPathComponent("ca.crt") }
    public var serverCertificate: URL { tlsFolder.appendingPathComponent("server.crt") }
    public var serverKey: URL { tlsFolder.appendingPathComponent("server.key") }
    public var passwordFile: URL { root.appendingPathComponent("mosquitto/passwords") }
    public var servicesFolder: URL { root.appendingPathComponent("services") }
    public var sitesFolder: URL { root.appendingPathComponent("sites") }

    public func serviceEnvironmentFile(_ service: String) -> URL {
        servicesFolder.appendingPathComponent("\(service).env")
    }

    public func siteFile(_ site: String) -> URL { sitesFolder.appendingPathComponent("\(site).json") }

    /// What ``initialise(hosts:organisation:)`` did.
    public struct Initialised: Sendable {
        /// True when a new CA and server certificate were made (false: kept the existing ones).
        public var createdCertificates: Bool
        /// Service accounts created now (existing ones are kept, with their passwords).
        public var createdAccounts: [String]
    }

    /// Creates the CA and the broker's certificate for `hosts` (unless they exist), and an account
    /// with an environment file for every service that has none. Safe to run again.
    public func initialise(hosts: [String], organisation: String) throws -> Initialised {
        let fileManager = FileManager.default
        for folder in [tlsFolder, passwordFile.deletingLastPathComponent(), servicesFolder, sitesFolder] {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try fileManager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: servicesFolder.path)
        try fileManager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: sitesFolder.path)
        var createdCertificates = false
        if !fileManager.fileExists(atPath: caCertificate.path) {
            guard !hosts.isEmpty else {
                throw ChildProcessError("name the host names or addresses sites use to reach the broker (--host), for its certificate")
            }
            let authority = try CertificateAuthority.create(in: tlsFolder, name: "\(organisation) Wanxia CA")
            try authority.issueServerCertificate(hosts: hosts, certificateFile: serverCertificate, keyFile: serverKey)
            createdCertificates = true
        }
        let existing = try accounts()
        var created: [String] = []
        for service in Self.serviceAccounts where service != "registrar-query" && !existing.contains(service) {
            let password = Self.makePassword()
            try setPassword(password, for: service)
            if service == "registrar" { try setPassword(password, for: "registrar-query") }
            try writeSecret("WANXIA_MQTT_PASSWORD=\(password)\n", to: serviceEnvironmentFile(service))
            created.append(service)
        }
        return Initialised(createdCertificates: createdCertificates, createdAccounts: created)
    }

    /// A site's connection settings, as written to `sites/<site>.json`.
    public struct SiteCredentials: Codable, Sendable, Equatable {
        public var site: String
        public var host: String
        public var port: Int
        public var username: String
        public var password: String
        /// Where the site keeps the CA certificate (copy `tls/ca.crt` there).
        public var caFile: String
    }

    /// Creates the account of a new site and its config file; refuses a name already in use.
    public func addSite(_ site: String, brokerHost: String, port: Int = 8883,
                        caFileOnSite: String = "/etc/wanxia/ca.crt") throws -> SiteCredentials {
        try Self.checkAccountName(site)
        guard !Self.serviceAccounts.contains(site) else {
            throw ChildProcessError("\"\(site)\" is a service's account name; choose another site id")
        }
        guard try !accounts().contains(site) else {
            throw ChildProcessError("site \"\(site)\" has an account already; to give it a new password use `wanxia deploy password \(site)`")
        }
        let credentials = SiteCredentials(site: site, host: brokerHost, port: port, username: site,
                                          password: Self.makePassword(), caFile: caFileOnSite)
        try setPassword(credentials.password, for: site)
        try writeSiteFile(credentials)
        return credentials
    }

    /// Gives an existing account a new password and rewrites its env or site file; returns it.
    public func rotatePassword(of account: String) throws -> String {
        try Self.checkAccountName(account)
        guard try accounts().contains(account) else {
            throw ChildProcessError("no account \"\(account)\" in \(passwordFile.path)")
        }
        let password = Self.makePassword()
        let service = account == "registrar-query" ? "registrar" : account
        try setPassword(password, for: service)
        if service == "registrar" { try setPassword(password, for: "registrar-query") }
        if Self.serviceAccounts.contains(service) {
            try writeSecret("WANXIA_MQTT_PASSWORD=\(password)\n", to: serviceEnvironmentFile(service))
        } else if let data = FileManager.default.contents(atPath: siteFile(service).path),
                  var credentials = try? JSONDecoder().decode(SiteCredentials.self, from: data) {
            credentials.password = password
            try writeSiteFile(credentials)
        }
        return password
    }

    /// Removes an account (a site that closed); its old password stops working at the next reload.
    public func removeAccount(_ account: String) throws {
        try Self.checkAccountName(account)
        guard try accounts().contains(account) else {
            throw ChildProcessError("no account \"\(account)\" in \(passwordFile.path)")
        }
        try Executable.run("mosquitto_passwd", ["-D", passwordFile.path, account])
        try? FileManager.default.removeItem(at: siteFile(account))
    }

    /// The user names in the password file.
    public func accounts() throws -> [String] {
        guard let text = try? String(contentsOf: passwordFile, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            line.split(separator: ":", maxSplits: 1).first.map(String.init)
        }
    }

    /// Account names as the ACL needs them: `^[a-z0-9][a-z0-9-]{0,63}$`.
    public static func checkAccountName(_ name: String) throws {
        let bytes = Array(name.utf8)
        let ok = (1...64).contains(bytes.count) && bytes[0] != UInt8(ascii: "-")
            && bytes.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
        guard ok else {
            throw ChildProcessError("\"\(name)\" is not an account name: 1-64 of a-z 0-9 -, not starting with -")
        }
    }

    /// 24 letters and digits (about 143 bits) from the system's CSPRNG.
    public static func makePassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
    }

    private func setPassword(_ password: String, for account: String) throws {
        let fileManager = FileManager.default
        var arguments = [passwordFile.path, account]
        if !fileManager.fileExists(atPath: passwordFile.path) {
            try fileManager.createDirectory(at: passwordFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            arguments.insert("-c", at: 0)
        }
        try Executable.run("mosquitto_passwd", arguments, input: Data("\(password)\n\(password)\n".utf8))
        try fileManager.setAttributes([.posixPermissions: 0o640], ofItemAtPath: passwordFile.path)
    }

    private func writeSiteFile(_ credentials: SiteCredentials) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(credentials)
        data.append(UInt8(ascii: "\n"))
        try writeSecret(String(decoding: data, as: UTF8.self), to: siteFile(credentials.site))
    }

    /// Writes `text` readable by the owner only, replacing the file atomically.
    private func writeSecret(_ text: String, to file: URL) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).new")
        guard fileManager.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ChildProcessError("could not write \(temporary.path)")
        }
        if fileManager.fileExists(atPath: file.path) { try fileManager.removeItem(at: file) }
        try fileManager.moveItem(at: temporary, to: file)
    }
}
