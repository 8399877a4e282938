import Foundation
import Testing
import WanxiaContract

@Suite("Payload rules, versions and JSON values")
struct PayloadTests {
    static let at = Date(timeIntervalSince1970: 1_778_547_668)

    @Test("An unknown schema version is an unsupportedVersion error that names the version")
    func unknownVersion() throws {
        let data = Data(#"{"v":7,"consumer":"registrar","at":"2026-05-12T09:01:08+08:00","ids":[]}"#.utf8)
        let error = #expect(throws: ContractError.self) { try WanxiaJSON.decode(Ack.self, from: data) }
        #expect(error?.code == .unsupportedVersion)
        #expect(error?.rejectCode == .unsupportedVersion)
        #expect(error?.field == "v")
        #expect(error?.message.contains("version 7") == true)
    }

    @Test("An unknown item type is an unknownType error naming the type and the item")
    func unknownType() throws {
        let raw = RawItem(id: .make(), seq: 3, at: Self.at, type: "selfie", body: ["card": "3100021987"])
        let error = #expect(throws: ContractError.self) { try raw.decode(as: Observation.self) }
        #expect(error?.code == .unknownType)
        #expect(error?.rejectCode == .unknownType)
        #expect(error?.field == "type")
        #expect(error?.message.contains("\"selfie\"") == true)
        #expect(throws: ContractError.self) { try raw.decode(as: Record.self) }
    }

    @Test("A young person travels without name or unit")
    func youth() throws {
        #expect(throws: Never.self) { try PersonRecord(person: "y-5c1e07", kind: .youth, ageBand: "15-17").validate() }
        #expect(throws: Never.self) { try PersonRecord(person: "p-0171", kind: .retiree, name: "王建国").validate() }
        let named = #expect(throws: ContractError.self) {
            try PersonRecord(person: "y-5c1e07", kind: .youth, name: "张小明").validate()
        }
        #expect(named?.field == "name")
        let school = #expect(throws: ContractError.self) {
            try PersonRecord(person: "y-5c1e07", kind: .youth, unit: "城关第二中学").validate()
        }
        #expect(school?.field == "unit")
        #expect(throws: ContractError.self) { try PersonRecord(person: "p-1", kind: .retiree, ageBand: "74-65").validate() }
    }

    @Test("A correcting participation needs a correction, and hours are never negative")
    func participation() throws {
        let old = MessageID.make()
        var record = ParticipationRecord(person: "p-0171", event: "act-2026-0512", role: "volunteer", hours: 2.75,
                                         ledger: .clocked, status: "served", supersedes: old)
        let error = #expect(throws: ContractError.self) { try record.validate() }
        #expect(error?.field == "correction")
        record.correction = .init(by: "p-0003", reason: "队长核实")
        #expect(throws: Never.self) { try record.validate() }
        record.hours = -0.5
        #expect(throws: ContractError.self) { try record.validate() }
        record.hours = .nan
        #expect(throws: ContractError.self) { try record.validate() }
        record.hours = 1
        record.role = "Volunteer"
        #expect(throws: ContractError.self) { try record.validate() }
    }

    @Test("Meeting minutes are 1...1440", arguments: [(0, false), (1, true), (1440, true), (1441, false)])
    func minutes(minutes: Int, valid: Bool) {
        let log = MeetingLog(pair: "pair-7f3a92", mentor: "p-0088", minutes: minutes, mode: .call)
        if valid {
            #expect(throws: Never.self) { try log.validate() }
        } else {
            #expect(throws: ContractError.self) { try log.validate() }
        }
    }

    @Test("Each query needs its own argument")
    func queries() throws {
        #expect(throws: ContractError.self) { try QueryRequest(requestId: "r1", query: .personHistory).validate() }
        #expect(throws: ContractError.self) { try QueryRequest(requestId: "r1", query: .groupParticipation).validate() }
        #expect(throws: ContractError.self) { try QueryRequest(requestId: "r1", query: .periodTotals).validate() }
        #expect(throws: ContractError.self) { try QueryRequest(requestId: "", query: .periodTotals, period: "2023").validate() }
        #expect(throws: ContractError.self) {
            try QueryRequest(requestId: "r 1", query: .periodTotals, period: "2023").validate()
        }
        for period in ["2023", "2023H1", "2023H2", "2023上半年", "2023下半年", "2023Q2", "2023-05", "2023-01-01..2023-06-30"] {
            #expect(throws: Never.self) { try QueryRequest(requestId: "r1", query: .periodTotals, period: period).validate() }
        }
        for period in ["2023H3", "2023Q5", "2023-13", "23", "2023年", "2023-01-01...2023-06-30", "２０２３"] {
            #expect(throws: ContractError.self) { try QueryRequest(requestId: "r1", query: .periodTotals, period: period).validate() }
        }
        let group = GroupRef(kind: .team, id: "team-songfalv")
        #expect(throws: Never.self) { try QueryRequest(requestId: "r1", query: .groupParticipation, group: group).validate() }
    }

    @Test("A batch holds 1 to 1000 valid items; errors name the item")
    func batchLimits() throws {
        let scan = Observation.checkin(CardScan(activity: "act-2026-0512", card: "3100021987"))
        #expect(throws: ContractError.self) { try ObservationBatch(producer: "kiosk-1", items: []).validate() }
        let tooMany = (1...1001).map { Item(seq: Int64($0), at: Self.at, body: scan) }
        #expect(throws: ContractError.self) { try ObservationBatch(producer: "kiosk-1", items: tooMany).validate() }
        let items = [Item(seq: 1, at: Self.at, body: scan), Item(seq: 0, at: Self.at, body: scan)]
        let error = #expect(throws: ContractError.self) { try ObservationBatch(producer: "kiosk-1", items: items).validate() }
        #expect(error?.field == "items[1].seq")
        let bad = [Item(seq: 1, at: Self.at, body: Observation.checkin(CardScan(activity: "act 1", card: "3100021987")))]
        let badID = #expect(throws: ContractError.self) { try ObservationBatch(producer: "kiosk-1", items: bad).validate() }
        #expect(badID?.field == "items[0].body.activity")
        #expect(badID?.rejectCode == .invalidField)
    }

    @Test("A batch built in code encodes to the documented JSON")
    func encodesBatch() throws {
        let id = try MessageID(validating: "019e19b2-b250-7420-a03c-fde6f1c26b30")
        let batch = ObservationBatch(producer: "kiosk-dongcheng-1", sentAt: Self.at, items: [
            Item(id: id, seq: 1, at: Self.at, body: .checkin(CardScan(activity: "act-2026-0512", card: "3100021987"))),
        ])
        let json = String(decoding: try WanxiaJSON.encode(batch), as: UTF8.self)
        #expect(json == #"{"items":[{"at":"2026-05-12T09:01:08+08:00","body":{"activity":"act-2026-0512","card":"3100021987"},"#
            + #""id":"019e19b2-b250-7420-a03c-fde6f1c26b30","seq":1,"type":"checkin"}],"#
            + #""producer":"kiosk-dongcheng-1","sentAt":"2026-05-12T09:01:08+08:00","v":1}"#)
        let raw = try batch.items[0].raw()
        #expect(raw.type == "checkin")
        #expect(try raw.decode(as: Observation.self) == batch.items[0])
    }

    @Test("A reject for an unparseable message writes id as null")
    func rejectNullID() throws {
        let reject = Reject(consumer: "registrar", at: Self.at, rejected: [
            .init(id: nil, code: .malformedJSON, message: "payload is not JSON"),
        ])
        let json = String(decoding: try WanxiaJSON.encode(reject), as: UTF8.self)
        #expect(json.contains(#"{"code":"malformed-json","id":null,"message":"payload is not JSON"}"#))
        #expect(try WanxiaJSON.decode(Reject.self, from: Data(json.utf8)) == reject)
    }

    @Test("A later connection's status wins over a late Will of an earlier one")
    func presence() {
        let online = Presence(client: "kiosk-dongcheng-1", role: .site, online: true, connection: 58, at: Self.at)
        let lateWill = Presence(client: "kiosk-dongcheng-1", role: .site, online: false, connection: 57, at: Self.at)
        let will = Presence(client: "kiosk-dongcheng-1", role: .site, online: false, connection: 58, at: Self.at)
        #expect(!lateWill.replaces(online))
        #expect(will.replaces(online))
        #expect(!online.replaces(will))
        #expect(online.replaces(lateWill))
    }

    @Test("Query replies carry a typed result or an error")
    func replies() throws {
        let totals = PeriodTotals(period: "2026H1", from: Self.at, to: Self.at.addingTimeInterval(86_400), rows: [
            .init(programme: .competitions, kind: "门球赛", events: 3, personTimes: 1200, distinctPeople: 420, hours: 1800),
        ])
        let reply = try QueryReply(requestId: "reports-2026h1", result: totals)
        #expect(throws: Never.self) { try reply.validate() }
        let decoded = try WanxiaJSON.decode(QueryReply.self, from: WanxiaJSON.encode(reply))
        #expect(try decoded.result(as: PeriodTotals.self) == totals)

        let failure = QueryReply(requestId: "r2", error: .init(code: .unknownPerson, message: "no person p-9999"))
        #expect(throws: Never.self) { try failure.validate() }
        #expect(throws: ContractError.self) { try failure.result(as: PeriodTotals.self) }
    }

    @Test("JSON values keep nulls, booleans and numbers apart and encode canonically")
    func jsonValue() throws {
        let value = try WanxiaJSON.decode(JSONValue.self, from: Data(#"{"b":true,"a":[1,2.5,null,"x",false],"c":{}}"#.utf8))
        #expect(value == ["a": [1, 2.5, nil, "x", false], "b": true, "c": [:]])
        #expect(String(decoding: try value.canonicalData(), as: UTF8.self) == #"{"a":[1,2.5,null,"x",false],"b":true,"c":{}}"#)
        let reordered: JSONValue = ["c": [:], "b": true, "a": [1.0, 2.5, .null, "x", false]]
        #expect(try reordered.canonicalData() == value.canonicalData())
        #expect(try JSONValue(encoding: ["url": "a/b"]).canonicalData() == Data(#"{"url":"a/b"}"#.utf8))
    }

    @Test("A state document knows its topic")
    func stateTopic() throws {
        let document = StateDocument(programme: .competitions, kind: "standings", id: "comp-2026-menqiu-spring",
                                     updatedAt: Self.at, body: ["rows": []])
        #expect(document.topic == "wanxia/v1/state/competitions/standings/comp-2026-menqiu-spring")
        #expect(try Topic.parse(document.topic).isRetained)
    }
}
