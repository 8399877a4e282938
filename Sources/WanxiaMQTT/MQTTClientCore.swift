import CMosquitto
import Foundation
import Logging
import Synchronization

/// libmosquitto must be initialised once per process before the first handle.
private let libraryInitialised: Int32 = mosquitto_lib_init()

/// The C handle. libmosquitto is thread-safe after `mosquitto_threaded_set(true)`: publish,
/// subscribe and disconnect may be called from any thread while our network thread runs the loop.
/// The handle is destroyed once, by `MQTTClientCore.destroy`, after that thread has stopped.
struct MosquittoHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// Everything behind `MQTTClient`: the handle, the shared state, and the network thread.
///
/// All mutable state sits in one `Mutex`; continuations are collected under the lock and resumed
/// after it is released, so no callback ever calls out while holding it. The C callbacks reach
/// this object through one `Unmanaged` context retained at creation and released after
/// `mosquitto_destroy`, when the C side can no longer call back.
final class MQTTClientCore: Sendable {
    let configuration: MQTTConfiguration
    let logger: Logger
    let handle: MosquittoHandle
    let state: Mutex<CoreState>
    let loop: LoopControl
    let messageStream: AsyncStream<MQTTMessage>
    let messageContinuation: AsyncStream<MQTTMessage>.Continuation
    let received = Atomic<Int>(0)
    let dropped = Atomic<Int>(0)

    init(configuration: MQTTConfiguration, logger: Logger) throws(MQTTError) {
        _ = libraryInitialised
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(CoreState())
        self.loop = LoopControl()
        (messageStream, messageContinuation) = AsyncStream.makeStream(
            of: MQTTMessage.self, bufferingPolicy: .bufferingOldest(configuration.receiveBuffer))

        guard let pointer = mosquitto_new(
            configuration.clientID.isEmpty ? nil : configuration.clientID,
            configuration.cleanStart,
            nil
        ) else {
            throw MQTTError(.invalidArgument, "libmosquitto could not create a client (out of memory or invalid client id)")
        }
        self.handle = MosquittoHandle(pointer: pointer)
        do {
            try configure()
        } catch {
            mosquitto_destroy(pointer)
            throw error
        }
        // The C side holds one retained reference, released by `destroy` after `mosquitto_destroy`.
        mosquitto_user_data_set(pointer, Unmanaged.passRetained(self).toOpaque())
        installCallbacks()
    }

    private func configure() throws(MQTTError) {
        let h = handle.pointer
        try MQTTError.check(mosquitto_threaded_set(h, true), "threaded mode")
        let version = configuration.protocolVersion == .v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311
        try MQTTError.check(mosquitto_int_option(h, MOSQ_OPT_PROTOCOL_VERSION, version), "protocol version")
        try MQTTError.check(
            mosquitto_int_option(h, MOSQ_OPT_SEND_MAXIMUM, Int32(configuration.publishWindow)), "send maximum")
        // Messages are small and answered: with Nagle's algorithm on, a PUBACK or a reply waits
        // for the peer's delayed ACK (40 ms on Linux) before it leaves.
        try MQTTError.check(mosquitto_int_option(h, MOSQ_OPT_TCP_NODELAY, 1), "TCP no-delay")
        if configuration.protocolVersion == .v5 {
            try MQTTError.check(
                mosquitto_int_option(h, MOSQ_OPT_RECEIVE_MAXIMUM, Int32(configuration.receiveMaximum)), "receive maximum")
        }
        if configuration.username != nil || configuration.password != nil {
            try MQTTError.check(
                mosquitto_username_pw_set(h, configuration.username, configuration.password), "user name and password")
        }
        if let tls = configuration.tls {
            try MQTTError.check(
                mosquitto_tls_set(h, tls.caFile, nil, tls.certificateFile, tls.keyFile, nil), "TLS files")
            try MQTTError.check(mosquitto_tls_insecure_set(h, tls.allowHostnameMismatch), "TLS host-name check")
        }
    }

    var currentState: MQTTConnectionState { state.withLock { $0.connection } }

