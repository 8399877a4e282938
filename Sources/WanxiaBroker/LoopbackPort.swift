import Foundation
import Synchronization

/// Loopback TCP helpers.
public enum LoopbackPort {
    /// Whether something on 127.0.0.1 accepts a TCP connection on `port` right now.
    public static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = address(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }

    /// `127.0.0.1:port` as a socket address.
    public static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// Finding programs on PATH.
public enum Executable {
    /// The full path of `name` on PATH, or in /usr/sbin where Debian puts mosquitto.
    public static func locate(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin"] {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs `name` with `arguments`, waits, and returns its standard output.
    ///
    /// Throws ``ChildProcessError`` when the program is missing or exits non-zero, with its
    /// standard error in the message. For short tools (`openssl`, `mosquitto_passwd`), not daemons.
    @discardableResult
    public static func run(_ name: String, _ arguments: [String], input: Data? = nil) throws -> String {
        guard let url = locate(name) else {
            throw ChildProcessError("\(name) not found on PATH; install it (apt-get install mosquitto mosquitto-clients openssl)")
        }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let inputPipe = input.map { _ in Pipe() }
        if let inputPipe { process.standardInput = inputPipe }
        try process.run()
        if let inputPipe, let input {
            inputPipe.fileHandleForWriting.write(input)
            try inputPipe.fileHandleForWriting.close()
        }
        // Standard error is read on another thread so that neither pipe can fill up and stall the tool.
        let errorData = ErrorCollector(errors.fileHandleForReading)
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errorData.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ChildProcessError("\(name) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class ErrorCollector: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let data: Mutex<Data> = Mutex(Data())

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            let bytes = handle.readDataToEndOfFile()
            data.withLock { $0 = bytes }
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data.withLock { $0 }
    }
}
