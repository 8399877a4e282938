import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaDelivery
@testable import WanxiaRegistrar

@Suite("Ingest: what the registrar stores and what it refuses")
struct RegistrarIngestTests {
    /// A book with one retiree, one youth and one three-hour event on 10 March 2023.
    static func seeded() throws -> Book {
        let book = try Book()
        try book.apply(.retiree("P-0001", "张三"))
        try book.apply(.person(PersonRecord(person: "Y-7f3a", kind: .youth, ageBand: "15-17")))
        try book.apply(.event("E-1", .volunteers, "法律援助进社区", "普法进社区", site: "dongcheng-centre",
                              parent: "team-law", "2023-03-10T09:00", hours: 3))
        return book
    }

    @Test("stores people, event versions and records, with strings taken literally")
    func storesRecords() throws {
        let book = try Self.seeded()
        let title = "'); DROP TABLE participation; -- 《普法》\u{1F600}"
        try book.apply(.event("E-2", .classes, "书记培训班", title, "2023-04-06T14:00", hours: 2))
        let id = try book.apply(.took("P-0001", "E-2", "learner", hours: 2, status: "present"))
        #expect(try book.count("participation") == 1)
        #expect(try book.count("event") == 2)
        let stored = try book.store.database.read { db in
            try Row.fetchOne(db, sql: "SELECT p.record, p.producer, p.recorded_at, e.title FROM participation p JOIN event e ON e.event = p.event")
        }
        #expect(stored?["record"] == id.rawValue)
        #expect(stored?["title"] == title)
        #expect(stored?["producer"] == "volunteers")
        #expect(stored?["recorded_at"] == book.clock.now.unixMilliseconds)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var record: WanxiaContract.Record
        var at: Date?
        var code: RejectCode
        var mentions: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        .init(name: "unknown person", record: .took("P-9999", "E-1", hours: 1), code: .unknownPerson, mentions: "P-9999"),
        .init(name: "unknown event", record: .took("P-0001", "E-404", hours: 1), code: .unknownEvent, mentions: "E-404"),
        .init(name: "negative hours", record: .took("P-0001", "E-1", hours: -1), code: .outOfRange, mentions: "hours"),
        .init(name: "hours longer than the event", record: .took("P-0001", "E-1", hours: 3.5), code: .outOfRange, mentions: "lasts 3 h"),
        .init(name: "check-out before check-in",
              record: .participation(ParticipationRecord(person: "P-0001", event: "E-1", role: "volunteer", hours: 1, ledger: .clocked,
                                                         status: "served", start: t("2023-03-10T10:00"), end: t("2023-03-10T09:00"))),
              code: .invalidField, mentions: "end"),
        .init(name: "item time before 2000", record: .retiree("P-0002", "李四"), at: t("1999-12-31T23:59"), code: .outOfRange, mentions: "before 2000"),
        .init(name: "event more than a day ahead", record: .event("E-9", .volunteers, "巡逻", "巡逻", "2023-12-03T09:00", hours: 1),
              code: .outOfRange, mentions: "future"),
        .init(name: "youth with a name", record: .person(PersonRecord(person: "Y-0002", kind: .youth, name: "小明")),
              code: .invalidField, mentions: "name"),
        .init(name: "correction of an unknown record",
              record: .took("P-0001", "E-1", hours: 1, supersedes: MessageID.make(), correction: .init(by: "leader-1", reason: "签退漏记")),
              code: "unknown-record", mentions: "supersedes"),
        .init(name: "correction without who and why",
              record: .took("P-0001", "E-1", hours: 1, supersedes: MessageID.make()), code: .invalidField, mentions: "correction"),
    ]

    @Test("refuses with a reason naming the field", arguments: refusals)
    func refuses(_ case: Refusal) throws {
        let book = try Self.seeded()
        let before = try (book.count("person"), book.count("event"), book.count("participation"))
        let rejection = try #require(book.rejection(`case`.record, at: `case`.at))
        #expect(rejection.code == `case`.code)
        #expect(rejection.message.contains(`case`.mentions), "\(rejection.message)")
        #expect(try (book.count("person"), book.count("event"), book.count("participation")) == before)
    }

    @Test("refuses bodies of the wrong shape and unknown types with the contract's words",
          arguments: [
            ("participation", ["person": "P-0001", "event": "E-1", "role": "volunteer", "hours": "three",
                               "ledger": "clocked", "status": "served"] as JSONValue, RejectCode.invalidField, "hours"),
            ("participation", ["person": "P-0001", "event": "E-1"] as JSONValue, RejectCode.invalidField, "role"),
            ("attendance", ["person": "P-0001"] as JSONValue, RejectCode.unknownType, "attendance"),
            ("person", ["person": "P-0003", "kind": "retiree", "ssn": "110101195001011234"] as JSONValue, RejectCode.invalidField, "ssn"),
          ])
    func refusesMalformed(type: String, body: JSONValue, code: RejectCode, mentions: String) throws {
        let book = try Self.seeded()
        let raw = RawItem(id: .make(), seq: 7, at: book.clock.now, type: type, body: body)
        let rejection = try #require(#expect(throws: Rejection.self) { try book.apply(raw) })
        #expect(rejection.code == code)
        #expect(rejection.message.contains(mentions), "\(rejection.message)")
    }

    @Test("a correction supersedes once; correcting it again must name the latest record")
    func corrections() throws {
        let book = try Self.seeded()
        let first = try book.apply(.took("P-0001", "E-1", hours: 2))
        let second = try book.apply(.took("P-0001", "E-1", hours: 3, ledger: .backfilled, supersedes: first,
                                          correction: .init(by: "leader-1", reason: "签退漏记")))
        let again = try #require(book.rejection(.took("P-0001", "E-1", hours: 1, supersedes: first,
                                                       correction: .init(by: "leader-1", reason: "重复"))))
        #expect(again.message.contains(second.rawValue))
        try book.apply(.took("P-0001", "E-1", hours: 2.5, supersedes: second, correction: .init(by: "staff-2", reason: "核对签到表")))
        #expect(try book.count("participation") == 3)
        #expect(try book.store.queries.personHistory(person: "P-0001").totalHours == 2.5)
        let corrected = try book.store.database.read { db in
            try Row.fetchOne(db, sql: "SELECT corrected_by, correction_reason FROM participation WHERE supersedes = ?", arguments: [first.rawValue])
        }
        #expect(corrected?["corrected_by"] == "leader-1")
        #expect(corrected?["correction_reason"] == "签退漏记")
    }

    @Test("a person record updates the roll unless an older version arrives late")
    func personVersions() throws {
        let book = try Self.seeded()
        try book.apply(.retiree("P-0001", "张三", unit: "县教育局"), at: t("2023-12-01T10:00"))
        try book.apply(.retiree("P-0001", "张叁", unit: "县财政局"), at: t("2023-11-01T10:00"))  // older: ignored
        let row = try book.store.database.read { db in try Row.fetchOne(db, sql: "SELECT name, unit FROM person WHERE id = 'P-0001'") }
        #expect(row?["name"] == "张三")
        #expect(row?["unit"] == "县教育局")
    }

    @Test("hours are checked against the latest version of the event")
    func latestEventVersion() throws {
        let book = try Self.seeded()
        try book.apply(.event("E-1", .volunteers, "法律援助进社区", "普法进社区", "2023-03-10T09:00", hours: 1),
                       at: book.clock.now.addingTimeInterval(60))
        let rejection = try #require(book.rejection(.took("P-0001", "E-1", hours: 2)))
        #expect(rejection.code == .outOfRange)
    }
}