    var statistics: MQTTStatistics {
        let (connections, inFlight) = state.withLock { ($0.connectionCount, $0.inFlight) }
        return MQTTStatistics(
            receivedMessages: received.load(ordering: .relaxed),
            droppedMessages: dropped.load(ordering: .relaxed),
            connections: connections,
            publishesInFlight: inFlight)
    }

    // MARK: State changes

    /// Sets the connection state and tells every observer.
    func setConnection(_ new: MQTTConnectionState) {
        let observers = state.withLock { s -> [AsyncStream<MQTTConnectionState>.Continuation] in
            s.connection = new
            return Array(s.stateObservers.values)
        }
        for observer in observers { observer.yield(new) }
    }

    func observeStates() -> AsyncStream<MQTTConnectionState> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: MQTTConnectionState.self, bufferingPolicy: .bufferingNewest(32))
        let (current, closed) = state.withLock { s -> (MQTTConnectionState, Bool) in
            if case .closed = s.connection { return (s.connection, true) }
            let token = s.makeToken()
            s.stateObservers[token] = continuation
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.stateObservers.removeValue(forKey: token) }
            }
            return (s.connection, false)
        }
        continuation.yield(current)
        if closed { continuation.finish() }
        return stream
    }

    // MARK: Connect

    func connect(timeout: Duration) async throws {
        startLoop()
        let token = state.withLock { $0.makeToken() }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.waitForConnect(token: token) }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    // Cancelled (the caller, or the connection came first): never a quiet success.
                    try Task.checkCancellation()
                    let last = self.state.withLock { $0.lastFailure }
                    var message = "no connection to \(self.configuration.host):\(self.configuration.port) within \(timeout)"
                    if let last { message += " (last error: \(last.message))" }
                    throw MQTTError(.timeout, message, mosquittoCode: last?.mosquittoCode)
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        } catch {
            await stopLoop()
            throw error
        }
    }

    private func waitForConnect(token: UInt64) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let result = state.withLock { s -> Result<Void, any Error>? in
                    if s.connection.isConnected { return .success(()) }
                    if s.isShutDown { return .failure(MQTTError(.shutdown, "the client was shut down")) }
                    // Cancelled before this waiter was known: `onCancel` has already run and found nothing.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    s.connectWaiters[token] = continuation
                    return nil
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.connectWaiters.removeValue(forKey: token) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    // MARK: Subscribe

    func subscribe(_ filter: String, qos: MQTTQoS) async throws -> MQTTQoS {
        guard mosquitto_sub_topic_check(filter) == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError(.invalidArgument, "not a valid subscription filter: \(filter)")
        }
        let token = state.withLock { s -> UInt64 in
            s.subscriptions[filter] = qos
            return s.makeToken()
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<MQTTQoS, any Error>) in
                let (connected, refusal) = state.withLock { s -> (Bool, (any Error)?) in
                    if s.isShutDown { return (false, MQTTError(.shutdown, "the client was shut down")) }
                    // Cancelled before this waiter was known: `onCancel` has already run and found nothing.
                    if Task.isCancelled { return (false, CancellationError()) }
                    s.subscribeWaiters[filter, default: [:]][token] = continuation
                    return (s.connection.isConnected, nil)
                }
                if let refusal {
                    continuation.resume(throwing: refusal)
                } else if connected {
                    sendSubscribe(filter, qos: qos)
                }
            }
        } onCancel: {
            let waiter = state.withLock { $0.subscribeWaiters[filter]?.removeValue(forKey: token) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Sends one SUBSCRIBE. Called from callers' tasks and from the connect callback.
    func sendSubscribe(_ filter: String, qos: MQTTQoS) {
        var mid: Int32 = 0
        let rc = mosquitto_subscribe_v5(handle.pointer, &mid, filter, qos.rawValue, 0, nil)
        if rc == MOSQ_ERR_SUCCESS.rawValue {
            let early = state.withLock { s -> Int32? in
                if let granted = s.earlySubacks.removeValue(forKey: mid) { return granted }
                s.pendingSubscribes[mid] = filter
                return nil
            }
            if let early { completeSubscribe(filter: filter, granted: early) }
        } else if rc != MOSQ_ERR_NO_CONN.rawValue {
            // Not a passing state: the filter can never be subscribed. Forget it and tell the waiters.
            let waiters = state.withLock { s -> [CheckedContinuation<MQTTQoS, any Error>] in
                s.subscriptions.removeValue(forKey: filter)
                return Array((s.subscribeWaiters.removeValue(forKey: filter) ?? [:]).values)
            }
            let error = MQTTError(mosquitto: rc, "subscribe \(filter)")
            for waiter in waiters { waiter.resume(throwing: error) }
        }
        // On NO_CONN the subscription stays registered and is sent again after the reconnect.
    }

    func completeSubscribe(filter: String, granted: Int32) {
        let waiters = state.withLock { s -> [CheckedContinuation<MQTTQoS, any Error>] in
            Array((s.subscribeWaiters.removeValue(forKey: filter) ?? [:]).values)
        }
        if let qos = MQTTQoS(rawValue: granted) {
            for waiter in waiters { waiter.resume(returning: qos) }
        } else {
            logger.error("subscription refused", metadata: ["mqtt.filter": "\(filter)", "mqtt.reason": "\(granted)"])
            let error = MQTTError(.subscriptionRefused, "the broker refused the subscription to \(filter)", reasonCode: granted)
            for waiter in waiters { waiter.resume(throwing: error) }
        }
    }

    func unsubscribe(_ filter: String) async throws {
        let connected = state.withLock { s -> Bool in
            s.subscriptions.removeValue(forKey: filter)
            return s.connection.isConnected
        }
        guard connected else { return }
        var mid: Int32 = 0
        let rc = mosquitto_unsubscribe(handle.pointer, &mid, filter)
        if rc != MOSQ_ERR_NO_CONN.rawValue { try MQTTError.check(rc, "unsubscribe \(filter)") }
    }

    // MARK: Publish

    func publish(topic: String, payload: Data, qos: MQTTQoS, retain: Bool, properties: MQTTProperties) async throws {
        guard mosquitto_pub_topic_check(topic) == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError(.invalidArgument, "not a valid topic to publish to: \(topic)")
        }
        if qos > .atMostOnce { try await acquirePlace() }
        var mid: Int32 = 0
        let rc = withProperties(properties) { props in
            payload.withUnsafeBytes { bytes in
                mosquitto_publish_v5(
                    handle.pointer, &mid, topic, Int32(bytes.count), bytes.baseAddress, qos.rawValue, retain, props)
            }
        }
        let queued = rc == MOSQ_ERR_SUCCESS.rawValue || (rc == MOSQ_ERR_NO_CONN.rawValue && qos > .atMostOnce)
        guard queued else {
            if qos > .atMostOnce { releasePlace() }
            throw MQTTError(mosquitto: rc, "publish to \(topic)")
        }
        guard qos > .atMostOnce else {
            // libmosquitto still reports QoS 0 sends through on_publish; make sure that mid is consumed.
            state.withLock { s in
                if s.earlyPublishAcks.removeValue(forKey: mid) == nil {
                    s.pendingPublishes[mid] = .abandoned(holdsPlace: false)
                }
            }
            return
        }
        try await waitForAck(mid: mid, topic: topic)
    }

    private func waitForAck(mid: Int32, topic: String) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                var cancelled = false
                let early = state.withLock { s -> Int32?? in
                    if let reason = s.earlyPublishAcks.removeValue(forKey: mid) { return .some(reason) }
                    if s.isShutDown { return .some(nil) }
                    if Task.isCancelled {
                        // As `onCancel` would have done, had this waiter been known when it ran.
                        s.pendingPublishes[mid] = .abandoned(holdsPlace: true)
                        cancelled = true
                        return .none
                    }
                    s.pendingPublishes[mid] = .waiting(continuation, topic: topic)
                    return .none
                }
                switch early {
                case .none:
                    if cancelled { continuation.resume(throwing: CancellationError()) }
                case .some(.none):
                    continuation.resume(throwing: MQTTError(.shutdown, "the client was shut down before the broker acknowledged"))
                case .some(.some(let reason)):
                    releasePlace()
                    continuation.resume(with: Self.publishResult(reason: reason, topic: topic))
                }
            }
        } onCancel: {
            // The message stays with libmosquitto; its place in the window is freed when the ack comes.
            let waiter = state.withLock { s -> CheckedContinuation<Void, any Error>? in
                guard case .waiting(let continuation, _)? = s.pendingPublishes[mid] else { return nil }
                s.pendingPublishes[mid] = .abandoned(holdsPlace: true)
                return continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    static func publishResult(reason: Int32, topic: String) -> Result<Void, any Error> {
        guard reason >= 0x80 else { return .success(()) }
        let text = String(cString: mosquitto_reason_string(reason))
        return .failure(MQTTError(.publishFailed, "the broker did not accept the message for \(topic): \(text)", reasonCode: reason))
    }

    /// Called from on_publish: the broker acknowledged `mid` (or, at QoS 0, it was written).
    func completePublish(mid: Int32, reason: Int32) {
        let waiter = state.withLock { s -> (pending: PendingPublish?, wasTracked: Bool) in
            guard let pending = s.pendingPublishes.removeValue(forKey: mid) else {
                s.earlyPublishAcks[mid] = reason
                return (nil, false)
            }
            return (pending, true)
        }
        guard waiter.wasTracked, let pending = waiter.pending else { return }
        switch pending {
        case .abandoned(let holdsPlace):
            if holdsPlace { releasePlace() }
        case .waiting(let continuation, let topic):
            releasePlace()
            continuation.resume(with: Self.publishResult(reason: reason, topic: topic))
        }
    }

    // MARK: The publish window

    private func acquirePlace() async throws {
        let token = state.withLock { $0.makeToken() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { s -> Result<Void, any Error>? in
                    if s.isShutDown { return .failure(MQTTError(.shutdown, "the client was shut down")) }
                    if s.inFlight < configuration.publishWindow {
                        s.inFlight += 1
                        return .success(())
                    }
                    // Cancelled before this waiter was known: `onCancel` has already run and found nothing.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    s.windowWaiters.append((token, continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, any Error>? in
                guard let index = s.windowWaiters.firstIndex(where: { $0.token == token }) else { return nil }
                return s.windowWaiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Frees one place, or hands it straight to the longest waiter.
    func releasePlace() {
        let next = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            if s.windowWaiters.isEmpty {
                s.inFlight -= 1
                return nil
            }
            return s.windowWaiters.removeFirst().continuation
        }
        next?.resume()
    }

    // MARK: Shutdown

    func shutdown() async {
        await stopLoop()
        destroy()
    }

    /// For `deinit`: the same as `shutdown`, blocking.
    func destroySynchronously() {
        requestStop()
        loop.waitUntilStopped()
        destroy()
    }

    /// Frees the C handle and the callback context, once; fails everything still waiting.
    private func destroy() {
        let first = state.withLock { s -> Bool in
            guard !s.isShutDown else { return false }
            s.isShutDown = true
            return true
        }
        guard first else { return }
        mosquitto_destroy(handle.pointer)
        Unmanaged<MQTTClientCore>.fromOpaque(UnsafeRawPointer(contextPointer)).release()
        failEverything(with: MQTTError(.shutdown, "the client was shut down"))
        setConnection(.closed)
        let observers = state.withLock { s -> [AsyncStream<MQTTConnectionState>.Continuation] in
            defer { s.stateObservers.removeAll() }
            return Array(s.stateObservers.values)
        }
        for observer in observers { observer.finish() }
        messageContinuation.finish()
    }

    private var contextPointer: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    func failEverything(with error: MQTTError) {
        let waiting = state.withLock { s in s.takeAllWaiters() }
        for continuation in waiting.connect { continuation.resume(throwing: error) }
        for continuation in waiting.subscribe { continuation.resume(throwing: error) }
        for continuation in waiting.publish { continuation.resume(throwing: error) }
        for continuation in waiting.window { continuation.resume(throwing: error) }
    }
}
