import Foundation
import Testing
import WanxiaContract

@Suite("Topics/examples against the Swift types")
struct ExampleTests {
    @Test("Every payload schema has a Swift type, and the examples folder is not empty")
    func everySchemaHasAType() {
        #expect(ContractFiles.schemaNames.count >= 14)
        #expect(ContractFiles.validExamples.count >= 14)
        #expect(ContractFiles.invalidExampleNames.count >= 10)
        for name in ContractFiles.schemaNames {
            #expect(ContractFiles.codecs[name] != nil, "schemas/\(name).json has no Swift type in the test table")
        }
    }

    @Test("A valid example decodes into its Swift type and re-encodes to the same document",
          arguments: ContractFiles.validExamples)
    func roundTrip(example: String) throws {
        let schema = try #require(ContractFiles.schemaName(for: example), "no schema for examples/\(example).json")
        let codec = try #require(ContractFiles.codecs[schema])
        let original = try ContractFiles.data(example)
        let encoded = try codec.roundTrip(original)
        #expect(try ContractFiles.canonical(encoded) == ContractFiles.canonical(original))
    }

    @Test("A batch example decodes as a RawBatch whose items decode to the same typed items",
          arguments: ContractFiles.validExamples.filter { $0.hasPrefix("observation-batch") || $0.hasPrefix("record-batch") })
    func rawBatch(example: String) throws {
        let data = try ContractFiles.data(example)
        let raw = try WanxiaJSON.decode(RawBatch.self, from: data)
        #expect(try ContractFiles.canonical(WanxiaJSON.encode(raw)) == ContractFiles.canonical(data))
        if example.hasPrefix("observation-batch") {
            let typed = try WanxiaJSON.decode(ObservationBatch.self, from: data)
            #expect(try raw.items.map { try $0.decode(as: Observation.self) } == typed.items)
            #expect(try typed.items.map { try $0.raw() } == raw.items)
        } else {
            let typed = try WanxiaJSON.decode(RecordBatch.self, from: data)
            #expect(try raw.items.map { try $0.decode(as: Record.self) } == typed.items)
            #expect(try typed.items.map { try $0.raw() } == raw.items)
        }
    }

    /// Each invalid example, with a fragment of the error its Swift type must give.
    static let invalidReasons: [String: String] = [
        "ack-empty": "ids: must hold 1 to 1000 entries",
        "command-unknown": "reboot",
        "observation-batch-bad-producer": "\"Kiosk Dongcheng\" is not a topic-safe id",
        "observation-batch-correct-without-corrections": "items[0].body.corrections: must hold at least one",
        "observation-batch-meeting-log-free-text": "items[0].body.notes: unexpected field",
        "observation-batch-meeting-log-zero-minutes": "items[0].body.minutes: 0 is out of range 1...1440",
        "observation-batch-seq-zero": "items[0].seq: 0 is out of range",
        "observation-batch-time-without-offset": "has no UTC offset",
        "observation-batch-unknown-type": "items[0].type: unknown item type \"selfie\"",
        "observation-batch-uuid-v4": "is not a lowercase UUIDv7",
        "presence-unknown-version": "schema version 2 is not supported",
        "query-reply-ok-with-error": "error: must be absent when ok is true",
        "query-request-bad-period": "\"2026年5月\" is not a period",
        "query-request-missing-person": "person: is required for a person-history query",
        "record-batch-negative-hours": "items[0].body.hours: -1.0 must be a finite number >= 0",
        "record-batch-supersedes-without-correction": "items[0].body.correction: is required when supersedes is set",
        "record-batch-youth-with-name": "items[0].body.name: a young person's name must not travel",
        "record-batch-youth-with-school": "items[0].body.school: unexpected field",
        "state-document-bad-kind": "\"Standings\" is not a topic-safe id",
    ]

    @Test("An invalid example fails to decode or to validate, for the expected reason",
          arguments: ContractFiles.invalidExampleNames)
    func invalid(example: String) throws {
        let schema = try #require(ContractFiles.schemaName(for: example), "no schema for examples/invalid/\(example).json")
        let codec = try #require(ContractFiles.codecs[schema])
        let reason = try #require(Self.invalidReasons[example], "add examples/invalid/\(example).json to invalidReasons")
        let data = try ContractFiles.data(example, invalid: true)
        let error = #expect(throws: (any Error).self) { try codec.roundTrip(data) }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains(reason), "error was: \(text)")
    }

    @Test("The person-history reply example carries the person-history example as its result")
    func replyResult() throws {
        let reply = try WanxiaJSON.decode(QueryReply.self, from: ContractFiles.data("query-reply-person-history"))
        let history = try WanxiaJSON.decode(PersonHistory.self, from: ContractFiles.data("person-history"))
        #expect(try reply.result(as: PersonHistory.self) == history)
        #expect(history.records.map(\.hours).reduce(0, +) == history.totalHours)
    }
}
