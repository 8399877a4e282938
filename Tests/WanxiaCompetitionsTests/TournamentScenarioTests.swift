import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WanxiaContract
import WanxiaDelivery
import WanxiaDeliveryTesting
import WanxiaMQTT
import WanxiaRegistrar
import WanxiaTesting
@testable import WanxiaCompetitions

/// The latest retained fixtures of each competition, as a site or screen sees them.
private final class Screen: Sendable {
    let fixtures = Mutex<[String: FixtureList]>([:])
    let standings = Mutex<[String: Leaderboard]>([:])

    func take(_ message: MQTTMessage) {
        guard let document = try? WanxiaJSON.decode(StateDocument.self, from: message.payload),
              let body = try? WanxiaJSON.encode(document.body) else { return }
        switch document.kind.rawValue {
        case "fixtures": if let list = try? WanxiaJSON.decode(FixtureList.self, from: body) { fixtures.withLock { $0[document.id.rawValue] = list } }
        case "standings": if let board = try? WanxiaJSON.decode(Leaderboard.self, from: body) { standings.withLock { $0[document.id.rawValue] = board } }
        default: break
        }
    }
}

@Suite("A gateball round robin and a table-tennis knockout through a real broker, into a real registrar")
struct TournamentScenarioTests {
    /// Hand-computed: in the gateball league the team listed earlier wins every match 20:12 (one
    /// result first entered the wrong way round and corrected), so the table is east 10, west 8,
    /// north 6, south 4, centre 2, river 0. Each result is confirmed by the second referee; one is
    /// first sent unconfirmed and stays provisional until the confirmed copy arrives.
    /// Registrar: gateball 30 players + 2 referees = 32 person-times at 6 h = 192 h; table tennis:
    /// T16 withdrew before playing (no-show, not counted): 15 players + 1 referee = 16 at 4 h = 64 h.
    @Test("tablets send results over MQTT; retained fixtures drive them; standings, champion and the registrar's totals match by hand")
    func tournament() async throws {
        try await TestBroker.with { broker in
            let folder = try TemporaryDirectory.make(prefix: "wanxia-competitions-scenario")
            defer { try? FileManager.default.removeItem(at: folder) }
            let book = try Book(directory: folder)
            let gateball = try book.addGateball(needsConfirmation: true)
            let tableTennis = try book.addTableTennis()
            try book.store.draw(gateball.id)
            try book.store.draw(tableTennis.id)
            try book.store.withdraw(entrant: "T16", from: tableTennis.id)

            var mqtt = MQTTConfiguration(host: broker.host, port: broker.port, clientID: "competitions")
            mqtt.reconnect = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500))
            var outbox = Outbox.Configuration()
            outbox.ackTimeout = .milliseconds(500)
            outbox.maxAckTimeout = .seconds(2)
            let service = CompetitionsService(configuration: .init(dataDirectory: folder, mqtt: mqtt, upkeepInterval: .milliseconds(50),
                                                                   outbox: outbox))
            var registrarMQTT = mqtt
            registrarMQTT.clientID = "registrar"
            let registrarFolder = folder.appendingPathComponent("registrar")
            let registrar = RegistrarService(configuration: .init(dataDirectory: registrarFolder, mqtt: registrarMQTT))
            let group = ServiceGroup(services: [service, registrar], logger: Logger(label: "test"))
            let running = Task { try await group.run() }

            // A screen subscribes late and still gets the retained fixtures.
            let screen = Screen()
            let watcher = try await makeClient(broker, id: "screen")
            let listener = Task { for await message in watcher.messages { screen.take(message) } }
            try await watcher.subscribe(Topic.allState(programme: .competitions))
            try await eventually("the retained fixtures reach the screen") {
                screen.fixtures.withLock { $0[gateball.id]?.fixtures.count == 15 && $0[tableTennis.id] != nil }
            }

            let court = try await Producer.start(broker, folder: folder, site: "gateball-court")
            let hall = try await Producer.start(broker, folder: folder, site: "tt-hall")
            func send(_ tablet: Producer, _ result: MatchResult, at: Date) throws -> MessageID {
                try tablet.outbox.enqueue(Observation.matchResult(result), to: Topic.observations(site: tablet.site, programme: .competitions), at: at).id
            }

