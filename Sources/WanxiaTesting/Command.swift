import Foundation
import WanxiaBroker

/// Runs the command-line tools tests need (`mosquitto_passwd`, `mosquitto_pub`, `openssl`, ...).
public enum Command {
    /// The full path of `name` on PATH (or in /usr/sbin, where Debian puts mosquitto).
    public static func locate(_ name: String) throws -> URL {
        if let found = Executable.locate(name) { return found }
        throw TestSupportError("\(name) not found on PATH; install it (apt-get install mosquitto mosquitto-clients)")
    }

    /// Runs `name` with `arguments`, waits, and returns its standard output; throws on a non-zero exit.
    @discardableResult
    public static func run(_ name: String, _ arguments: [String], input: Data? = nil) throws -> String {
        let process = Process()
        process.executableURL = try locate(name)
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
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError("\(name) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A test-support failure with a message saying what to fix.
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
