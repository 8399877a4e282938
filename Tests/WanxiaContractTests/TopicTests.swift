import Foundation
import Testing
import WanxiaContract

@Suite("Topic builders and parser")
struct TopicTests {
    static let site: TopicID = "dongcheng-centre"

    /// Every topic of the contract: what the builder writes, and what the parser returns for it.
    static let table: [(built: String, expected: String, parsed: ParsedTopic)] = [
        (Topic.observations(site: site, programme: .volunteers), "wanxia/v1/site/dongcheng-centre/obs/volunteers",
         .observations(site: site, programme: .volunteers)),
        (Topic.siteAck(site: site), "wanxia/v1/site/dongcheng-centre/ack", .siteAck(site: site)),
        (Topic.siteReject(site: site), "wanxia/v1/site/dongcheng-centre/reject", .siteReject(site: site)),
        (Topic.roster(site: site, programme: .classes), "wanxia/v1/site/dongcheng-centre/roster/classes",
         .roster(site: site, programme: .classes)),
        (Topic.siteStatus(site: site), "wanxia/v1/site/dongcheng-centre/status", .siteStatus(site: site)),
        (Topic.siteCommand(site: site), "wanxia/v1/site/dongcheng-centre/cmd", .siteCommand(site: site)),
        (Topic.records(producer: "competitions"), "wanxia/v1/registrar/records/competitions", .records(producer: "competitions")),
        (Topic.serviceAck(service: "mentoring"), "wanxia/v1/service/mentoring/ack", .serviceAck(service: "mentoring")),
        (Topic.serviceReject(service: "mentoring"), "wanxia/v1/service/mentoring/reject", .serviceReject(service: "mentoring")),
        (Topic.serviceStatus(service: "registrar"), "wanxia/v1/service/registrar/status", .serviceStatus(service: "registrar")),
        (Topic.query(client: "reports"), "wanxia/v1/registrar/query/reports", .query(client: "reports")),
        (Topic.reply(client: "reports"), "wanxia/v1/registrar/reply/reports", .reply(client: "reports")),
        (Topic.state(programme: .competitions, kind: "standings", id: "comp-2026-menqiu-spring"),
         "wanxia/v1/state/competitions/standings/comp-2026-menqiu-spring",
         .state(programme: .competitions, kind: "standings", id: "comp-2026-menqiu-spring")),
    ]

    @Test("Builders write the documented topic; the parser takes it apart and puts it back",
          arguments: 0..<table.count)
    func builderAndParser(index: Int) throws {
        let row = Self.table[index]
        #expect(row.built == row.expected)
        let parsed = try Topic.parse(row.expected)
        #expect(parsed == row.parsed)
        #expect(parsed.topic == row.expected)
    }

    @Test("Retained topics are the rosters, presence and state documents")
    func retained() {
        let retained = Self.table.filter(\.parsed.isRetained).map(\.expected)
        #expect(retained == [
            "wanxia/v1/site/dongcheng-centre/roster/classes",
            "wanxia/v1/site/dongcheng-centre/status",
            "wanxia/v1/service/registrar/status",
            "wanxia/v1/state/competitions/standings/comp-2026-menqiu-spring",
        ])
    }

    @Test("Subscription filters")
    func filters() {
        #expect(Topic.allObservations(programme: .volunteers) == "wanxia/v1/site/+/obs/volunteers")
        #expect(Topic.allObservations == "wanxia/v1/site/+/obs/+")
        #expect(Topic.rosters(site: Self.site) == "wanxia/v1/site/dongcheng-centre/roster/+")
        #expect(Topic.allSiteStatus == "wanxia/v1/site/+/status")
        #expect(Topic.allRecords == "wanxia/v1/registrar/records/+")
        #expect(Topic.allServiceStatus == "wanxia/v1/service/+/status")
        #expect(Topic.allQueries == "wanxia/v1/registrar/query/+")
        #expect(Topic.allState(programme: .competitions) == "wanxia/v1/state/competitions/#")
    }

    @Test("Malformed topics are rejected", arguments: [
        "",
        "wanxia/v1",
        "wanxia/v1/",
        "wanxia/v2/site/dongcheng-centre/ack",
        "Wanxia/v1/site/dongcheng-centre/ack",
        "/wanxia/v1/site/dongcheng-centre/ack",
        "$SYS/broker/uptime",
        "wanxia/v1/site/+/ack",
        "wanxia/v1/site/#",
        "wanxia/v1/registrar/records/+",
        "wanxia/v1/site/Dongcheng-Centre/ack",
        "wanxia/v1/SITE/dongcheng-centre/ack",
        "wanxia/v1/site/dongcheng-centre/ACK",
        "wanxia/v1/site//ack",
        "wanxia/v1/site/dongcheng-centre/ack/",
        "wanxia/v1/site/dongcheng centre/ack",
        "wanxia/v1/site/-dongcheng/ack",
        "wanxia/v1/site/东城/ack",
        "wanxia/v1/site/\(String(repeating: "a", count: 65))/ack",
        "wanxia/v1/site/dongcheng-centre/obs/sports",
        "wanxia/v1/site/dongcheng-centre/obs",
        "wanxia/v1/site/dongcheng-centre/unknown",
        "wanxia/v1/registrar/records",
        "wanxia/v1/registrar/records/volunteers/extra",
        "wanxia/v1/service/registrar/query",
        "wanxia/v1/state/volunteers/fixtures",
        "wanxia/v1/state/sports/fixtures/x",
    ])
    func malformed(topic: String) {
        let error = #expect(throws: ContractError.self) { try Topic.parse(topic) }
        #expect(error?.code == .invalidTopic || error?.code == .invalidID)
        #expect(error?.message.contains("topic") == true)
    }

    @Test("A topic id from user input cannot carry wildcards, separators or uppercase",
          arguments: ["+", "#", "a/b", "site+", "Dongcheng", "", "-a", "a b", "东城", String(repeating: "x", count: 65)])
    func topicIDRejects(text: String) {
        #expect(throws: ContractError.self) { try TopicID(validating: text) }
        #expect(!TopicID.isValid(text))
    }

    @Test("Topic ids at the limits are accepted", arguments: ["a", "0", "kiosk-dongcheng-1", String(repeating: "x", count: 64)])
    func topicIDAccepts(text: String) throws {
        #expect(try TopicID(validating: text).rawValue == text)
    }

    @Test("Every channel address in asyncapi.yaml is a topic the parser knows, and none is missing")
    func asyncAPIAddresses() throws {
        let yaml = try String(contentsOf: ContractFiles.topics.appendingPathComponent("asyncapi.yaml"), encoding: .utf8)
        let addresses = yaml.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("address: '") }
            .map { String($0.dropFirst("address: '".count).dropLast()) }
        let samples = ["{site}": "dongcheng-centre", "{programme}": "mentoring", "{producer}": "volunteers",
                       "{service}": "registrar", "{client}": "reports", "{kind}": "fixtures", "{id}": "comp-2026-1"]
        var cases = Set<String>()
        for address in addresses {
            let topic = samples.reduce(address) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
            let parsed = try Topic.parse(topic)
            #expect(parsed.topic == topic)
            cases.insert(String(String(describing: parsed).prefix { $0 != "(" }))
        }
        #expect(addresses.count == Self.table.count)
        #expect(cases.count == Self.table.count)
    }
}
