import Foundation
import WanxiaContract

/// The files of Topics/ and the Swift type each schema maps to.
enum ContractFiles {
    /// The package root, found from this file's path (Tests/WanxiaContractTests/ContractFiles.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let topics = packageRoot.appendingPathComponent("Topics")
    static let examples = topics.appendingPathComponent("examples")
    static let invalidExamples = examples.appendingPathComponent("invalid")

    /// Names (without .json) of the JSON files in a folder, sorted.
    static func names(in folder: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Payload schemas (common.json only holds shared definitions).
    static let schemaNames = names(in: topics.appendingPathComponent("schemas")).filter { $0 != "common" }
    static let validExamples = names(in: examples)
    static let invalidExampleNames = names(in: invalidExamples)

    /// The schema an example belongs to, by the rule check.py uses: the longest schema name that is
    /// the example's name or a prefix of it followed by "-".
    static func schemaName(for example: String) -> String? {
        schemaNames.filter { example == $0 || example.hasPrefix($0 + "-") }.max { $0.count < $1.count }
    }

    static func data(_ name: String, invalid: Bool = false) throws -> Data {
        try Data(contentsOf: (invalid ? invalidExamples : examples).appendingPathComponent(name + ".json"))
    }

    /// Decodes (and validates) as the schema's Swift type, then encodes again.
    struct Codec: Sendable {
        let roundTrip: @Sendable (Data) throws -> Data

        static func of<T: Codable & Sendable>(_: T.Type) -> Codec {
            Codec { data in try WanxiaJSON.encode(WanxiaJSON.decode(T.self, from: data)) }
        }
    }

    static let codecs: [String: Codec] = [
        "batch": .of(RawBatch.self),
        "observation-batch": .of(ObservationBatch.self),
        "record-batch": .of(RecordBatch.self),
        "ack": .of(Ack.self),
        "reject": .of(Reject.self),
        "roster": .of(Roster.self),
        "presence": .of(Presence.self),
        "command": .of(Command.self),
        "query-request": .of(QueryRequest.self),
        "query-reply": .of(QueryReply.self),
        "person-history": .of(PersonHistory.self),
        "group-participation": .of(GroupParticipation.self),
        "period-totals": .of(PeriodTotals.self),
        "state-document": .of(StateDocument.self),
    ]

    /// JSON re-serialized by JSONSerialization with sorted keys, to compare documents.
    static func canonical(_ data: Data) throws -> String {
        let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        let sorted = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: sorted, as: UTF8.self)
    }
}
