import Foundation
import Synchronization

/// Makes UUIDv7 ids that increase strictly, even within one millisecond or when the clock steps back.
///
/// Layout (RFC 9562, method 1): 48-bit Unix milliseconds, version 7, a 12-bit counter seeded at
/// random each new millisecond, variant 10, then 62 random bits. The timestamp used is the later of
/// `now` and the last one issued, so ids from one generator never go backwards; when the counter
/// runs out the timestamp moves one millisecond ahead. Thread-safe.
public final class MessageIDGenerator: Sendable {
    /// The generator behind ``MessageID/make(now:)``.
    public static let shared = MessageIDGenerator()

    private struct State {
        var milliseconds: UInt64 = 0
        var counter: UInt16 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// The next id, stamped with `now` (or just after the previous id if that is later).
    public func next(now: Date = Date()) -> MessageID {
        let maximum: UInt64 = (1 << 48) - 1
        let wanted = UInt64(min(max(0, (now.timeIntervalSince1970 * 1000).rounded(.down)), Double(maximum)))
        var random = SystemRandomNumberGenerator()
        let (milliseconds, counter) = state.withLock { state -> (UInt64, UInt16) in
            if wanted > state.milliseconds {
                state.milliseconds = wanted
                state.counter = UInt16.random(in: 0..<0x400, using: &random)
            } else if state.counter < 0xFFF {
                state.counter += 1
            } else {
                state.milliseconds += 1
                state.counter = 0
            }
            return (state.milliseconds, state.counter)
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index)))
        }
        bytes[6] = 0x70 | UInt8(counter >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        let tail = random.next() as UInt64
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: tail >> 56) & 0x3F
        for index in 9..<16 {
            bytes[index] = UInt8(truncatingIfNeeded: tail >> (8 * (15 - index)))
        }
        return MessageID(bytes: bytes)
    }
}
