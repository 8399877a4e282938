import Foundation
import Synchronization
import WanxiaContract
import WanxiaDeliveryTesting
import WanxiaMQTT
import WanxiaTesting

/// Publishes the corpus raw at QoS 1, one connection per producer, a round at a time, and waits
/// for each round's answers before the next.
///
/// Within a round each producer's messages go out in order on its own connection, the producers in
/// parallel. A round is done when the answers tallied so far (ack ids plus reject entries) reach
/// what every message sent so far must bring; `send` throws if they do not within `timeout`.
struct BadInputSender {
    /// The producer whose reject topic `waitForConsumer` uses; kept apart from the corpus.
    static let probe: TopicID = "bad-input-probe"

    let publishers: [TopicID: MQTTClient]
    let answers: BadInputAnswers
    private(set) var expectedEntries = 0

    init(publishers: [TopicID: MQTTClient], answers: BadInputAnswers) {
        self.publishers = publishers
        self.answers = answers
    }

    /// Sends a message the consumer refuses on the probe producer's topic until the refusal comes
    /// back: from then on the consumer has subscribed, and nothing sent is missed.
    static func waitForConsumer(_ client: MQTTClient) async throws {
        try await client.subscribe(Topic.serviceReject(service: probe))
        let answered = Mutex(false)
        let listener = Task {
            for await _ in client.messages {
                answered.withLock { $0 = true }
                return
            }
        }
        defer { listener.cancel() }
        try await eventually("the consumer answers", timeout: .seconds(30)) {
            if answered.withLock({ $0 }) { return true }
            try await client.publish(Topic.records(producer: probe), payload: Data("probe".utf8))
            try await Task.sleep(for: .milliseconds(100))
            return answered.withLock { $0 }
        }
    }

    mutating func send(_ messages: [BadInputMessage], label: String, timeout: Duration = .seconds(60)) async throws {
        let byProducer = Dictionary(grouping: messages, by: \.producer)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (producer, messages) in byProducer {
                guard let client = publishers[producer] else { throw TestSupportError("no connection for \(producer)") }
                group.addTask {
                    for message in messages {
                        try await client.publish(message.topic, payload: message.payload, qos: .atLeastOnce)
                    }
                }
            }
            try await group.waitForAll()
        }
        expectedEntries += messages.reduce(0) { $0 + $1.answerCount }
        let expected = expectedEntries
        let answers = answers
        do {
            try await eventually("every message of \(label) answered", timeout: timeout) { answers.entries >= expected }
        } catch {
            let tally = answers.current
            throw TestSupportError("\(label): \(tally.entries) answers of \(expected) expected after \(timeout); "
                + "\(tally.unreadable) unreadable answers, the first: \(tally.firstUnreadable ?? "none")")
        }
    }
}
