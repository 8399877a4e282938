import struct Foundation.Data

/// A message received from, or to be sent to, the broker. The payload is copied out of
/// libmosquitto's buffer, so it stays valid for as long as the caller keeps it.
public struct MQTTMessage: Sendable, Hashable {
    public var topic: String
    public var payload: Data
    public var qos: MQTTQoS
    public var retain: Bool
    public var properties: MQTTProperties

    public init(topic: String, payload: Data, qos: MQTTQoS = .atLeastOnce, retain: Bool = false, properties: MQTTProperties = .init()) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.properties = properties
    }
}

/// The MQTT 5 properties Wanxia uses on PUBLISH. Ignored (not sent) on an MQTT 3.1.1 connection.
public struct MQTTProperties: Sendable, Hashable {
    /// Where a request's answer should go.
    public var responseTopic: String?
    /// Opaque bytes a responder echoes so the requester can match the answer.
    public var correlationData: Data?
    /// Free name/value pairs, in order; names may repeat.
    public var userProperties: [MQTTUserProperty]
    /// Seconds after which the broker may discard the message if not yet delivered.
    public var messageExpiry: UInt32?
    public var contentType: String?

    public init(responseTopic: String? = nil, correlationData: Data? = nil, userProperties: [MQTTUserProperty] = [],
                messageExpiry: UInt32? = nil, contentType: String? = nil) {
        self.responseTopic = responseTopic
        self.correlationData = correlationData
        self.userProperties = userProperties
        self.messageExpiry = messageExpiry
        self.contentType = contentType
    }

    public var isEmpty: Bool {
        responseTopic == nil && correlationData == nil && userProperties.isEmpty && messageExpiry == nil && contentType == nil
    }
}

/// One MQTT 5 user property.
public struct MQTTUserProperty: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
