import Foundation

/// The fingerprint of a typed item's content, taken by walking it as an encoder would, without
/// writing any JSON.
///
/// Every scalar is hashed with its kind; a keyed container adds up its (key, value) pairs, so the
/// order in which fields or dictionary entries come does not matter; an unkeyed one weighs each
/// element by its position. Equal values give equal fingerprints in every process (no per-process
/// seed), so `inbox_item` can keep them across restarts. Only copies of one item id are ever
/// compared, so a collision matters as little as FNV's did.
enum ContentFingerprint {
    static func of<T: Encodable>(_ value: T) throws -> Int64 {
        let node = FingerprintNode()
        try value.encode(to: FingerprintEncoder(node: node, codingPath: []))
        return Int64(bitPattern: node.digest())
    }

    /// FNV-1a over `bytes`, started from `kind`.
    static func bytes<S: Sequence<UInt8>>(_ kind: UInt64, _ bytes: S) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ kind
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// A scalar of `kind` held in 64 bits.
    static func scalar(_ kind: UInt64, _ bits: UInt64) -> UInt64 {
        mix(kind &* 0x9E37_79B9_7F4A_7C15 ^ bits)
    }

    /// SplitMix64's finaliser: spreads every input bit over the output, so sums of mixed parts do
    /// not cancel.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static let nilKind: UInt64 = 1, boolKind: UInt64 = 2, signedKind: UInt64 = 3, unsignedKind: UInt64 = 4
    static let floatKind: UInt64 = 5, stringKind: UInt64 = 6, keyedKind: UInt64 = 7, unkeyedKind: UInt64 = 8
}

/// What one value encoded to: a scalar, or the running sum of a container's parts.
private final class FingerprintNode {
    private var kind: UInt64 = 0
    private var sum: UInt64 = 0
    private var count: UInt64 = 0
    /// Containers and encoders handed out for later filling, with the tag they are added under.
    private var pending: [(tag: UInt64, node: FingerprintNode)] = []

    func setScalar(_ hash: UInt64) {
        kind = 0
        sum = hash
    }

    func becomeContainer(_ containerKind: UInt64) {
        if kind != containerKind {
            kind = containerKind
            sum = 0
            count = 0
        }
    }

    /// Adds a part: a keyed container's (key, value), an unkeyed one's next element.
    func add(tag: UInt64, _ part: UInt64) {
        sum &+= ContentFingerprint.mix(tag ^ ContentFingerprint.mix(part))
    }

    func nextIndex() -> UInt64 {
        count += 1
        return ContentFingerprint.scalar(ContentFingerprint.unkeyedKind, count)
    }

    func addLater(tag: UInt64) -> FingerprintNode {
        let node = FingerprintNode()
        pending.append((tag, node))
        return node
    }

    func digest() -> UInt64 {
        var total = sum
        for (tag, node) in pending {
            total &+= ContentFingerprint.mix(tag ^ ContentFingerprint.mix(node.digest()))
        }
        return kind == 0 ? total : ContentFingerprint.scalar(kind, total)
    }

    /// The fingerprint of `value` on its own.
    static func of<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> UInt64 {
        let node = FingerprintNode()
        try value.encode(to: FingerprintEncoder(node: node, codingPath: codingPath))
        return node.digest()
    }
}

private struct FingerprintEncoder: Encoder {
    let node: FingerprintNode
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeContainer(ContentFingerprint.keyedKind)
        return KeyedEncodingContainer(FingerprintKeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.becomeContainer(ContentFingerprint.unkeyedKind)
        return FingerprintUnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        FingerprintSingleContainer(node: node, codingPath: codingPath)
    }
}

/// The scalar hashes shared by the three containers.
private protocol FingerprintScalars {
    var codingPath: [any CodingKey] { get }
}

