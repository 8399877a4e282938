import Foundation
import Synchronization
import Testing
import WanxiaMQTT
import WanxiaTesting

/// Waits until `condition` holds, checking every 5 ms, or fails after `timeout`.
func eventually(
    _ what: String, timeout: Duration = .seconds(20),
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: @Sendable () async -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(await condition()) {
        if ContinuousClock.now > deadline {
            Issue.record("timed out waiting for: \(what)", sourceLocation: sourceLocation)
            throw TestSupportError("timed out waiting for: \(what)")
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Runs `body` but gives up with an error after `timeout`.
func within<R: Sendable>(_ timeout: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> R) async throws -> R {
    try await withThrowingTaskGroup(of: R.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TestSupportError("timed out after \(timeout): \(what)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Reads the next `count` messages from a client's message sequence, failing after `timeout`.
func receive(_ count: Int, from client: MQTTClient, timeout: Duration = .seconds(20)) async throws -> [MQTTMessage] {
    try await within(timeout, "\(count) messages") {
        var result: [MQTTMessage] = []
        for await message in client.messages {
            result.append(message)
            if result.count == count { break }
        }
        return result
    }
}

/// A connected client for `broker`, shut down by the caller.
func makeClient(
    _ broker: TestBroker, id: String, version: MQTTProtocolVersion = .v5,
    configure: (inout MQTTConfiguration) -> Void = { _ in }
) async throws -> MQTTClient {
    var configuration = MQTTConfiguration(host: broker.host, port: broker.port, clientID: id, protocolVersion: version)
    configuration.reconnect = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500))
    configure(&configuration)
    let client = try MQTTClient(configuration: configuration)
    try await client.connect(timeout: .seconds(10))
    return client
}

extension MQTTConnectionState {
    var connectionNumber: UInt64? {
        if case .connected(let number, _) = self { return number }
        return nil
    }
}

/// A counter tasks can share.
final class Counter: Sendable {
    private let storage = Atomic<Int>(0)
    func increment() { storage.add(1, ordering: .relaxed) }
    var value: Int { storage.load(ordering: .relaxed) }
}
