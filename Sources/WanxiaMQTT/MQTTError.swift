import CMosquitto

/// The one error type of the MQTT transport.
///
/// `code` says what went wrong in Wanxia's terms; `mosquittoCode` keeps libmosquitto's raw
/// return value (a `MOSQ_ERR_*`) and `reasonCode` the broker's MQTT reason code (a CONNACK or
/// SUBACK refusal), so nothing the C library said is lost on the way up.
public struct MQTTError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidArgument, connectionRefused, timeout, notConnected, connectionLost
            case subscriptionRefused, publishFailed, tls, network, shutdown, protocolError
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A caller passed something the library or the protocol cannot take.
        public static let invalidArgument = Code(.invalidArgument)
        /// The broker answered CONNACK with a refusal (bad credentials, not authorised, ...).
        public static let connectionRefused = Code(.connectionRefused)
        /// No answer within the allowed time.
        public static let timeout = Code(.timeout)
        /// The operation needs a connection and there is none.
        public static let notConnected = Code(.notConnected)
        /// The connection dropped while the operation was under way.
        public static let connectionLost = Code(.connectionLost)
        /// The broker refused a subscription (SUBACK 0x80 or a v5 failure reason).
        public static let subscriptionRefused = Code(.subscriptionRefused)
        /// libmosquitto refused to queue a publish.
        public static let publishFailed = Code(.publishFailed)
        /// A TLS set-up or handshake failure.
        public static let tls = Code(.tls)
        /// Name resolution or socket failure.
        public static let network = Code(.network)
        /// The client was shut down while the operation waited.
        public static let shutdown = Code(.shutdown)
        /// The peer broke the protocol.
        public static let protocolError = Code(.protocolError)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// libmosquitto's raw return value (`MOSQ_ERR_*`), when the failure came from the C library.
    public var mosquittoCode: Int32?
    /// The broker's reason code (CONNACK return code or MQTT 5 reason code), when it gave one.
    public var reasonCode: Int32?
    /// A sentence a person can act on.
    public var message: String

    public init(_ code: Code, _ message: String, mosquittoCode: Int32? = nil, reasonCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.mosquittoCode = mosquittoCode
        self.reasonCode = reasonCode
    }

    public var description: String {
        var text = "MQTT \(code): \(message)"
        if let mosquittoCode { text += " [mosquitto \(mosquittoCode)]" }
        if let reasonCode { text += " [reason \(reasonCode)]" }
        return text
    }
}

extension MQTTError {
    /// The funnel every libmosquitto return code passes through.
    static func check(_ rc: Int32, _ operation: String) throws(MQTTError) {
        guard rc != MOSQ_ERR_SUCCESS.rawValue else { return }
        throw MQTTError(mosquitto: rc, operation)
    }

    /// Maps a libmosquitto return code to the matching error.
    init(mosquitto rc: Int32, _ operation: String) {
        let text = String(cString: mosquitto_strerror(rc))
        let code: Code
        switch mosq_err_t(rawValue: rc) {
        case MOSQ_ERR_INVAL, MOSQ_ERR_PAYLOAD_SIZE, MOSQ_ERR_OVERSIZE_PACKET, MOSQ_ERR_QOS_NOT_SUPPORTED,
             MOSQ_ERR_MALFORMED_UTF8, MOSQ_ERR_NOT_SUPPORTED, MOSQ_ERR_DUPLICATE_PROPERTY:
            code = .invalidArgument
        case MOSQ_ERR_NO_CONN: code = .notConnected
        case MOSQ_ERR_CONN_LOST, MOSQ_ERR_KEEPALIVE: code = .connectionLost
        case MOSQ_ERR_CONN_REFUSED, MOSQ_ERR_AUTH, MOSQ_ERR_ACL_DENIED: code = .connectionRefused
        case MOSQ_ERR_TLS, MOSQ_ERR_TLS_HANDSHAKE, MOSQ_ERR_OCSP: code = .tls
        case MOSQ_ERR_EAI, MOSQ_ERR_ERRNO, MOSQ_ERR_LOOKUP, MOSQ_ERR_PROXY: code = .network
        case MOSQ_ERR_TIMEOUT: code = .timeout
        case MOSQ_ERR_PROTOCOL, MOSQ_ERR_MALFORMED_PACKET: code = .protocolError
        default: code = .publishFailed
        }
        self.init(code, "\(operation): \(text)", mosquittoCode: rc)
    }

    /// A CONNACK refusal, worded for the operator who has to fix it.
    init(connack rc: Int32, version: MQTTProtocolVersion) {
        let text = version == .v5
            ? String(cString: mosquitto_reason_string(rc))
            : String(cString: mosquitto_connack_string(rc))
        self.init(.connectionRefused, "the broker refused the connection: \(text)", reasonCode: rc)
    }
}
