import Foundation

/// Writes, byte for byte, what ``WanxiaJSON/encode(_:timeZone:)`` writes (sorted keys, unescaped
/// slashes, times as RFC 3339 in the zone), for the bodies a service encodes for every item it
/// stores: `JSONEncoder` builds a tree of boxed values and sorts each object's keys, a sixth of
/// a programme service's writer time for its participation records.
///
/// The caller writes an object's keys in sorted order itself. Text that needs escaping, and a
/// number without a plain decimal form, go through `JSONEncoder`, so every value is written as
/// the encoder writes it; `CanonicalJSONTests` holds the two to the same bytes. An outbox also
/// builds its batch messages with it, splicing in bodies stored already encoded (``raw(_:)``).
public struct CanonicalJSON {
    private(set) var bytes: [UInt8] = []
    /// Whether the next key or element is the first of its object or array.
    private var first = true
    public let timeZone: TimeZone

    public init(timeZone: TimeZone = WanxiaJSON.defaultTimeZone, capacity: Int = 256) {
        self.timeZone = timeZone
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    public mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        first = true
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// Starts an array's next element: a comma unless it is the first.
    public mutating func element() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    /// `"key":`, after a comma unless it is the object's first; `key` must need no escaping.
    public mutating func key(_ key: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func string(_ text: String) throws {
        var text = text
        let plain = text.withUTF8 { utf8 in
            utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        }
        guard plain else {
            bytes.append(contentsOf: try WanxiaJSON.encode(text))
            return
        }
        bytes.append(UInt8(ascii: "\""))
        text.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func date(_ date: Date) throws {
        try string(RFC3339.string(from: date, timeZone: timeZone))
    }

    /// A number as `JSONEncoder` writes it: Swift's shortest form, without a trailing `.0`.
    public mutating func number(_ value: Double) throws {
        // Exponent forms and non-finite values are left to the encoder (which refuses the latter).
        guard value.isFinite, value == 0 || (abs(value) >= 1e-4 && abs(value) < 1e15) else {
            bytes.append(contentsOf: try WanxiaJSON.encode(value))
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func integer(_ value: Int64) {
        var text = String(value)
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A value written elsewhere already (a stored body), spliced in as it is.
    public mutating func raw(_ json: Data) {
        bytes.append(contentsOf: json)
    }

    public var data: Data { Data(bytes) }
}

extension ParticipationRecord {
    /// The record as ``WanxiaJSON/encode(_:timeZone:)`` writes it, written by hand.
    public func canonicalJSON(timeZone: TimeZone = WanxiaJSON.defaultTimeZone) throws -> Data {
        var json = CanonicalJSON(timeZone: timeZone)
        json.beginObject()
        if let correction {
            json.key("correction")
            json.beginObject()
            json.key("by")
            try json.string(correction.by)
            json.key("reason")
            try json.string(correction.reason)
            json.endObject()
        }
        if let end {
            json.key("end")
            try json.date(end)
        }
        json.key("event")
        try json.string(event)
        json.key("hours")
        try json.number(hours)
        json.key("ledger")
        try json.string(ledger.rawValue)
        json.key("person")
        try json.string(person)
        json.key("role")
        try json.string(role)
        if let start {
            json.key("start")
            try json.date(start)
        }
        json.key("status")
        try json.string(status)
        if let supersedes {
            json.key("supersedes")
            try json.string(supersedes.rawValue)
        }
        if let team {
            json.key("team")
            try json.string(team)
        }
        json.endObject()
        return json.data
    }
}
