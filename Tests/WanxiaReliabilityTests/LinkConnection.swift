import Foundation
import Synchronization

/// One connection through a ``LinkProxy``: the client's socket, the broker's, and a pipe each way.
///
/// Each direction has a reader thread (reads what arrives, stamps it with the time it may leave:
/// now plus the latency) and a writer thread (releases chunks when due, in order, sleeping after
/// each as long as the bandwidth cap asks). Both stop moving while the proxy is black-holed. The
/// connection ends when either side closes (the other is then closed too, with a FIN) or on
/// ``reset()`` (both closed with SO_LINGER 0, which sends an RST). The sockets are closed by the
/// last thread to leave, so no thread ever touches a closed (and perhaps reused) descriptor.
final class LinkConnection: Sendable {
    private let client: Int32
    private let upstream: Int32
    private let shape: LinkProxy.Shape
    private let switches: LinkSwitches
    private let ending = Atomic<Bool>(false)
    private let resetting = Atomic<Bool>(false)
    private let threadsRunning = Atomic<Int>(0)
    private let endedFlag = Atomic<Bool>(false)
    private let ended = DispatchSemaphore(value: 0)

    init(client: Int32, upstream: Int32, shape: LinkProxy.Shape, switches: LinkSwitches) {
        self.client = client
        self.upstream = upstream
        self.shape = shape
        self.switches = switches
    }

    /// Starts the four threads.
    func start() {
        for fd in [client, upstream] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        threadsRunning.store(4, ordering: .sequentiallyConsistent)
        for (from, to) in [(client, upstream), (upstream, client)] {
            let queue = LinkChunkQueue()
            Thread.detachNewThread { [self] in
                pump(from: from, into: queue)
                threadEnded()
            }
            Thread.detachNewThread { [self] in
                release(queue, to: to)
                threadEnded()
            }
        }
    }

    /// Ends the connection abruptly: both sides get an RST within about 20 ms.
    func reset() {
        resetting.store(true, ordering: .sequentiallyConsistent)
        ending.store(true, ordering: .sequentiallyConsistent)
    }

    var hasEnded: Bool { endedFlag.load(ordering: .sequentiallyConsistent) }

    /// Blocks until both sockets are closed. Call at most once, after ``reset()``.
    func waitUntilEnded() {
        if !hasEnded { ended.wait() }
    }

    /// Closes `fd` so that the peer gets an RST rather than a FIN.
    static func resetAndClose(_ fd: Int32) {
        var linger = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        close(fd)
    }

    // MARK: Threads

    private var shouldEnd: Bool {
        ending.load(ordering: .sequentiallyConsistent) || switches.stopped.load(ordering: .sequentiallyConsistent)
    }

    private var blackHoled: Bool { switches.blackHoled.load(ordering: .sequentiallyConsistent) }

    /// Reads from `from` until it closes or the connection ends; under a bandwidth cap, in chunks
    /// small enough (1/50 s of traffic) that the writer's pauses stay short.
    private func pump(from: Int32, into queue: LinkChunkQueue) {
        let size = shape.bytesPerSecond.map { max(256, min(16_384, $0 / 50)) } ?? 16_384
        var buffer = [UInt8](repeating: 0, count: size)
        while !shouldEnd {
            if blackHoled {
                usleep(5_000)
                continue
            }
            var ready = pollfd(fd: from, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 20) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            if count > 0 {
                queue.push(LinkChunkQueue.Chunk(due: .now + shape.latency, bytes: Array(buffer[0..<count])))
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                queue.push(LinkChunkQueue.Chunk(due: .now + shape.latency, bytes: nil))
                return
            }
        }
    }

    /// Writes each chunk to `to` when it is due; an end marker ends the connection.
    private func release(_ queue: LinkChunkQueue, to: Int32) {
        while !shouldEnd {
            guard let chunk = queue.first else {
                queue.waitForPush(milliseconds: 20)
                continue
            }
            if blackHoled {
                usleep(5_000)
                continue
            }
            let wait = chunk.due - .now
            if wait > .zero {
                usleep(UInt32(min(wait, .milliseconds(20)).timeIntervalSeconds * 1_000_000))
                continue
            }
            guard let bytes = chunk.bytes, writeAll(bytes, to: to) else {
                ending.store(true, ordering: .sequentiallyConsistent)  // one side closed: close the other
                return
            }
            queue.removeFirst()
            if let rate = shape.bytesPerSecond {
                usleep(UInt32(Double(bytes.count) / Double(rate) * 1_000_000))
            }
        }
    }

    private func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            if shouldEnd { return false }
            var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&ready, 1, 20) > 0 else { continue }
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written > 0 {
                offset += written
            } else if errno != EAGAIN && errno != EINTR {
                return false
            }
        }
        return true
    }

    private func threadEnded() {
        guard threadsRunning.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 else { return }
        if resetting.load(ordering: .sequentiallyConsistent) || switches.stopped.load(ordering: .sequentiallyConsistent) {
            Self.resetAndClose(client)
            Self.resetAndClose(upstream)
        } else {
            close(client)
            close(upstream)
        }
        endedFlag.store(true, ordering: .sequentiallyConsistent)
        ended.signal()
    }
}

extension Duration {
    fileprivate var timeIntervalSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
