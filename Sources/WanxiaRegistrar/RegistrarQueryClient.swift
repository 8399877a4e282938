import Foundation
import Logging
import WanxiaContract
import WanxiaMQTT

/// Asks a running registrar one question over MQTT and waits for the answer.
///
/// Connects with the given configuration (its client id must be topic-safe: lowercase letters,
/// digits and `-`), subscribes to its reply topic, publishes the request (with an MQTT 5 response
/// topic and correlation data as well, which 3.1.1 ignores), and returns the reply whose
/// `requestId` matches. Publishes the request again after 3, 6, 12 s ... while no reply has come:
/// a registrar reconnecting after a broker restart misses what was published meanwhile.
///
/// Throws ``RegistrarError`` with code ``RegistrarError/Code/unreachable`` when the broker cannot
/// be reached, ``RegistrarError/Code/timeout`` when no registrar answers in time,
/// ``RegistrarError/Code/invalidArgument`` for a bad client id or request.
public enum RegistrarQueryClient {
    public static func ask(
        _ request: QueryRequest, configuration: MQTTConfiguration, timeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "wanxia.query")
    ) async throws -> QueryReply {
        let me: TopicID
        do {
            me = try TopicID(validating: configuration.clientID, field: "client-id")
            try request.validate()
        } catch let error as ContractError {
            throw RegistrarError(.invalidArgument, error.message, underlying: error)
        }
        let payload = try WanxiaJSON.encode(request)
        let client: MQTTClient
        do {
            client = try MQTTClient(configuration: configuration, logger: logger)
        } catch {
            throw RegistrarError(.invalidArgument, "MQTT settings: \(error.message)", underlying: error)
        }
        do {
            let reply = try await answer(payload: payload, requestId: request.requestId, me: me, client: client, timeout: timeout)
            await client.shutdown()
            return reply
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// How long the client waits for a reply before asking again (doubling each time).
    static let reaskAfter: Duration = .seconds(3)

    private static func answer(payload: Data, requestId: String, me: TopicID, client: MQTTClient,
                               timeout: Duration) async throws -> QueryReply {
        let broker = "\(client.configuration.host):\(client.configuration.port)"
        do {
            try await client.connect(timeout: timeout)
        } catch {
            throw RegistrarError(.unreachable, "cannot reach the MQTT broker at \(broker)", underlying: error as? MQTTError)
        }
        let replyTopic = Topic.reply(client: me)
        return try await withThrowingTaskGroup(of: QueryReply?.self) { group in
            group.addTask {
                for await message in client.messages where message.topic == replyTopic {
                    if let reply = try? WanxiaJSON.decode(QueryReply.self, from: message.payload), reply.requestId == requestId {
                        return reply
                    }
                }
                return nil
            }
            group.addTask {
                // Asked again after 3 s, 6 s, 12 s ... until the timeout: a registrar that was
                // reconnecting (its subscription gone with the broker's restart) when the first
                // copy came never saw it. The first reply wins; a query is only read, so a copy
                // answered twice costs only the time to answer it.
                let deadline = ContinuousClock.now + timeout
                var wait = reaskAfter
                let properties = MQTTProperties(responseTopic: replyTopic, correlationData: Data(requestId.utf8))
                do {
                    try await client.subscribe(replyTopic, qos: .atLeastOnce)
                } catch let error as MQTTError {
                    throw RegistrarError(.unreachable, "could not send the query via the broker at \(broker)", underlying: error)
                }
                while true {
                    do {
                        try await client.publish(Topic.query(client: me), payload: payload, qos: .atLeastOnce, properties: properties)
                    } catch let error as MQTTError {
                        throw RegistrarError(.unreachable, "could not send the query via the broker at \(broker)", underlying: error)
                    }
                    let left = deadline - ContinuousClock.now
                    guard left > .zero else { break }
                    try await Task.sleep(for: min(wait, left))
                    guard ContinuousClock.now < deadline else { break }
                    wait *= 2
                }
                throw RegistrarError(.timeout, "no registrar answered within \(timeout) via the broker at \(broker); is `wanxia registrar run` running?")
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let reply = result { return reply }
            }
            throw RegistrarError(.unreachable, "the connection to \(broker) closed before the registrar answered")
        }
    }
}
