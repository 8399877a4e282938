/// Where the connection stands.
public enum MQTTConnectionState: Sendable, Hashable {
    /// Not started, or shut down.
    case idle
    /// Trying to connect; `attempt` counts tries since the last success (0 for the first).
    case connecting(attempt: Int)
    /// The broker accepted. `connection` counts successful connects of this client, from 1.
    case connected(connection: UInt64, sessionPresent: Bool)
    /// The connection ended or could not be made; `reason` says why. It will be retried
    /// unless the client is shutting down.
    case disconnected(reason: MQTTError)
    /// `shutdown()` ran; the C handle is released.
    case closed

    public var isConnected: Bool {
        if case .connected = self { return true }
        return false
    }
}

extension MQTTError: Hashable {
    public static func == (lhs: MQTTError, rhs: MQTTError) -> Bool {
        lhs.code == rhs.code && lhs.mosquittoCode == rhs.mosquittoCode && lhs.reasonCode == rhs.reasonCode
            && lhs.message == rhs.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(mosquittoCode)
        hasher.combine(reasonCode)
    }
}
