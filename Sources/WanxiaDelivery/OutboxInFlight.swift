import WanxiaContract

/// The batches an ``Outbox`` has published and not yet had every answer for, with the `seq` of
/// each item in them, so that an answer finds its item's row by its key.
///
/// An answer names items by id; looking each up in one table costs the same however many batches
/// are in flight (subtracting the answered ids from every batch cost a hash of each id per batch).
/// An id not found here (answered after its batch timed out, or after a restart) is still
/// answered: the outbox then finds its row by id. Not thread-safe: the outbox keeps it in a `Mutex`.
struct OutboxInFlight: Sendable {
    private struct Batch: Sendable {
        var deadline: ContinuousClock.Instant
        var ids: [MessageID]
        var unanswered: Int
    }

    private var batches: [UInt64: Batch] = [:]
    /// Every item in flight: its batch and its row.
    private var items: [MessageID: (batch: UInt64, seq: Int64)] = [:]
    private var nextBatch: UInt64 = 0

    /// Batches awaiting an answer.
    var count: Int { batches.count }

    /// Items awaiting an answer.
    var itemCount: Int { items.count }

    /// The earliest deadline of a batch in flight.
    var earliestDeadline: ContinuousClock.Instant? { batches.values.lazy.map(\.deadline).min() }

    /// Adds a published batch of `(id, seq)` items, due for its answer by `deadline`. An item still
    /// in an earlier batch (sent again) now belongs to this one.
    mutating func add(_ batch: [(id: MessageID, seq: Int64)], deadline: ContinuousClock.Instant) {
        guard !batch.isEmpty else { return }
        let number = nextBatch
        nextBatch += 1
        for item in batch {
            if let earlier = items.updateValue((number, item.seq), forKey: item.id) {
                release(item: item.id, of: earlier.batch)
            }
        }
        batches[number] = Batch(deadline: deadline, ids: batch.map(\.id), unanswered: batch.count)
    }

    /// Takes an answered item out of its batch; returns its row's `seq`, or nil if it is not in
    /// flight.
    mutating func answer(_ id: MessageID) -> Int64? {
        guard let (batch, seq) = items.removeValue(forKey: id) else { return nil }
        release(item: id, of: batch)
        return seq
    }

    /// Drops the batches whose deadline has passed (their items come due again in the file).
    mutating func expire(now: ContinuousClock.Instant) {
        for (number, batch) in batches where batch.deadline <= now {
            batches[number] = nil
            for id in batch.ids where items[id]?.batch == number {
                items[id] = nil
            }
        }
    }

    /// Forgets every batch (after a reconnect: the broker may have lost them all).
    mutating func removeAll() {
        batches.removeAll()
        items.removeAll()
    }

    private mutating func release(item: MessageID, of number: UInt64) {
        guard var batch = batches[number] else { return }
        batch.unanswered -= 1
        batches[number] = batch.unanswered > 0 ? batch : nil
    }
}
