import ServiceLifecycle
import WanxiaMQTT

/// A service asked to stop must stop even when its broker is gone: away when the stop comes, or
/// lost while the service winds down (a terminal's Ctrl-C reaches a local broker too).
///
/// An inbox or a query responder waits for its subscription, which only a broker grants, and an
/// MQTT client keeps reconnecting; without a broker nothing can be stored, acknowledged or
/// answered anyway. Run the parts using the clients with ``run(_:parts:)``: once graceful
/// shutdown begins, it shuts down each client that has no broker, then or later; if the service
/// is cancelled instead (another service of the group failed), it shuts them all down. The parts
/// then end with `MQTTError` code `.shutdown`, which ``isCleanStop(_:)`` tells from a failure.
public enum StopWithoutBroker {
    /// Runs `parts` with the watch beside them; returns (or throws) when `parts` does.
    public static func run(_ clients: [MQTTClient], parts: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await watch(clients) }
            try await parts()
            group.cancelAll()
        }
    }

    /// Returns when cancelled, or once every client is shut down.
    static func watch(_ clients: [MQTTClient]) async {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled: the service is torn down, or its parts have ended. Either way the clients go now.
            for client in clients { await client.shutdown() }
            return
        }
        await withTaskGroup(of: Void.self) { watchers in
            for client in clients {
                watchers.addTask {
                    // The first state is the current one; the loop ends when cancelled.
                    for await state in client.stateChanges() where !state.isConnected {
                        await client.shutdown()
                        return
                    }
                }
            }
        }
    }

    /// Whether `error`, thrown by a part during graceful shutdown, is a client shut down by the
    /// watch (or by the service itself) rather than a failure.
    public static func isCleanStop(_ error: any Error) -> Bool {
        (error as? MQTTError)?.code == .shutdown && Task.isShuttingDownGracefully
    }
}
