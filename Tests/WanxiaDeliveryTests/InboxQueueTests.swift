import Foundation
import Synchronization
import Testing
@testable import WanxiaDelivery

@Suite("The inbox's queue: reading ahead of the writer, within a bound")
struct InboxQueueTests {
    /// A queue of numbered messages of 500 items each, counting how many it has read.
    final class Numbers: Sendable {
        final class Log: Sendable {
            let list = Mutex<[Int]>([])
        }

        let log = Log()
        let queue: InboxQueue<Int, Int>

        init(readAhead: Int) {
            let log = log
            queue = InboxQueue(readAhead: readAhead, items: { _ in 500 }) { message in
                log.list.withLock { $0.append(message) }
                return message
            }
        }

        var reads: [Int] { log.list.withLock { $0 } }

        /// Takes `count` messages as the writer does, with the reader running, giving up after 60 s (the whole suite runs in parallel on 2 cores).
        func writerTakes(_ count: Int) async -> [Int] {
            let reader = Task { await queue.readWaiting() }
            var taken: [Int] = []
            let deadline = ContinuousClock.now + .seconds(60)
            while taken.count < count, ContinuousClock.now < deadline {
                let batch = queue.take(maxItems: 4000)
                if batch.isEmpty { await queue.waitForMessages(timeout: .milliseconds(100)) }
                taken += batch
            }
            queue.close()
            await reader.value
            return taken
        }
    }

    @Test("messages past the bound wait unread, are read in order as the writer makes room, and come out in arrival order")
    func bounded() async throws {
        let numbers = Numbers(readAhead: 1000)
        for message in 0..<10 { numbers.queue.append(message) }
        // Two messages fill the bound; the other eight wait as they came.
        #expect(numbers.reads == [0, 1])
        #expect(numbers.queue.count == 10)

        let taken = await numbers.writerTakes(10)

        #expect(taken == Array(0..<10))
        #expect(numbers.reads == Array(0..<10))
        #expect(numbers.queue.peakItemsRead <= 1000)
        #expect(numbers.queue.count == 0)
    }

    @Test("a message arriving while others wait unread waits too, even once there is room")
    func staysInOrder() async throws {
        let numbers = Numbers(readAhead: 500)
        numbers.queue.append(0)
        numbers.queue.append(1)  // no room: waits unread
        #expect(numbers.queue.take(maxItems: 4000) == [0])
        numbers.queue.append(2)  // room now, but 1 is still unread: 2 must not be read first
        #expect(numbers.reads == [0])
        #expect(numbers.queue.take(maxItems: 4000).isEmpty)

        let taken = await numbers.writerTakes(2)
        #expect(taken == [1, 2])
        #expect(numbers.reads == [0, 1, 2])
    }

    @Test("with room, a message is read as it arrives, and a take stops near the commit's size")
    func readsOnArrival() {
        let numbers = Numbers(readAhead: 100_000)
        for message in 0..<20 { numbers.queue.append(message) }
        #expect(numbers.reads == Array(0..<20))
        #expect(numbers.queue.take(maxItems: 4000) == Array(0..<8))
        #expect(numbers.queue.take(maxItems: 4000) == Array(8..<16))
        #expect(numbers.queue.take(maxItems: 4000) == Array(16..<20))
    }
}