            // Gateball: every match from the retained fixtures; the earlier-listed team wins 20:12.
            let order = Book.gateballTeams
            let fixtures = try #require(screen.fixtures.withLock { $0[gateball.id]?.fixtures })
            var wrong: (match: String, item: MessageID)?
            for (index, fixture) in fixtures.enumerated() {
                let home = try #require(fixture.home), away = try #require(fixture.away)
                let homeWins = (order.firstIndex(of: home) ?? 0) < (order.firstIndex(of: away) ?? 0)
                let at = t("2024-05-12T09:00").addingTimeInterval(Double(index) * 1800)
                if index == 0 {
                    // Unconfirmed first: provisional; then the confirmed copy.
                    _ = try send(court, MatchResult(competition: gateball.id, match: fixture.id, homeScore: homeWins ? 20 : 12,
                                                    awayScore: homeWins ? 12 : 20, outcome: nil, referee: "R-01"), at: at)
                }
                if index == 3 {
                    // Entered the wrong way round, then corrected by superseding it.
                    let item = try send(court, MatchResult(competition: gateball.id, match: fixture.id, homeScore: homeWins ? 12 : 20,
                                                           awayScore: homeWins ? 20 : 12, outcome: nil, referee: "R-01", confirmedBy: "R-02"), at: at)
                    wrong = (fixture.id, item)
                    continue
                }
                _ = try send(court, MatchResult(competition: gateball.id, match: fixture.id, homeScore: homeWins ? 20 : 12,
                                                awayScore: homeWins ? 12 : 20, outcome: nil, referee: "R-01", confirmedBy: "R-02"), at: at)
            }
            let mistake = try #require(wrong)
            try await eventually("the court's results are answered") { try court.outbox.status().pending == 0 }
            let corrected = try #require(fixtures.first { $0.id == mistake.match })
            let homeWins = (order.firstIndex(of: corrected.home ?? "") ?? 0) < (order.firstIndex(of: corrected.away ?? "") ?? 0)
            _ = try send(court, MatchResult(competition: gateball.id, match: mistake.match, homeScore: homeWins ? 20 : 12,
                                            awayScore: homeWins ? 12 : 20, outcome: nil, referee: "R-01", confirmedBy: "R-02",
                                            supersedes: mistake.item), at: t("2024-05-14T16:00"))
            // A repeat without `supersedes` is refused, and the tablet can read why.
            _ = try send(court, MatchResult(competition: gateball.id, match: mistake.match, homeScore: 1, awayScore: 0, outcome: nil,
                                            referee: "R-01", confirmedBy: "R-02"), at: t("2024-05-14T16:05"))
            // The league finishes on its last result; the correction that follows changes the table.
            try await eventually("the gateball league is finished and the corrected standings published") {
                try court.outbox.status().pending == 0
                    && screen.standings.withLock { $0[gateball.id]?.status == .finished && $0[gateball.id]?.rows.first?.entrant == "east" }
            }
            #expect(try court.outbox.rejectedItems().map(\.code) == ["already-decided"])
            let table = try #require(screen.standings.withLock { $0[gateball.id] })
            #expect(table.rows.map(\.entrant) == order)
            #expect(table.rows.map(\.score) == ["10", "8", "6", "4", "2", "0"])

            // Table tennis: the tablet plays each round as the retained bracket shows it; the lower
            // pairing number wins 3:1 (seeds 1-4 are the top four numbers).
            var sent: Set<String> = []
            while screen.standings.withLock({ $0[tableTennis.id]?.status }) != .finished {
                let scheduled = screen.fixtures.withLock { $0[tableTennis.id]?.fixtures ?? [] }
                    .filter { $0.status == .scheduled && !sent.contains($0.id) }
                for fixture in scheduled {
                    let home = try #require(fixture.home), away = try #require(fixture.away)
                    let homeWins = home < away
                    _ = try send(hall, MatchResult(competition: tableTennis.id, match: fixture.id, homeScore: homeWins ? 3 : 1,
                                                   awayScore: homeWins ? 1 : 3, outcome: nil, referee: "R-TT"), at: t("2024-06-01T09:00"))
                    sent.insert(fixture.id)
                }
                try await Task.sleep(for: .milliseconds(20))
                try #require(sent.count <= 16, "more results than matches")
            }
            let bracket = try #require(screen.fixtures.withLock { $0[tableTennis.id]?.fixtures })
            #expect(bracket.first { $0.id == "r4-m1" }?.winner == "T01")
            #expect(bracket.first { $0.id == "r4-third" }?.winner == "T03")
            #expect(bracket.contains { ($0.home == "T16" || $0.away == "T16") && [.forfeitHome, .forfeitAway].contains($0.outcome) })

            // Everything reaches the registrar.
            let store = try RegistrarStore(path: registrarFolder.appendingPathComponent("registrar.sqlite").path,
                                           configuration: .init(readOnly: true))
            try await eventually("the registrar holds both competitions and the service's outbox is empty") {
                guard try Outbox.status(ofDatabaseAt: folder.appendingPathComponent("competitions.sqlite").path).pending == 0 else { return false }
                return (try? store.queries.groupParticipation(group: GroupRef(kind: .event, id: tableTennis.id)).personTimes) == 16
            }
            #expect(try Outbox.status(ofDatabaseAt: folder.appendingPathComponent("competitions.sqlite").path).rejected == 0)
            let league = try store.queries.groupParticipation(group: GroupRef(kind: .event, id: gateball.id))
            #expect(league.events == 1 && league.personTimes == 32 && league.distinctPeople == 32 && league.hours == 192)
            let cup = try store.queries.groupParticipation(group: GroupRef(kind: .event, id: tableTennis.id))
            #expect(cup.personTimes == 16 && cup.hours == 64)
            let east = try store.queries.groupParticipation(group: GroupRef(kind: .team, id: "east"))
            #expect(east.personTimes == 5)
            let totals = try store.queries.periodTotals(period: try Period(parsing: "2024H1"), programme: .competitions)
            #expect(totals.rows.map(\.kind).sorted() == ["乒乓球赛", "门球赛"])
            #expect(totals.rows.map(\.events) == [1, 1])
            #expect(try store.queries.personHistory(person: "T16").records.map(\.status) == ["no-show"])

            await court.stop()
            await hall.stop()
            listener.cancel()
            await watcher.shutdown()
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
