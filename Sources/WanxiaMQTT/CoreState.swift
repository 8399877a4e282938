/// A QoS 1/2 publish waiting for the broker, or a mid whose acknowledgement nobody waits for
/// any more (a QoS 0 send, or a cancelled waiter that still holds a place in the window).
enum PendingPublish {
    case waiting(CheckedContinuation<Void, any Error>, topic: String)
    case abandoned(holdsPlace: Bool)
}

/// The mutable state of one client, always accessed under `MQTTClientCore.state`'s lock.
///
/// libmosquitto hands out a mid when `mosquitto_publish` returns, and its network thread may
/// report the acknowledgement before the caller has recorded the mid. Such an early
/// acknowledgement is parked in `earlyPublishAcks` (likewise `earlySubacks`) and consumed by the
/// caller, so the two sides meet whichever comes first, without holding a lock across C calls.
struct CoreState {
    var connection: MQTTConnectionState = .idle
    var isShutDown = false
    var connectionCount: UInt64 = 0
    var lastFailure: MQTTError?
    var connackRefusal: MQTTError?

    var subscriptions: [String: MQTTQoS] = [:]
    var pendingSubscribes: [Int32: String] = [:]
    var earlySubacks: [Int32: Int32] = [:]
    var subscribeWaiters: [String: [UInt64: CheckedContinuation<MQTTQoS, any Error>]] = [:]

    var pendingPublishes: [Int32: PendingPublish] = [:]
    var earlyPublishAcks: [Int32: Int32] = [:]
    var inFlight = 0
    var windowWaiters: [(token: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []

    var connectWaiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    var stateObservers: [UInt64: AsyncStream<MQTTConnectionState>.Continuation] = [:]

    private var nextToken: UInt64 = 0

    mutating func makeToken() -> UInt64 {
        nextToken += 1
        return nextToken
    }

    struct Waiters {
        var connect: [CheckedContinuation<Void, any Error>] = []
        var subscribe: [CheckedContinuation<MQTTQoS, any Error>] = []
        var publish: [CheckedContinuation<Void, any Error>] = []
        var window: [CheckedContinuation<Void, any Error>] = []
    }

    /// Removes and returns every waiting continuation, and resets the books that refer to them.
    mutating func takeAllWaiters() -> Waiters {
        var waiters = Waiters()
        waiters.connect = Array(connectWaiters.values)
        waiters.subscribe = subscribeWaiters.values.flatMap { $0.values }
        for pending in pendingPublishes.values {
            if case .waiting(let continuation, _) = pending { waiters.publish.append(continuation) }
        }
        waiters.window = windowWaiters.map(\.continuation)
        connectWaiters.removeAll()
        subscribeWaiters.removeAll()
        pendingPublishes.removeAll()
        pendingSubscribes.removeAll()
        earlyPublishAcks.removeAll()
        earlySubacks.removeAll()
        windowWaiters.removeAll()
        inFlight = 0
        return waiters
    }
}
