import Foundation
import WanxiaBroker

/// A throwaway certificate authority and a server certificate for `localhost`/127.0.0.1, made
/// with `openssl` in a folder, for TLS tests.
public struct TestCertificates: Sendable {
    public let caFile: String
    public let certificateFile: String
    public let keyFile: String

    /// Creates a CA named `name` (files `<name>.crt`, `<name>.key`) and a server certificate it
    /// signs (`server.pem`, `server.key`), under `folder`.
    public static func make(in folder: URL, name: String = "wanxia-test-ca") throws -> TestCertificates {
        let authority = try CertificateAuthority.create(in: folder, name: name, file: name, days: 2)
        let certificate = folder.appendingPathComponent("server.pem")
        let key = folder.appendingPathComponent("server.key")
        try authority.issueServerCertificate(hosts: ["localhost", "127.0.0.1"], certificateFile: certificate, keyFile: key, days: 2)
        return TestCertificates(caFile: authority.certificateFile.path, certificateFile: certificate.path, keyFile: key.path)
    }
}
