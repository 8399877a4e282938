import CMosquitto
import Foundation
import Logging

/// libmosquitto's callbacks, all run on the client's network thread. Each recovers the core from
/// the `userdata` pointer, copies what it needs out of the C buffers, and returns without
/// blocking or throwing.
extension MQTTClientCore {
    private static func core(_ context: UnsafeMutableRawPointer?) -> MQTTClientCore? {
        guard let context else { return nil }
        return Unmanaged<MQTTClientCore>.fromOpaque(context).takeUnretainedValue()
    }

    func installCallbacks() {
        let h = handle.pointer
        mosquitto_connect_v5_callback_set(h) { _, context, rc, flags, _ in
            MQTTClientCore.core(context)?.didConnect(rc: rc, flags: flags)
        }
        mosquitto_disconnect_v5_callback_set(h) { _, context, rc, _ in
            MQTTClientCore.core(context)?.logger.debug("MQTT disconnected", metadata: ["mqtt.rc": "\(rc)"])
        }
        mosquitto_publish_v5_callback_set(h) { _, context, mid, reason, _ in
            MQTTClientCore.core(context)?.completePublish(mid: mid, reason: reason)
        }
        mosquitto_subscribe_v5_callback_set(h) { _, context, mid, count, granted, _ in
            guard let core = MQTTClientCore.core(context) else { return }
            let first = (count > 0 && granted != nil) ? granted![0] : 0x80
            core.didSubscribe(mid: mid, granted: first)
        }
        mosquitto_message_v5_callback_set(h) { _, context, message, properties in
            guard let core = MQTTClientCore.core(context), let message else { return }
            core.didReceive(message.pointee, properties: properties)
        }
        mosquitto_log_callback_set(h) { _, context, level, text in
            guard let core = MQTTClientCore.core(context), let text else { return }
            core.logger.trace("libmosquitto", metadata: ["mqtt.log": "\(String(cString: text))", "mqtt.level": "\(level)"])
        }
    }

    private func didConnect(rc: Int32, flags: Int32) {
        guard rc == 0 else {
            let refusal = MQTTError(connack: rc, version: configuration.protocolVersion)
            let waiters = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
                s.connackRefusal = refusal
                defer { s.connectWaiters.removeAll() }
                return Array(s.connectWaiters.values)
            }
            logger.error("MQTT connection refused", metadata: ["mqtt.error": "\(refusal)"])
            for waiter in waiters { waiter.resume(throwing: refusal) }
            return
        }
        // The subscriptions to renew and the connected state are taken and set in one step: a
        // `subscribe` in between would otherwise be in neither (not in the list renewed here, and
        // seeing no connection to send its own SUBSCRIBE on) and wait for good.
        let (connection, subscriptions, waiters, observers) = state.withLock { s in
            s.connectionCount += 1
            s.lastFailure = nil
            s.pendingSubscribes.removeAll()
            s.earlySubacks.removeAll()
            s.connection = .connected(connection: s.connectionCount, sessionPresent: flags & 1 != 0)
            defer { s.connectWaiters.removeAll() }
            return (s.connectionCount, s.subscriptions, Array(s.connectWaiters.values), Array(s.stateObservers.values))
        }
        for observer in observers { observer.yield(.connected(connection: connection, sessionPresent: flags & 1 != 0)) }
        logger.info("MQTT connected", metadata: [
            "mqtt.broker": "\(configuration.host):\(configuration.port)", "mqtt.connection": "\(connection)",
        ])
        for (filter, qos) in subscriptions { sendSubscribe(filter, qos: qos) }
        for waiter in waiters { waiter.resume() }
    }

    private func didSubscribe(mid: Int32, granted: Int32) {
        let filter = state.withLock { s -> String? in
            if let filter = s.pendingSubscribes.removeValue(forKey: mid) { return filter }
            s.earlySubacks[mid] = granted
            return nil
        }
        if let filter { completeSubscribe(filter: filter, granted: granted) }
    }

    private func didReceive(_ message: mosquitto_message, properties: OpaquePointer?) {
        let topic = String(cString: message.topic)
        let payload = message.payloadlen > 0 && message.payload != nil
            ? Data(bytes: message.payload, count: Int(message.payloadlen))
            : Data()
        let received = MQTTMessage(
            topic: topic,
            payload: payload,
            qos: MQTTQoS(rawValue: message.qos) ?? .atMostOnce,
            retain: message.retain,
            properties: Self.readProperties(properties))
        switch messageContinuation.yield(received) {
        case .enqueued:
            self.received.add(1, ordering: .relaxed)
        case .dropped:
            let total = dropped.add(1, ordering: .relaxed).newValue
            if total == 1 || total.isMultiple(of: 1000) {
                logger.error("MQTT receive buffer full: message dropped", metadata: [
                    "mqtt.topic": "\(topic)", "mqtt.dropped": "\(total)",
                    "mqtt.receiveBuffer": "\(configuration.receiveBuffer)",
                ])
            }
        case .terminated:
            break
        @unknown default:
            break
        }
    }

    private static func readProperties(_ list: OpaquePointer?) -> MQTTProperties {
        var result = MQTTProperties()
        guard let list else { return result }
        var text: UnsafeMutablePointer<CChar>?
        if mosquitto_property_read_string(list, Int32(MQTT_PROP_RESPONSE_TOPIC.rawValue), &text, false) != nil, let text {
            result.responseTopic = String(cString: text)
            free(text)
        }
        text = nil
        if mosquitto_property_read_string(list, Int32(MQTT_PROP_CONTENT_TYPE.rawValue), &text, false) != nil, let text {
            result.contentType = String(cString: text)
            free(text)
        }
        var binary: UnsafeMutableRawPointer?
        var length: UInt16 = 0
        if mosquitto_property_read_binary(list, Int32(MQTT_PROP_CORRELATION_DATA.rawValue), &binary, &length, false) != nil {
            result.correlationData = binary.map { Data(bytes: $0, count: Int(length)) } ?? Data()
            free(binary)
        }
        var expiry: UInt32 = 0
        if mosquitto_property_read_int32(list, Int32(MQTT_PROP_MESSAGE_EXPIRY_INTERVAL.rawValue), &expiry, false) != nil {
            result.messageExpiry = expiry
        }
        var name: UnsafeMutablePointer<CChar>?
        var value: UnsafeMutablePointer<CChar>?
        var cursor = mosquitto_property_read_string_pair(list, Int32(MQTT_PROP_USER_PROPERTY.rawValue), &name, &value, false)
        while let current = cursor {
            if let name, let value {
                result.userProperties.append(MQTTUserProperty(String(cString: name), String(cString: value)))
            }
            free(name)
            free(value)
            name = nil
            value = nil
            cursor = mosquitto_property_read_string_pair(current, Int32(MQTT_PROP_USER_PROPERTY.rawValue), &name, &value, true)
        }
        return result
    }
}
