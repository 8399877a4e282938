import Foundation

/// A small certificate authority for the broker's TLS listener, made with the `openssl` tool.
///
/// A bureau without a CA of its own creates one (`wanxia deploy init`), gives its certificate
/// (`ca.crt`, public) to every site, and signs the broker's certificate with it; the CA's key
/// stays on the broker machine, readable by root only. Keys are ECDSA P-256. Every method runs
/// `openssl` and throws ``ChildProcessError`` with its message if that fails.
public struct CertificateAuthority: Sendable {
    /// The CA certificate (PEM): what sites name as their `caFile`.
    public let certificateFile: URL
    /// The CA's private key (PEM, mode 0600).
    public let keyFile: URL

    public init(certificateFile: URL, keyFile: URL) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }

    /// Creates a self-signed CA called `name` in `folder`, as `<file>.crt` and `<file>.key`.
    ///
    /// Refuses to overwrite an existing key: replacing a CA means giving every site a new `ca.crt`.
    public static func create(in folder: URL, name: String, file: String = "ca", days: Int = 3650) throws -> CertificateAuthority {
        let authority = CertificateAuthority(certificateFile: folder.appendingPathComponent("\(file).crt"),
                                             keyFile: folder.appendingPathComponent("\(file).key"))
        guard !FileManager.default.fileExists(atPath: authority.keyFile.path) else {
            throw ChildProcessError("\(authority.keyFile.path) exists already; a new CA would lock out every site that trusts the old one")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Executable.run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                       "-nodes", "-days", String(days), "-subj", "/CN=\(name)",
                                       "-addext", "basicConstraints=critical,CA:TRUE",
                                       "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                                       "-keyout", authority.keyFile.path, "-out", authority.certificateFile.path])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: authority.keyFile.path)
        return authority
    }

    /// Issues a server certificate for `hosts` (DNS names or IP addresses; the first is the
    /// subject's common name), written to `certificateFile` and `keyFile` (mode 0600).
    public func issueServerCertificate(hosts: [String], certificateFile: URL, keyFile: URL, days: Int = 825) throws {
        guard let first = hosts.first else { throw ChildProcessError("a server certificate needs at least one host name") }
        let folder = certificateFile.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let request = folder.appendingPathComponent(".server.csr")
        let extensions = folder.appendingPathComponent(".server.ext")
        defer {
            try? FileManager.default.removeItem(at: request)
            try? FileManager.default.removeItem(at: extensions)
        }
        let names = hosts.map { Self.isIPAddress($0) ? "IP:\($0)" : "DNS:\($0)" }.joined(separator: ",")
        try """
            subjectAltName=\(names)
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature,keyEncipherment
            extendedKeyUsage=serverAuth

            """.write(to: extensions, atomically: true, encoding: .utf8)
        try Executable.run("openssl", ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                       "-subj", "/CN=\(first)", "-keyout", keyFile.path, "-out", request.path])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile.path)
        try Executable.run("openssl", ["x509", "-req", "-in", request.path, "-CA", self.certificateFile.path,
                                       "-CAkey", self.keyFile.path, "-set_serial", String(UInt64.random(in: 1...UInt64(Int64.max))),
                                       "-days", String(days), "-extfile", extensions.path, "-out", certificateFile.path])
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
