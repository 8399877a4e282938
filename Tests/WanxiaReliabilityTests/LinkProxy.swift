import Foundation
import Synchronization
import WanxiaBroker

/// A small TCP proxy for tests: listens on a free loopback port, forwards every connection to a
/// target port (the broker), and breaks the link on demand.
///
/// Faults, as the network between a site and the broker produces them:
/// - ``cut(stayDown:)`` resets every open connection at once (RST on both sides, as a router that
///   drops the link and answers with resets); with `stayDown`, new connections are reset as soon
///   as they arrive until ``restore()``, otherwise they are forwarded again at once.
/// - ``blackHole()`` stops forwarding in both directions but keeps every socket open, so neither
///   end sees an error: only the MQTT keep-alive can notice. New connections are accepted and
///   swallowed the same way. ``restore()`` lets the held bytes flow again, in order, like TCP
///   retransmitting after a routing outage.
/// - ``restore()`` ends a black hole and a down link.
/// - ``Shape`` gives every chunk a latency (each way) and caps the bandwidth (each way), for the
///   whole life of the proxy.
///
/// Threads: one accept thread, two per direction of each connection (a reader that timestamps
/// chunks and a writer that releases them when due). Every blocking call waits at most 20 ms
/// before looking at the switches again, so a fault takes effect within that. ``stop()`` resets
/// all connections and waits until every thread has ended; call it before the test returns.
final class LinkProxy: Sendable {
    /// How the link is slowed.
    struct Shape: Sendable {
        /// Added to every chunk, in each direction.
        var latency: Duration = .zero
        /// Bytes per second in each direction; nil for no cap.
        var bytesPerSecond: Int?
    }

    /// The port to connect to instead of the target's.
    let port: Int
    let targetPort: Int
    let shape: Shape
    private let listener: Int32
    private let switches: LinkSwitches
    private let connections = Mutex<[LinkConnection]>([])
    private let acceptThreadEnded = DispatchSemaphore(value: 0)

    /// Starts listening on a free loopback port; forwards to `127.0.0.1:targetPort`.
    init(forwardingTo targetPort: Int, shape: Shape = Shape()) throws {
        self.targetPort = targetPort
        self.shape = shape
        switches = LinkSwitches()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LinkProxyError("socket() failed: errno \(errno)") }
        var address = LoopbackPort.address(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw LinkProxyError("bind/listen on loopback failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Resets every open connection (RST both ways); with `stayDown`, also every new one until
    /// ``restore()``. Returns how many open connections were cut.
    @discardableResult
    func cut(stayDown: Bool = false) -> Int {
        if stayDown { switches.down.store(true, ordering: .sequentiallyConsistent) }
        let open = connections.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for connection in open { connection.reset() }
        return open.count
    }

    /// Stops forwarding without closing anything, until ``restore()``.
    func blackHole() { switches.blackHoled.store(true, ordering: .sequentiallyConsistent) }

    /// Takes connections again and forwards whatever was held back, then everything after it.
    func restore() {
        switches.down.store(false, ordering: .sequentiallyConsistent)
        switches.blackHoled.store(false, ordering: .sequentiallyConsistent)
    }

    /// Connections open now (ended ones are forgotten as they end).
    var openConnections: Int { connections.withLock { list in list.filter { !$0.hasEnded }.count } }

    /// How many connections were ever accepted.
    var acceptedConnections: Int { switches.accepted.load(ordering: .sequentiallyConsistent) }

    /// Resets everything and waits for every thread to end.
    func stop() {
        guard !switches.stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        acceptThreadEnded.wait()
        close(listener)
        let open = connections.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for connection in open {
            connection.reset()
            connection.waitUntilEnded()
        }
    }

    deinit { stop() }

    // MARK: Accepting

    private func acceptLoop() {
        defer { acceptThreadEnded.signal() }
        while !switches.stopped.load(ordering: .sequentiallyConsistent) {
            var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 20) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            if switches.down.load(ordering: .sequentiallyConsistent) {
                LinkConnection.resetAndClose(client)
                continue
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = LoopbackPort.address(port: targetPort)
            let connected = upstream >= 0 && withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
            guard connected else {
                // The broker is down: the client sees its connection refused, as it would directly.
                LinkConnection.resetAndClose(client)
                if upstream >= 0 { close(upstream) }
                continue
            }
            switches.accepted.add(1, ordering: .sequentiallyConsistent)
            let connection = LinkConnection(client: client, upstream: upstream, shape: shape, switches: switches)
            connections.withLock { list in
                list.removeAll { $0.hasEnded }
                list.append(connection)
            }
            connection.start()
        }
    }
}

/// The switches every thread of a proxy looks at.
final class LinkSwitches: Sendable {
    let blackHoled = Atomic<Bool>(false)
    let down = Atomic<Bool>(false)
    let stopped = Atomic<Bool>(false)
    let accepted = Atomic<Int>(0)
}

/// A proxy could not set itself up.
struct LinkProxyError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
