import CMosquitto
import struct Foundation.Data
import Logging

/// An MQTT client over libmosquitto, with async/await and Swift-owned reconnects.
///
/// One network thread per client runs libmosquitto's loop, (re)connects with jittered
/// exponential back-off, and renews every subscription after each connect. Methods may be
/// called from any task. Call `shutdown()` when done: it disconnects cleanly (no Will), stops
/// the thread and releases the C handle exactly once. A client dropped without `shutdown()`
/// does the same, blocking its last owner until the thread has stopped.
///
/// ```swift
/// let client = try MQTTClient(configuration: .init(port: 1883, clientID: "kiosk-1"))
/// try await client.connect()
/// _ = try await client.subscribe("wanxia/v1/site/kiosk-1/ack")
/// try await client.publish("wanxia/v1/site/kiosk-1/obs/volunteers", payload: body, qos: .atLeastOnce)
/// for await message in client.messages { ... }
/// ```
public final class MQTTClient: Sendable {
    public let configuration: MQTTConfiguration
    let core: MQTTClientCore

    /// Creates the client and its C handle. Nothing touches the network until `connect()` or `start()`.
    public init(configuration: MQTTConfiguration, logger: Logger = Logger(label: "wanxia.mqtt")) throws(MQTTError) {
        try configuration.validate()
        self.configuration = configuration
        self.core = try MQTTClientCore(configuration: configuration, logger: logger)
    }

    deinit {
        core.destroySynchronously()
    }

    /// The state right now.
    public var state: MQTTConnectionState { core.currentState }

    /// Counters for what an operator watches.
    public var statistics: MQTTStatistics { core.statistics }

    /// Received messages for one consumer. Iterate it once; see `MQTTMessageSequence`.
    public var messages: MQTTMessageSequence { MQTTMessageSequence(stream: core.messageStream) }

    /// A new sequence of state changes, beginning with the current state.
    public func stateChanges() -> MQTTStateSequence { MQTTStateSequence(stream: core.observeStates()) }

    /// Connects and returns once the broker has accepted (CONNACK).
    ///
    /// While the broker can't be reached it keeps trying with back-off until `timeout`, then
    /// throws `.timeout` carrying the last network error. A broker that refuses (bad credentials,
    /// not authorised) throws `.connectionRefused` at once with its reason code. On either error
    /// the client stops trying; call `connect()` again or `start()` to keep trying in the background.
    /// After success, the connection is kept up (reconnects) until `shutdown()`.
    public func connect(timeout: Duration = .seconds(10)) async throws {
        try await core.connect(timeout: timeout)
    }

    /// Starts connecting in the background and keeps the connection up, retrying forever with
    /// back-off, whatever the broker says. Watch `stateChanges()` to see how it goes.
    public func start() {
        core.startLoop()
    }

    /// Subscribes and returns the QoS the broker granted, after its SUBACK.
    ///
    /// The subscription is remembered and renewed after every reconnect. If the client is not
    /// connected, the call waits for the SUBACK that follows the next connect. Throws
    /// `.subscriptionRefused` if the broker refuses (for example an ACL denies the filter).
    @discardableResult
    public func subscribe(_ filter: String, qos: MQTTQoS = .atLeastOnce) async throws -> MQTTQoS {
        try await core.subscribe(filter, qos: qos)
    }

    /// Forgets a subscription and asks the broker to drop it.
    public func unsubscribe(_ filter: String) async throws {
        try await core.unsubscribe(filter)
    }

    /// Publishes a message.
    ///
    /// At QoS 0 it returns once libmosquitto has queued the message (and throws `.notConnected`
    /// when there is no connection: a QoS 0 message is not kept). At QoS 1 and 2 it returns when
    /// the broker has acknowledged (PUBACK / PUBCOMP); while disconnected the message waits in
    /// libmosquitto and is sent after the reconnect. At most `publishWindow` such publishes are
    /// unacknowledged at once; further callers wait for a place. Cancelling the calling task stops
    /// the wait, not the message. MQTT 5 properties are ignored on an MQTT 3.1.1 connection.
    public func publish(
        _ topic: String,
        payload: Data,
        qos: MQTTQoS = .atLeastOnce,
        retain: Bool = false,
        properties: MQTTProperties = .init()
    ) async throws {
        try await core.publish(topic: topic, payload: payload, qos: qos, retain: retain, properties: properties)
    }

    /// Disconnects cleanly (the broker discards the Will), stops the network thread, ends the
    /// message and state sequences, fails every waiting call with `.shutdown`, and releases the
    /// C handle. Safe to call more than once.
    public func shutdown() async {
        await core.shutdown()
    }
}

/// Counters of one client since it was created.
public struct MQTTStatistics: Sendable, Hashable {
    /// Messages handed to the `messages` sequence.
    public var receivedMessages: Int
    /// Messages dropped because the consumer's buffer was full.
    public var droppedMessages: Int
    /// Successful connects (the first one included).
    public var connections: UInt64
    /// QoS 1/2 publishes waiting for the broker's acknowledgement right now.
    public var publishesInFlight: Int
}

extension MQTTClient {
    /// Cuts the connection without a DISCONNECT (the broker then publishes the Will); the client
    /// reconnects by itself. Meant for fault-injection tests and drills.
    public func dropConnectionAbruptly() {
        core.dropConnectionAbruptly()
    }
}
