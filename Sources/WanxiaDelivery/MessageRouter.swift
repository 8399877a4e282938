import Logging
import ServiceLifecycle
import Synchronization
import WanxiaMQTT

/// Hands each message a client receives to the components whose topic filter matches.
///
/// An `MQTTClient` has one message sequence; a service that is both a consumer (an `Inbox`) and a
/// producer (an `Outbox` waiting for acks) shares it through a router. Routes are added before
/// `run()`; handlers run one at a time on the router's task and must return quickly (they only
/// hand the message to their component's own queue).
public final class MessageRouter: Service, Sendable {
    public typealias Handler = @Sendable (MQTTMessage) -> Void

    private let client: MQTTClient
    private let routes = Mutex<[(filter: String, handler: Handler)]>([])
    private let logger: Logger

    public init(client: MQTTClient, logger: Logger = Logger(label: "wanxia.router")) {
        self.client = client
        self.logger = logger
    }

    /// Adds a route. A message matching several routes goes to each of them.
    public func route(_ filter: String, _ handler: @escaping Handler) {
        routes.withLock { $0.append((filter, handler)) }
    }

    /// Delivers messages until the client shuts down or the task is cancelled.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await message in client.messages {
                let matching = routes.withLock { $0.filter { TopicFilter.matches($0.filter, message.topic) } }
                if matching.isEmpty {
                    logger.debug("message on a topic nobody routes", metadata: ["mqtt.topic": "\(message.topic)"])
                }
                for route in matching { route.handler(message) }
                if Task.isCancelled { break }
            }
        } onGracefulShutdown: {
        }
    }
}
