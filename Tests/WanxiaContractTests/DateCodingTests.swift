import Foundation
import Testing
import WanxiaContract

@Suite("RFC 3339 time coding")
struct DateCodingTests {
    /// 2026-05-12T09:01:08+08:00
    static let reference = 1_778_547_668.0

    private struct Stamp: Codable, Equatable {
        var at: Date
    }

    @Test("Times with an offset or Z, with or without fractional seconds, are read", arguments: [
        ("2026-05-12T09:01:08+08:00", 0.0),
        ("2026-05-12T01:01:08Z", 0.0),
        ("2026-05-12t01:01:08z", 0.0),
        ("2026-05-11T20:01:08-05:00", 0.0),
        ("2026-05-12T06:31:08+05:30", 0.0),
        ("2026-05-12T09:01:08.250+08:00", 0.25),
        ("2026-05-12T01:01:08.5Z", 0.5),
        ("2026-05-12T01:01:08.123456Z", 0.123_456),
        ("2026-05-12T09:01:09.000+08:00", 1.0),
    ])
    func reads(text: String, offset: Double) throws {
        let date = try RFC3339.date(from: text)
        #expect(abs(date.timeIntervalSince1970 - (Self.reference + offset)) < 1e-6)
        let decoded = try WanxiaJSON.decode(Stamp.self, from: Data(#"{"at":"\#(text)"}"#.utf8))
        #expect(decoded.at == date)
    }

    @Test("A time without an offset is refused with a DecodingError that says so")
    func noOffset() throws {
        let data = Data(#"{"at":"2026-05-12T09:01:08"}"#.utf8)
        let error = #expect(throws: DecodingError.self) { try WanxiaJSON.decode(Stamp.self, from: data) }
        guard case .dataCorrupted(let context)? = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect(context.debugDescription.contains("has no UTC offset"))
        #expect(context.codingPath.map(\.stringValue) == ["at"])
        #expect(throws: ContractError.self) { try RFC3339.date(from: "2026-05-12T09:01:08.250") }
    }

    @Test("Malformed times are refused", arguments: [
        "",
        "2026-05-12",
        "2026-05-12 09:01:08+08:00",
        "2026-05-12T09:01+08:00",
        "2026-05-12T09:01:08+0800",
        "2026-05-12T09:01:08+08",
        "2026-05-12T09:01:08.+08:00",
        "2026-05-12T09:01:08+08:00 ",
        "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-05-12T24:00:00Z",
        "2026-05-12T09:61:08Z",
        "2026-05-12T09:01:08+24:00",
        "26-05-12T09:01:08Z",
        "２０２６-05-12T09:01:08Z",
    ])
    func refuses(text: String) {
        let error = #expect(throws: ContractError.self) { try RFC3339.date(from: text) }
        #expect(error?.code == .invalidTime)
    }

    @Test("Leap days are real dates")
    func leapDay() throws {
        let date = try RFC3339.date(from: "2024-02-29T12:00:00+08:00")
        #expect(RFC3339.string(from: date) == "2024-02-29T12:00:00+08:00")
    }

    @Test("Times are written in UTC+8 by default, whole seconds without a fraction")
    func writesChinaStandardTime() throws {
        let date = Date(timeIntervalSince1970: Self.reference)
        #expect(RFC3339.string(from: date) == "2026-05-12T09:01:08+08:00")
        let json = String(decoding: try WanxiaJSON.encode(Stamp(at: date)), as: UTF8.self)
        #expect(json == #"{"at":"2026-05-12T09:01:08+08:00"}"#)
    }

    @Test("Milliseconds are written only when the time has a fraction", arguments: [
        (0.25, "2026-05-12T09:01:08.250+08:00"),
        (0.001, "2026-05-12T09:01:08.001+08:00"),
        (0.0004, "2026-05-12T09:01:08+08:00"),
        (0.9996, "2026-05-12T09:01:09+08:00"),
    ])
    func writesFraction(fraction: Double, expected: String) {
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: Self.reference + fraction)) == expected)
    }

    @Test("Other zones can be chosen; offset zero is written as Z")
    func otherZones() throws {
        let date = Date(timeIntervalSince1970: Self.reference)
        let utc = try #require(TimeZone(secondsFromGMT: 0))
        let newYork = try #require(TimeZone(secondsFromGMT: -5 * 3600))
        #expect(RFC3339.string(from: date, timeZone: utc) == "2026-05-12T01:01:08Z")
        #expect(RFC3339.string(from: date, timeZone: newYork) == "2026-05-11T20:01:08-05:00")
        let json = String(decoding: try WanxiaJSON.encode(Stamp(at: date), timeZone: utc), as: UTF8.self)
        #expect(json == #"{"at":"2026-05-12T01:01:08Z"}"#)
    }

    @Test("Writing then reading gives the same time to the millisecond", arguments: [
        -2_208_988_800.0, -1.5, 0.0, 951_782_400.0, 1_709_208_000.999, Self.reference + 0.123, 4_102_444_799.0,
    ])
    func roundTrip(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let text = RFC3339.string(from: date)
        #expect(abs(try RFC3339.date(from: text).timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test("Whole-second times match Foundation's ISO 8601 formatter in several zones")
    func matchesFoundation() throws {
        var generator = SplitMix64(seed: 3339)
        for offset in [8 * 3600, 0, -5 * 3600, 5 * 3600 + 45 * 60, -(9 * 3600 + 30 * 60)] {
            let zone = try #require(TimeZone(secondsFromGMT: offset))
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = zone
            for _ in 0..<200 {
                // 1900 to 2100, whole seconds.
                let date = Date(timeIntervalSince1970: Double(Int64(generator.next() % 6_311_433_600) - 2_208_988_800))
                #expect(RFC3339.string(from: date, timeZone: zone) == formatter.string(from: date))
            }
        }
    }

    @Test("Years past 9999 are written in full")
    func farFuture() {
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 253_402_300_800.5)) == "10000-01-01T08:00:00.500+08:00")
    }
}
