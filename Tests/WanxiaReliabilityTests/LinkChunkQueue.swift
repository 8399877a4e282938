import Foundation
import Synchronization

/// The bytes in transit one way through a ``LinkConnection``: a FIFO of chunks, each with the
/// time it may be released, shared by one reader thread (``push(_:)``) and one writer thread.
final class LinkChunkQueue: Sendable {
    struct Chunk: Sendable {
        var due: ContinuousClock.Instant
        /// nil marks the end: the sending side closed.
        var bytes: [UInt8]?
    }

    private let chunks = Mutex<[Chunk]>([])
    private let pushed = DispatchSemaphore(value: 0)

    func push(_ chunk: Chunk) {
        chunks.withLock { $0.append(chunk) }
        pushed.signal()
    }

    var first: Chunk? { chunks.withLock { $0.first } }

    func removeFirst() { chunks.withLock { _ = $0.removeFirst() } }

    /// Waits until something is pushed, or `milliseconds` pass.
    func waitForPush(milliseconds: Int) {
        _ = pushed.wait(timeout: .now() + .milliseconds(milliseconds))
    }
}