extension FingerprintScalars {
    func hash(_ value: Bool) -> UInt64 { ContentFingerprint.scalar(ContentFingerprint.boolKind, value ? 1 : 0) }
    func hash(_ value: String) -> UInt64 { ContentFingerprint.bytes(ContentFingerprint.stringKind, value.utf8) }
    func hash(_ value: Double) -> UInt64 { ContentFingerprint.scalar(ContentFingerprint.floatKind, (value == 0 ? 0 : value).bitPattern) }
    func hash<T: FixedWidthInteger & SignedInteger>(_ value: T) -> UInt64 {
        ContentFingerprint.scalar(ContentFingerprint.signedKind, UInt64(bitPattern: Int64(truncatingIfNeeded: value)))
    }
    func hash<T: FixedWidthInteger & UnsignedInteger>(_ value: T) -> UInt64 {
        ContentFingerprint.scalar(ContentFingerprint.unsignedKind, UInt64(truncatingIfNeeded: value))
    }
    var nilHash: UInt64 { ContentFingerprint.scalar(ContentFingerprint.nilKind, 0) }
}

private struct FingerprintKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol, FingerprintScalars {
    let node: FingerprintNode
    var codingPath: [any CodingKey]

    private func tag(_ key: Key) -> UInt64 { ContentFingerprint.bytes(ContentFingerprint.keyedKind, key.stringValue.utf8) }

    mutating func encodeNil(forKey key: Key) throws { node.add(tag: tag(key), nilHash) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { node.add(tag: tag(key), hash(Double(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { node.add(tag: tag(key), hash(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.add(tag: tag(key), try FingerprintNode.of(value, codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        FingerprintEncoder(node: node.addLater(tag: tag(key)), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        FingerprintEncoder(node: node.addLater(tag: tag(key)), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        FingerprintEncoder(node: node.addLater(tag: ContentFingerprint.bytes(ContentFingerprint.keyedKind, "super".utf8)), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        FingerprintEncoder(node: node.addLater(tag: tag(key)), codingPath: codingPath + [key])
    }
}

private struct FingerprintUnkeyedContainer: UnkeyedEncodingContainer, FingerprintScalars {
    let node: FingerprintNode
    var codingPath: [any CodingKey]
    private(set) var count = 0

    init(node: FingerprintNode, codingPath: [any CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    private mutating func append(_ part: UInt64) {
        count += 1
        node.add(tag: node.nextIndex(), part)
    }

    mutating func encodeNil() throws { append(nilHash) }
    mutating func encode(_ value: Bool) throws { append(hash(value)) }
    mutating func encode(_ value: String) throws { append(hash(value)) }
    mutating func encode(_ value: Double) throws { append(hash(value)) }
    mutating func encode(_ value: Float) throws { append(hash(Double(value))) }
    mutating func encode(_ value: Int) throws { append(hash(value)) }
    mutating func encode(_ value: Int8) throws { append(hash(value)) }
    mutating func encode(_ value: Int16) throws { append(hash(value)) }
    mutating func encode(_ value: Int32) throws { append(hash(value)) }
    mutating func encode(_ value: Int64) throws { append(hash(value)) }
    mutating func encode(_ value: UInt) throws { append(hash(value)) }
    mutating func encode(_ value: UInt8) throws { append(hash(value)) }
    mutating func encode(_ value: UInt16) throws { append(hash(value)) }
    mutating func encode(_ value: UInt32) throws { append(hash(value)) }
    mutating func encode(_ value: UInt64) throws { append(hash(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        append(try FingerprintNode.of(value, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        count += 1
        return FingerprintEncoder(node: node.addLater(tag: node.nextIndex()), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        count += 1
        return FingerprintEncoder(node: node.addLater(tag: node.nextIndex()), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        count += 1
        return FingerprintEncoder(node: node.addLater(tag: node.nextIndex()), codingPath: codingPath)
    }
}

private struct FingerprintSingleContainer: SingleValueEncodingContainer, FingerprintScalars {
    let node: FingerprintNode
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.setScalar(nilHash) }
    mutating func encode(_ value: Bool) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: String) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: Double) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: Float) throws { node.setScalar(hash(Double(value))) }
    mutating func encode(_ value: Int) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: Int8) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: Int16) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: Int32) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: Int64) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: UInt) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: UInt8) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: UInt16) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: UInt32) throws { node.setScalar(hash(value)) }
    mutating func encode(_ value: UInt64) throws { node.setScalar(hash(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: FingerprintEncoder(node: node, codingPath: codingPath))
    }
}
