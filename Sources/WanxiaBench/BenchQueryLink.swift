import Foundation
import Synchronization
import WanxiaContract
import WanxiaMQTT

/// One long-lived MQTT connection that asks a running registrar questions and times the answers.
///
/// Unlike `RegistrarQueryClient.ask`, which connects for every question, this keeps the connection
/// open, so what is timed is the registrar's answer: publish, query, reply. One question at a time.
final class BenchQueryLink: Sendable {
    private let client: MQTTClient
    private let me: TopicID
    private let waiting = Mutex<[String: CheckedContinuation<QueryReply?, Never>]>([:])
    private let receiver = Mutex<Task<Void, Never>?>(nil)

    init(port: Int, clientID: TopicID) async throws {
        me = clientID
        client = try MQTTClient(configuration: .init(port: port, clientID: clientID.rawValue))
        try await client.connect()
        _ = try await client.subscribe(Topic.reply(client: clientID), qos: .atLeastOnce)
        let client = self.client
        let task = Task { [self] in
            for await message in client.messages {
                guard let reply = try? WanxiaJSON.decode(QueryReply.self, from: message.payload) else { continue }
                self.waiting.withLock { $0.removeValue(forKey: reply.requestId) }?.resume(returning: reply)
            }
        }
        receiver.withLock { $0 = task }
    }

    /// The reply to `request`, or nil when none came within `timeout`.
    func ask(_ request: QueryRequest, timeout: Duration = .seconds(10)) async throws -> QueryReply? {
        let payload = try WanxiaJSON.encode(request)
        let id = request.requestId
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            self.waiting.withLock { $0.removeValue(forKey: id) }?.resume(returning: nil)
        }
        defer { timer.cancel() }
        let client = self.client
        let topic = Topic.query(client: me)
        return await withCheckedContinuation { continuation in
            waiting.withLock { $0[id] = continuation }
            Task { try? await client.publish(topic, payload: payload, qos: .atLeastOnce) }
        }
    }

    func close() async {
        receiver.withLock { $0 }?.cancel()
        await client.shutdown()
    }
}
