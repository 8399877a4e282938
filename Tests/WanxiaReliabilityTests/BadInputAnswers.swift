import Foundation
import Synchronization
import WanxiaContract
import WanxiaMQTT

/// Everything a consumer answered on the producers' ack and reject topics, tallied as it arrives.
///
/// Fed by one listener task from an `MQTTClient` subscribed to the ack and reject topics; read by
/// the test while it waits and when it checks. Safe from any thread (state in a `Mutex`).
final class BadInputAnswers: Sendable {
    struct Tally: Sendable {
        /// Ack ids and how often each was acknowledged.
        var acks: [MessageID: Int] = [:]
        /// Rejected ids and the code of each reject they got, in arrival order.
        var itemRejects: [MessageID: [RejectCode]] = [:]
        /// Rejects with no id (whole messages), by reject topic and code.
        var messageRejects: [String: [RejectCode: Int]] = [:]
        /// Reject entries whose message was empty (every reject must say why).
        var silentRejects = 0
        /// Payloads on the answer topics that were not a valid Ack or Reject.
        var unreadable = 0
        /// The first such payload and why it could not be read, for the failure message.
        var firstUnreadable: String?
        /// Ack ids plus reject entries.
        var entries = 0
    }

    private let tally = Mutex(Tally())

    var current: Tally { tally.withLock { $0 } }
    var entries: Int { tally.withLock { $0.entries } }

    /// Reads answers from `client` until its message sequence ends (at its shutdown).
    func listen(to client: MQTTClient) async {
        for await message in client.messages {
            record(topic: message.topic, payload: message.payload)
        }
    }

    func record(topic: String, payload: Data) {
        var ack: Ack?
        var reject: Reject?
        var problem = ""
        do {
            if topic.hasSuffix("/ack") { ack = try WanxiaJSON.decode(Ack.self, from: payload) }
            if topic.hasSuffix("/reject") { reject = try WanxiaJSON.decode(Reject.self, from: payload) }
        } catch {
            problem = "\(error)"
        }
        if let ack {
            tally.withLock { tally in
                for id in ack.ids { tally.acks[id, default: 0] += 1 }
                tally.entries += ack.ids.count
            }
        } else if let reject {
            tally.withLock { tally in
                for entry in reject.rejected {
                    if let id = entry.id {
                        tally.itemRejects[id, default: []].append(entry.code)
                    } else {
                        tally.messageRejects[topic, default: [:]][entry.code, default: 0] += 1
                    }
                    if entry.message.trimmingCharacters(in: .whitespaces).isEmpty { tally.silentRejects += 1 }
                }
                tally.entries += reject.rejected.count
            }
        } else {
            tally.withLock { tally in
                tally.unreadable += 1
                if tally.firstUnreadable == nil {
                    tally.firstUnreadable = "\(topic): \(problem): \(String(decoding: payload.prefix(600), as: UTF8.self))"
                }
            }
        }
    }
}
