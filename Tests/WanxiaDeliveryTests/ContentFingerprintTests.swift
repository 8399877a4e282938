import Foundation
import Testing
import WanxiaContract
@testable import WanxiaDelivery

/// The fingerprint the inbox keeps of each typed item: equal content, equal fingerprint, in any
/// process; any change of content, another one.
@Suite("Content fingerprint")
struct ContentFingerprintTests {
    static let at = Date(timeIntervalSince1970: 1_683_853_200)

    static func record(hours: Double = 1.5, team: String? = "xc-legal", status: String = "served") throws -> Item<WanxiaContract.Record> {
        Item(id: try MessageID(validating: "0190a3c2-3b4e-7c1d-8e2f-112233445566"), seq: 7, at: at, body: .participation(ParticipationRecord(
            person: "p-0042", event: "ev-2023-0512", role: "volunteer", hours: hours, ledger: .clocked,
            status: status, team: team)))
    }

    @Test("the same item decoded from differently written JSON has one fingerprint")
    func sameContentSameFingerprint() throws {
        let item = try Self.record()
        let written = try WanxiaJSON.encode(item)
        // Keys in another order, times in another zone, spaces: the same content.
        let other = try WanxiaJSON.encode(item, timeZone: TimeZone(secondsFromGMT: 0)!)
        let object = try #require(try JSONSerialization.jsonObject(with: other) as? [String: Any])
        let rewritten = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
        #expect(rewritten != written)
        let first = try WanxiaJSON.makeDecoder().decode(Item<WanxiaContract.Record>.self, from: written)
        let second = try WanxiaJSON.makeDecoder().decode(Item<WanxiaContract.Record>.self, from: rewritten)
        #expect(try ContentFingerprint.of(first) == ContentFingerprint.of(second))
        #expect(try ContentFingerprint.of(first) == ContentFingerprint.of(item))
    }

    @Test("every change of content changes the fingerprint")
    func changesShow() throws {
        let base = try ContentFingerprint.of(try Self.record())
        var later = try Self.record()
        later.at = later.at.addingTimeInterval(0.001)
        var reseq = try Self.record()
        reseq.seq = 8
        let variants = [
            try Self.record(hours: 1.25), try Self.record(team: nil), try Self.record(team: "xc-legal "), try Self.record(status: "absent"),
            later, reseq,
        ]
        let fingerprints = try variants.map { try ContentFingerprint.of($0) }
        #expect(!fingerprints.contains(base))
        #expect(Set(fingerprints).count == variants.count)
    }

    @Test("a dictionary's order, which changes from run to run, does not change the fingerprint")
    func dictionaryOrder() throws {
        let pairs = (0..<50).map { ("key-\($0)", $0) }
        let forward = Dictionary(uniqueKeysWithValues: pairs)
        var backward: [String: Int] = [:]
        backward.reserveCapacity(200)
        for (key, value) in pairs.reversed() { backward[key] = value }
        #expect(Array(forward.keys) != Array(backward.keys) || pairs.count < 2)
        #expect(try ContentFingerprint.of(forward) == ContentFingerprint.of(backward))
        // Arrays keep their order.
        #expect(try ContentFingerprint.of([1, 2]) != ContentFingerprint.of([2, 1]))
        // Moving a value to another key is a change.
        #expect(try ContentFingerprint.of(["a": 1, "b": 2]) != ContentFingerprint.of(["a": 2, "b": 1]))
    }

    /// `inbox_item` keeps these across restarts and upgrades: if the walk or the hash ever
    /// changes, every item stored before looks like a conflict when its producer resends it.
    @Test("the fingerprint of a known item is the one stored files hold")
    func pinned() throws {
        let fingerprint = try ContentFingerprint.of(try Self.record())
        #expect(fingerprint == ContentFingerprintTests.pinnedRecord, "\(fingerprint)")
    }

    static let pinnedRecord: Int64 = 684_502_775_727_989_375
}
