import Foundation

/// A throwaway certificate authority and a server certificate for `localhost`/127.0.0.1, made
/// with `openssl` in a folder, for TLS tests.
public struct TestCertificates: Sendable {
    public let caFile: String
    public let certificateFile: String
    public let keyFile: String

    /// Creates a CA named `name` and a server certificate it signs, under `folder`.
    public static func make(in folder: URL, name: String = "wanxia-test-ca") throws -> TestCertificates {
        let path = { (file: String) in folder.appendingPathComponent(file).path }
        let ca = path("\(name).pem"), caKey = path("\(name).key")
        let key = path("server.key"), request = path("server.csr"), certificate = path("server.pem")
        let extensions = path("server.ext")
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(toFile: extensions, atomically: true, encoding: .utf8)
        try Command.run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                    "-subj", "/CN=\(name)", "-keyout", caKey, "-out", ca])
        try Command.run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                                    "-keyout", key, "-out", request])
        try Command.run("openssl", ["x509", "-req", "-in", request, "-CA", ca, "-CAkey", caKey, "-CAcreateserial",
                                    "-days", "2", "-extfile", extensions, "-out", certificate])
        return TestCertificates(caFile: ca, certificateFile: certificate, keyFile: key)
    }
}
