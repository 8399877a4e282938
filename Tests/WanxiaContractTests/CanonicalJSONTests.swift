import Foundation
import Testing
@testable import WanxiaContract

/// A participation record written by hand is the encoder's JSON, byte for byte.
@Suite("Participation records written by hand")
struct CanonicalJSONTests {
    /// Text of every kind the writer treats differently: plain, non-ASCII, needing escapes, empty.
    static let texts = ["v-0001", "志愿者", "法律援助进社区", "", "a/b", "say \"hi\"", "back\\slash", "tab\there", "line\nbreak",
                        "\u{1}", "\u{7F}", "emoji 🌅", "\u{2028}", "a\u{0}b"]
    /// Numbers around every edge of the hand-written form.
    static let numbers: [Double] = [0, -0.0, 1, 3, 2.5, 0.1, 1.0 / 3, 2.999_999, 1e-4, 9.99e-5, 1e-7, 123_456.789_012, 1e14, 1e15,
                                    9.99e14, 1e16, 1.5e300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.000_001]

    static func record(_ random: inout SplitMix64) -> ParticipationRecord {
        func text() -> String { texts[Int(random.below(UInt64(texts.count)))] }
        func maybe<T>(_ make: () -> T) -> T? { random.below(2) == 0 ? nil : make() }
        func date() -> Date {
            // Whole and fractional milliseconds, either side of 1970 and of a day boundary.
            Date(timeIntervalSince1970: Double(Int64(random.below(4_000_000_000_000)) - 1_000_000_000_000) / 1000 + (random.below(2) == 0 ? 0 : 0.0004))
        }
        let ledgers: [Ledger] = [.clocked, .backfilled]
        return ParticipationRecord(
            person: text(), event: text(), role: text(),
            hours: random.below(3) == 0 ? numbers[Int(random.below(UInt64(numbers.count)))]
                : Double(random.below(100_000_000)) / 1_000_000,
            ledger: ledgers[Int(random.below(2))], status: text(), start: maybe(date), end: maybe(date), team: maybe(text),
            supersedes: maybe { MessageID.make() },
            correction: maybe { ParticipationRecord.Correction(by: text(), reason: text()) })
    }

    @Test("5,000 random records: the same bytes as the encoder, in both zones")
    func sameBytes() throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("CanonicalJSONTests seed \(seed)")
        var random = SplitMix64(seed: seed)
        for zone in [WanxiaJSON.defaultTimeZone, TimeZone(secondsFromGMT: -5 * 3600 - 1800)!] {
            for _ in 0..<5_000 {
                let record = Self.record(&random)
                let byHand = try record.canonicalJSON(timeZone: zone)
                let encoded = try WanxiaJSON.encode(record, timeZone: zone)
                #expect(byHand == encoded, "\(String(decoding: byHand, as: UTF8.self)) != \(String(decoding: encoded, as: UTF8.self))")
            }
        }
    }

    @Test("every listed number and text is written as the encoder writes it")
    func everyEdge() throws {
        for hours in Self.numbers {
            for text in Self.texts {
                let record = ParticipationRecord(person: text, event: "e", role: "volunteer", hours: hours, ledger: .clocked,
                                                 status: "served", team: text)
                #expect(try record.canonicalJSON() == WanxiaJSON.encode(record), "hours \(hours), text \(text.debugDescription)")
            }
        }
    }

    @Test("a number JSON cannot hold is refused as the encoder refuses it")
    func notFinite() {
        for hours in [Double.nan, .infinity, -.infinity] {
            let record = ParticipationRecord(person: "p", event: "e", role: "r", hours: hours, ledger: .clocked, status: "s")
            #expect(throws: (any Error).self) { try record.canonicalJSON() }
        }
    }

    @Test("a record item's body is the hand-written form; person and event records use the encoder")
    func recordBody() throws {
        let record = ParticipationRecord(person: "v-1", event: "A-1", role: "volunteer", hours: 3, ledger: .clocked, status: "served")
        #expect(try Record.participation(record).canonicalJSON() == WanxiaJSON.encode(record))
        #expect(try Record.person(PersonRecord(person: "v-1", kind: .retiree, name: "张三")).canonicalJSON() == nil)
    }
}
