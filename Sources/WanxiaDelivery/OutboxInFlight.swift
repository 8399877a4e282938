import WanxiaContract

/// The batches an ``Outbox`` has published and not yet had every answer for, with the `seq` of
/// each item in them, so that an answer finds its item's row by its key; and how many batches
/// may be in flight at once (the window).
///
/// An answer names items by id; looking each up in one table costs the same however many batches
/// are in flight (subtracting the answered ids from every batch cost a hash of each id per batch).
/// An id not found here (answered after its batch timed out, or after a restart) is still
/// answered: the outbox then finds its row by id.
///
/// The window adapts to the link and the consumer, as TCP's does: it grows by one batch for each
/// batch answered in full within a quarter of its timeout, up to `maxWindow`, and halves (not
/// below one) when batches time out or the connection drops. On a fast link to a quick consumer
/// it opens, so that the consumer's writer finds the next batches waiting and commits many at
/// once; on a slow link it closes until what is in flight is answered before it times out,
/// instead of all of it being sent again. Not thread-safe: the outbox keeps it in a `Mutex`.
struct OutboxInFlight: Sendable {
    private struct Batch: Sendable {
        var sentAt: ContinuousClock.Instant
        var deadline: ContinuousClock.Instant
        var ids: [MessageID]
        var unanswered: Int

        /// Whether an answer at `now` came within a quarter of the batch's timeout.
        func isQuick(at now: ContinuousClock.Instant) -> Bool {
            now - sentAt <= (deadline - sentAt) / 4
        }
    }

    private var batches: [UInt64: Batch] = [:]
    /// Every item in flight: its batch and its row.
    private var items: [MessageID: (batch: UInt64, seq: Int64)] = [:]
    private var nextBatch: UInt64 = 0

    /// Batches that may be in flight at once, now: between 1 and `maxWindow`.
    private(set) var window: Int
    let maxWindow: Int

    init(window: Int, maxWindow: Int) {
        self.maxWindow = max(1, maxWindow)
        self.window = min(max(1, window), self.maxWindow)
    }

    /// Batches awaiting an answer.
    var count: Int { batches.count }

    /// Batches that may be sent now.
    var free: Int { max(0, window - batches.count) }

    /// Items awaiting an answer.
    var itemCount: Int { items.count }

    /// The earliest deadline of a batch in flight.
    var earliestDeadline: ContinuousClock.Instant? { batches.values.lazy.map(\.deadline).min() }

    /// Adds a batch of `(id, seq)` items published at `sentAt`, due for its answer by `deadline`.
    /// An item still in an earlier batch (sent again) now belongs to this one.
    mutating func add(_ batch: [(id: MessageID, seq: Int64)], sentAt: ContinuousClock.Instant, deadline: ContinuousClock.Instant) {
        guard !batch.isEmpty else { return }
        let number = nextBatch
        nextBatch += 1
        for item in batch {
            if let earlier = items.updateValue((number, item.seq), forKey: item.id) {
                _ = release(item: item.id, of: earlier.batch)
            }
        }
        batches[number] = Batch(sentAt: sentAt, deadline: deadline, ids: batch.map(\.id), unanswered: batch.count)
    }

    /// Takes an item answered at `now` out of its batch; returns its row's `seq`, or nil if it is
    /// not in flight. The last answer of a batch that came back quickly widens the window.
    mutating func answer(_ id: MessageID, now: ContinuousClock.Instant) -> Int64? {
        guard let (batch, seq) = items.removeValue(forKey: id) else { return nil }
        if let completed = release(item: id, of: batch), completed.isQuick(at: now) {
            window = min(maxWindow, window + 1)
        }
        return seq
    }

    /// Drops the batches whose deadline has passed (their items come due again in the file) and
    /// halves the window if there were any. Returns how many timed out.
    @discardableResult
    mutating func expire(now: ContinuousClock.Instant) -> Int {
        var expired = 0
        for (number, batch) in batches where batch.deadline <= now {
            batches[number] = nil
            expired += 1
            for id in batch.ids where items[id]?.batch == number {
                items[id] = nil
            }
        }
        if expired > 0 { window = max(1, window / 2) }
        return expired
    }

    /// Forgets every batch (after a reconnect: the broker may have lost them all) and halves the
    /// window.
    mutating func removeAll() {
        batches.removeAll()
        items.removeAll()
        window = max(1, window / 2)
    }

    /// One item of batch `number` is answered; returns the batch if that was its last.
    private mutating func release(item: MessageID, of number: UInt64) -> Batch? {
        guard var batch = batches[number] else { return nil }
        batch.unanswered -= 1
        if batch.unanswered > 0 {
            batches[number] = batch
            return nil
        }
        batches[number] = nil
        return batch
    }
}
