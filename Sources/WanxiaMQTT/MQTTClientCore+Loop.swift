import CMosquitto
import Foundation
import Logging

extension MQTTClientCore {
    /// Starts the network thread unless it runs already.
    func startLoop() {
        guard loop.begin() else { return }
        let thread = Thread { [self] in
            runLoop()
            loop.end()
        }
        thread.name = "wanxia.mqtt"
        thread.start()
    }

    /// Asks the thread to stop: a clean DISCONNECT if connected, or an end to its back-off sleep.
    func requestStop() {
        loop.requestStop()
        let alive = state.withLock { !$0.isShutDown }
        if alive { _ = mosquitto_disconnect(handle.pointer) }
    }

    func stopLoop() async {
        requestStop()
        await loop.stopped()
    }

    /// The network thread: connect, run libmosquitto's loop until the connection ends, back off,
    /// and again, until asked to stop.
    private func runLoop() {
        var attempt = 0
        var generator = SystemRandomNumberGenerator()
        let target = "\(configuration.host):\(configuration.port)"
        while !loop.shouldStop {
            setConnection(.connecting(attempt: attempt))
            let connection = state.withLock { s -> UInt64 in
                s.connackRefusal = nil
                return s.connectionCount + 1
            }
            applyWill(connection: connection)
            var rc = connectOnce()
            var wasConnected = false
            if rc == MOSQ_ERR_SUCCESS.rawValue {
                var stopDeadline: ContinuousClock.Instant?
                while true {
                    rc = mosquitto_loop(handle.pointer, 100, 1)
                    if rc != MOSQ_ERR_SUCCESS.rawValue { break }
                    if !wasConnected { wasConnected = currentState.isConnected }
                    if loop.shouldStop {
                        if let stopDeadline {
                            if ContinuousClock.now > stopDeadline { break }
                        } else {
                            _ = mosquitto_disconnect(handle.pointer)
                            stopDeadline = .now + .seconds(2)
                        }
                    }
                }
            }
            if loop.shouldStop { break }

            let refusal = state.withLock { $0.connackRefusal }
            let error = refusal ?? MQTTError(mosquitto: rc, wasConnected ? "connection to \(target) lost" : "connect to \(target)")
            state.withLock { $0.lastFailure = error }
            setConnection(.disconnected(reason: error))
            attempt = wasConnected ? 0 : attempt + 1
            let delay = configuration.reconnect.delay(attempt: attempt, using: &generator)
            logger.warning("MQTT connection down; retrying", metadata: [
                "mqtt.broker": "\(target)", "mqtt.error": "\(error)", "mqtt.retryIn": "\(delay)",
            ])
            if !loop.sleep(for: delay) { break }
        }
        setConnection(.idle)
    }

    private func connectOnce() -> Int32 {
        let h = handle.pointer
        let host = configuration.host
        let port = Int32(configuration.port)
        let keepAlive = Int32(configuration.keepAlive)
        guard configuration.protocolVersion == .v5 else {
            return mosquitto_connect_bind(h, host, port, keepAlive, nil)
        }
        var properties: OpaquePointer?
        defer { mosquitto_property_free_all(&properties) }
        if !configuration.cleanStart {
            _ = mosquitto_property_add_int32(
                &properties, Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue), configuration.sessionExpiry)
        }
        return mosquitto_connect_bind_v5(h, host, port, keepAlive, nil, properties)
    }

    private func applyWill(connection: UInt64) {
        guard let makeWill = configuration.will else { return }
        let will = makeWill(connection)
        let rc = will.payload.withUnsafeBytes { bytes in
            configuration.protocolVersion == .v5
                ? mosquitto_will_set_v5(handle.pointer, will.topic, Int32(bytes.count), bytes.baseAddress,
                                        will.qos.rawValue, will.retain, nil)
                : mosquitto_will_set(handle.pointer, will.topic, Int32(bytes.count), bytes.baseAddress,
                                     will.qos.rawValue, will.retain)
        }
        if rc != MOSQ_ERR_SUCCESS.rawValue {
            logger.error("could not set the Will", metadata: ["mqtt.topic": "\(will.topic)", "mqtt.error": "\(MQTTError(mosquitto: rc, "will"))"])
        }
    }

    /// Runs `body` with a libmosquitto property list built from `properties` (nil on MQTT 3.1.1),
    /// and frees the list afterwards.
    func withProperties<R>(_ properties: MQTTProperties, _ body: (OpaquePointer?) -> R) -> R {
        guard configuration.protocolVersion == .v5, !properties.isEmpty else { return body(nil) }
        var list: OpaquePointer?
        defer { mosquitto_property_free_all(&list) }
        if let topic = properties.responseTopic {
            _ = mosquitto_property_add_string(&list, Int32(MQTT_PROP_RESPONSE_TOPIC.rawValue), topic)
        }
        if let data = properties.correlationData {
            _ = data.withUnsafeBytes { bytes in
                mosquitto_property_add_binary(&list, Int32(MQTT_PROP_CORRELATION_DATA.rawValue), bytes.baseAddress, UInt16(bytes.count))
            }
        }
        if let expiry = properties.messageExpiry {
            _ = mosquitto_property_add_int32(&list, Int32(MQTT_PROP_MESSAGE_EXPIRY_INTERVAL.rawValue), expiry)
        }
        if let type = properties.contentType {
            _ = mosquitto_property_add_string(&list, Int32(MQTT_PROP_CONTENT_TYPE.rawValue), type)
        }
        for pair in properties.userProperties {
            _ = mosquitto_property_add_string_pair(&list, Int32(MQTT_PROP_USER_PROPERTY.rawValue), pair.name, pair.value)
        }
        return body(list)
    }
}

extension MQTTClientCore {
    /// Closes the TCP socket without a DISCONNECT, as a cut cable or a crash would, so the broker
    /// publishes the Will. The client then reconnects as usual. For fault tests.
    func dropConnectionAbruptly() {
        let alive = state.withLock { !$0.isShutDown }
        guard alive else { return }
        let socket = mosquitto_socket(handle.pointer)
        if socket >= 0 { _ = Glibc.shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// How many publishers wait for a place in the window. For tests.
    var windowWaitersCount: Int { state.withLock { $0.windowWaiters.count } }
}
