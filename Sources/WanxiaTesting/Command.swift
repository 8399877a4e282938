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
        do {
            return try Executable.run(name, arguments, input: input)
        } catch let error as ChildProcessError {
            throw TestSupportError(error.description)
        }
    }
}

/// A test-support failure with a message saying what to fix.
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
