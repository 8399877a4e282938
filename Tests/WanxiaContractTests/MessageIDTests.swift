import Foundation
import Testing
import WanxiaContract

@Suite("UUIDv7 message ids")
struct MessageIDTests {
    @Test("Ids are version 7, variant 10, lowercase and hyphenated")
    func versionAndVariant() throws {
        for _ in 0..<1000 {
            let id = MessageID.make()
            let text = Array(id.rawValue)
            #expect(text.count == 36)
            #expect([text[8], text[13], text[18], text[23]] == ["-", "-", "-", "-"])
            #expect(text[14] == "7")
            #expect("89ab".contains(text[19]))
            #expect(id.rawValue == id.rawValue.lowercased())
            #expect(try MessageID(validating: id.rawValue) == id)
        }
    }

    @Test("The first 48 bits are the Unix milliseconds of now")
    func timestamp() {
        let generator = MessageIDGenerator()
        let now = Date(timeIntervalSince1970: 1_778_547_668.123_9)
        let id = generator.next(now: now)
        #expect(id.timestamp == Date(timeIntervalSince1970: 1_778_547_668.123))
        #expect(id.rawValue.hasPrefix(String(1_778_547_668_123, radix: 16).paddedTo12))
    }

    @Test("Ids increase with time, within one millisecond, and when the clock steps back")
    func ordered() {
        let generator = MessageIDGenerator()
        let start = Date(timeIntervalSince1970: 1_778_547_668)
        var ids: [MessageID] = []
        for step in 0..<200 {
            ids.append(generator.next(now: start.addingTimeInterval(Double(step) * 0.01)))
        }
        for _ in 0..<5000 {  // more than the 12-bit counter holds in one millisecond
            ids.append(generator.next(now: start.addingTimeInterval(2)))
        }
        ids.append(generator.next(now: start.addingTimeInterval(-60)))  // clock stepped back
        for (earlier, later) in zip(ids, ids.dropFirst()) {
            #expect(earlier < later)
        }
        #expect(Set(ids).count == ids.count)
        #expect(ids[0].timestamp == start)
        #expect(ids[199].timestamp > ids[0].timestamp)
    }

    @Test("Ids made at different times sort by time, whichever generator made them")
    func sortsByTime() {
        let early = MessageIDGenerator().next(now: Date(timeIntervalSince1970: 1_700_000_000))
        let late = MessageIDGenerator().next(now: Date(timeIntervalSince1970: 1_700_000_000.002))
        #expect(early < late)
    }

    @Test("Text that is not a lowercase UUIDv7 is refused", arguments: [
        "",
        "019e19b2-b250-7420-a03c-fde6f1c26b3",
        "019e19b2-b250-7420-a03c-fde6f1c26b300",
        "019E19B2-B250-7420-A03C-FDE6F1C26B30",
        "019e19b2b2507420a03cfde6f1c26b30",
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        "019e19b2-b250-7420-c03c-fde6f1c26b30",
        "019e19b2-b250-7420-a03c-fde6f1c26g30",
        "019e19b2-b250-7420-a03c-fde6f1c26b3:",
        "019e19b2-b250-7420-a03c-fde6f1c26b3`",
        "019e19b2-b250-7420-703c-fde6f1c26b30",
        "019e19b2-b250-7420-a03c-fde6f1c26b3é",
        "{019e19b2-b250-7420-a03c-fde6f1c26b30}",
    ])
    func rejects(text: String) {
        let error = #expect(throws: ContractError.self) { try MessageID(validating: text) }
        #expect(error?.code == .invalidID)
    }

    @Test("A UUIDv7 from elsewhere is accepted and kept as is")
    func accepts() throws {
        let id = try MessageID(validating: "019e19b2-b250-7420-a03c-fde6f1c26b30")
        #expect(id.description == "019e19b2-b250-7420-a03c-fde6f1c26b30")
        #expect(id.timestamp == Date(timeIntervalSince1970: 1_778_547_602.0))
    }
}

private extension String {
    var paddedTo12: String {
        let hex = count >= 12 ? self : String(repeating: "0", count: 12 - count) + self
        return String(hex.prefix(8)) + "-" + String(hex.dropFirst(8))
    }
}
