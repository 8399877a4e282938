import Synchronization

/// The inbox's messages between arrival and the writer, in the order they arrived.
///
/// A message is read (decoded, fingerprinted, checked) before the writer takes it, off the
/// writer's path, but only while fewer than `readAhead` items wait read. A decoded item takes
/// several times the room of its bytes, and producers coming back online together can have far
/// more in flight than the writer stores in a commit: reading all of it on arrival held tens of
/// megabytes that nothing could use yet. Beyond the limit a message waits as it came, and
/// ``readWaiting()`` reads such messages in order as the writer makes room.
///
/// Messages that wait unread are always the newest: a message arriving while any waits unread
/// waits unread too, so reading in order needs no search.
final class InboxQueue<Message: Sendable, Reading: Sendable>: Sendable {
    private enum Entry {
        case read(Reading, items: Int)
        case unread(Message, items: Int)
    }

    private struct State {
        var entries: [Entry] = []
        /// Entries taken since the start: turns a position into an index after the front moved.
        var removed = 0
        var unread = 0
        var itemsRead = 0
        var peakItemsRead = 0
        var closed = false

        /// Counts `items` more waiting read.
        mutating func countRead(_ items: Int) {
            itemsRead += items
            peakItemsRead = max(peakItemsRead, itemsRead)
        }
    }

    /// Items read ahead of the writer, at most (a message is never split, so one may go over).
    let readAhead: Int
    private let items: @Sendable (Message) -> Int
    private let read: @Sendable (Message) -> Reading
    private let state = Mutex(State())
    private let writerWakeup = Wakeup()
    private let readerWakeup = Wakeup()

    /// `items` estimates a message's items (the limit only needs a bound); `read` reads it.
    init(readAhead: Int, items: @escaping @Sendable (Message) -> Int, read: @escaping @Sendable (Message) -> Reading) {
        self.readAhead = readAhead
        self.items = items
        self.read = read
    }

    /// Adds an arrived message, reading it now if there is room.
    func append(_ message: Message) {
        let count = items(message)
        if state.withLock({ $0.unread == 0 && $0.itemsRead < readAhead }) {
            let reading = read(message)
            state.withLock { state in
                state.entries.append(.read(reading, items: count))
                state.countRead(count)
            }
        } else {
            state.withLock { state in
                state.entries.append(.unread(message, items: count))
                state.unread += 1
            }
            readerWakeup.signal()
        }
        writerWakeup.signal()
    }

    /// Read messages from the front, up to about `maxItems` items (at least one message if any is
    /// read); stops at the first message not read yet.
    func take(maxItems: Int) -> [Reading] {
        let taken = state.withLock { state -> [Reading] in
            var taken: [Reading] = []
            var count = 0
            for entry in state.entries {
                guard case .read(let reading, let items) = entry, count < maxItems else { break }
                taken.append(reading)
                count += items
            }
            state.entries.removeFirst(taken.count)
            state.removed += taken.count
            state.itemsRead -= count
            return taken
        }
        if !taken.isEmpty { readerWakeup.signal() }
        return taken
    }

    /// Waits until a message may be ready for ``take(maxItems:)``, or `timeout` passes.
    func waitForMessages(timeout: Duration) async {
        await writerWakeup.wait(timeout: timeout)
    }

    /// Reads waiting messages in order whenever there is room, until ``close()`` or cancellation.
    func readWaiting() async {
        while !Task.isCancelled {
            let next = state.withLock { state -> (position: Int, message: Message, items: Int)? in
                guard !state.closed, state.unread > 0, state.itemsRead < readAhead else { return nil }
                let index = state.entries.count - state.unread
                guard case .unread(let message, let items) = state.entries[index] else { return nil }
                return (state.removed + index, message, items)
            }
            guard let next else {
                if state.withLock({ $0.closed }) { return }
                await readerWakeup.wait()
                continue
            }
            let reading = read(next.message)
            state.withLock { state in
                state.entries[next.position - state.removed] = .read(reading, items: next.items)
                state.unread -= 1
                state.countRead(next.items)
            }
            writerWakeup.signal()
        }
    }

    /// Ends ``readWaiting()``.
    func close() {
        state.withLock { $0.closed = true }
        readerWakeup.signal()
    }

    /// The most items that waited read at once.
    var peakItemsRead: Int { state.withLock { $0.peakItemsRead } }

    /// Messages waiting, read or not.
    var count: Int { state.withLock { $0.entries.count } }
}
