/// How to reach the broker and how the connection behaves.
///
/// The defaults suit a site on a local network: MQTT 5, a clean session, keep-alive 30 s,
/// reconnect from 0.5 s doubling to 30 s with jitter, at most 100 unacknowledged publishes.
public struct MQTTConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The MQTT client id. Empty lets the broker choose one (MQTT 5 and clean sessions only).
    public var clientID: String
    public var protocolVersion: MQTTProtocolVersion
    public var username: String?
    public var password: String?
    public var tls: MQTTTLSConfiguration?
    /// Seconds between PINGREQs when idle (5...65535).
    public var keepAlive: Int
    /// `true`: the broker forgets the session on disconnect. `false`: it keeps subscriptions and
    /// queued QoS 1/2 messages for `sessionExpiry` seconds (MQTT 5) or until the next connect (3.1.1).
    public var cleanStart: Bool
    /// MQTT 5 session expiry interval in seconds, used when `cleanStart` is false.
    public var sessionExpiry: UInt32
    /// The Will for each connection. It is asked again before every (re)connect with the
    /// connection number, so that a presence Will can carry a counter a newer connection beats.
    public var will: (@Sendable (_ connection: UInt64) -> MQTTWill)?
    public var reconnect: MQTTReconnectPolicy
    /// The most QoS 1/2 publishes waiting for the broker's acknowledgement at once (1...65535).
    /// A caller beyond it waits (back-pressure) instead of growing memory.
    public var publishWindow: Int
    /// How many received messages may wait for the consumer; beyond it they are dropped and counted.
    public var receiveBuffer: Int
    /// MQTT 5 receive maximum: how many QoS 1/2 messages the broker may have in flight to us.
    public var receiveMaximum: Int

    public init(
        host: String = "127.0.0.1",
        port: Int = 1883,
        clientID: String,
        protocolVersion: MQTTProtocolVersion = .v5,
        username: String? = nil,
        password: String? = nil,
        tls: MQTTTLSConfiguration? = nil,
        keepAlive: Int = 30,
        cleanStart: Bool = true,
        sessionExpiry: UInt32 = 7 * 24 * 3600,
        will: (@Sendable (_ connection: UInt64) -> MQTTWill)? = nil,
        reconnect: MQTTReconnectPolicy = .init(),
        publishWindow: Int = 100,
        receiveBuffer: Int = 10_000,
        receiveMaximum: Int = 100
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.protocolVersion = protocolVersion
        self.username = username
        self.password = password
        self.tls = tls
        self.keepAlive = keepAlive
        self.cleanStart = cleanStart
        self.sessionExpiry = sessionExpiry
        self.will = will
        self.reconnect = reconnect
        self.publishWindow = publishWindow
        self.receiveBuffer = receiveBuffer
        self.receiveMaximum = receiveMaximum
    }

    func validate() throws(MQTTError) {
        guard (1...65535).contains(port) else {
            throw MQTTError(.invalidArgument, "port must be 1...65535, got \(port)")
        }
        guard (5...65535).contains(keepAlive) else {
            throw MQTTError(.invalidArgument, "keepAlive must be 5...65535 seconds, got \(keepAlive)")
        }
        guard (1...65535).contains(publishWindow) else {
            throw MQTTError(.invalidArgument, "publishWindow must be 1...65535, got \(publishWindow)")
        }
        guard (1...65535).contains(receiveMaximum) else {
            throw MQTTError(.invalidArgument, "receiveMaximum must be 1...65535, got \(receiveMaximum)")
        }
        guard receiveBuffer >= 1 else {
            throw MQTTError(.invalidArgument, "receiveBuffer must be at least 1, got \(receiveBuffer)")
        }
        if clientID.isEmpty && !cleanStart {
            throw MQTTError(.invalidArgument, "a persistent session needs a client id")
        }
    }
}

/// The MQTT protocol level to speak.
public enum MQTTProtocolVersion: Sendable, Hashable {
    case v311
    case v5
}

/// TLS settings: the CA that signed the broker's certificate, and optionally our own.
public struct MQTTTLSConfiguration: Sendable {
    public var caFile: String
    public var certificateFile: String?
    public var keyFile: String?
    /// Skip the host-name check (for brokers reached by an address their certificate doesn't name).
    public var allowHostnameMismatch: Bool

    public init(caFile: String, certificateFile: String? = nil, keyFile: String? = nil, allowHostnameMismatch: Bool = false) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.allowHostnameMismatch = allowHostnameMismatch
    }
}

/// A Will: the message the broker publishes if the connection ends without a DISCONNECT.
public struct MQTTWill: Sendable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: MQTTQoS
    public var retain: Bool

    public init(topic: String, payload: [UInt8], qos: MQTTQoS = .atLeastOnce, retain: Bool = true) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }
}

/// Exponential back-off with jitter between connection attempts.
///
/// Attempt *n* waits a random time between half and all of `min(initial * 2^n, maximum)`, so a
/// hundred kiosks coming back after a broker restart don't all knock at the same instant.
public struct MQTTReconnectPolicy: Sendable {
    public var initialDelay: Duration
    public var maximumDelay: Duration

    public init(initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(30)) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// The wait before attempt `attempt` (0-based), jittered.
    public func delay<G: RandomNumberGenerator>(attempt: Int, using generator: inout G) -> Duration {
        let ceiling = Self.ceiling(initial: initialDelay, maximum: maximumDelay, attempt: attempt)
        let nanos = ceiling.nanoseconds
        guard nanos > 1 else { return ceiling }
        return .nanoseconds(Int64.random(in: (nanos / 2)...nanos, using: &generator))
    }

    static func ceiling(initial: Duration, maximum: Duration, attempt: Int) -> Duration {
        var value = initial
        for _ in 0..<min(attempt, 62) where value < maximum { value = value * 2 }
        return min(value, maximum)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
