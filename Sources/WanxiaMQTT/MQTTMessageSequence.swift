/// The messages the client receives, in arrival order, for one consumer.
///
/// The buffer between libmosquitto's network thread and the consumer is bounded
/// (`MQTTConfiguration.receiveBuffer`). When it is full, new messages are dropped, counted in
/// `MQTTClient.statistics.droppedMessages` and logged at error level: never silently. Wanxia's
/// delivery layer resends anything not acknowledged, so a drop costs time, not records.
/// The sequence ends when the client shuts down.
public struct MQTTMessageSequence: AsyncSequence, Sendable {
    public typealias Element = MQTTMessage
    let stream: AsyncStream<MQTTMessage>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<MQTTMessage>.AsyncIterator
        public mutating func next() async -> MQTTMessage? { await base.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: stream.makeAsyncIterator()) }
}

/// Connection state changes, starting with the state at the time of the call. Slow observers
/// see the newest states (older ones are skipped); the sequence ends when the client shuts down.
public struct MQTTStateSequence: AsyncSequence, Sendable {
    public typealias Element = MQTTConnectionState
    let stream: AsyncStream<MQTTConnectionState>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<MQTTConnectionState>.AsyncIterator
        public mutating func next() async -> MQTTConnectionState? { await base.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: stream.makeAsyncIterator()) }
}
