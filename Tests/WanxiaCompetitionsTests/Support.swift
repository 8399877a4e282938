import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery
import WanxiaTesting
@testable import WanxiaCompetitions

/// A time in China Standard Time, e.g. `t("2024-05-12T09:00")`.
func t(_ local: String) -> Date {
    // Force-unwrap is fine in tests: a bad literal is a bug in the test.
    try! RFC3339.date(from: local + ":00+08:00")
}

/// A competitions file in a fresh folder, with helpers to fill it.
final class Book: Sendable {
    let directory: URL
    let store: CompetitionsStore

    init(directory: URL? = nil) throws {
        let directory = try directory ?? TemporaryDirectory.make(prefix: "wanxia-competitions")
        self.directory = directory
        store = try CompetitionsStore(path: directory.appendingPathComponent("competitions.sqlite").path)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Six gateball teams of five (G1-1 ... G6-5) from six units, and two referees.
    static let gateballTeams = ["east", "west", "north", "south", "centre", "river"]

    func addGateball(needsConfirmation: Bool = false) throws -> Competition {
        for (index, team) in Self.gateballTeams.enumerated() {
            for member in 1...5 { try store.addPerson(id: "G\(index + 1)-\(member)", name: "\(team)队员\(member)", unit: "\(team)街道") }
        }
        try store.addPerson(id: "R-01", name: "裁判甲")
        try store.addPerson(id: "R-02", name: "裁判乙")
        let competition = Competition(id: "gateball-2024", title: "2024年老干部门球联赛", kind: "门球赛", game: "gateball",
                                      format: .roundRobin, entry: .team, minMembers: 5, maxMembers: 5, capacity: 8,
                                      site: "gateball-court", start: t("2024-05-12T08:00"), end: t("2024-05-14T17:00"),
                                      seed: 20_240_512, needsConfirmation: needsConfirmation, hours: 6)
        try store.create(competition)
        for (index, team) in Self.gateballTeams.enumerated() {
            try store.register(Entrant(id: team, name: "\(team)队", unit: "\(team)街道", members: (1...5).map { "G\(index + 1)-\($0)" }),
                               in: competition.id)
        }
        try store.appoint(person: "R-01", role: "referee", in: competition.id)
        return competition
    }

    /// Sixteen table-tennis players (T01-T16), four seeded, from four units, and a referee.
    func addTableTennis(count: Int = 16, thirdPlace: Bool = true) throws -> Competition {
        try store.addPerson(id: "R-TT", name: "乒乓球裁判")
        for number in 1...count {
            let id = String(format: "T%02d", number)
            try store.addPerson(id: id, name: "选手\(number)", unit: ["甲局", "乙局", "丙局", "丁局"][number % 4])
        }
        let competition = Competition(id: "tt-2024", title: "乒乓球单打比赛", kind: "乒乓球赛", game: "table-tennis", format: .knockout,
                                      site: "tt-hall", start: t("2024-06-01T08:30"), end: t("2024-06-01T17:00"), seed: 7,
                                      thirdPlace: thirdPlace, separateUnits: true, hours: 4)
        try store.create(competition)
        for number in 1...count {
            let id = String(format: "T%02d", number)
            try store.register(Entrant(id: id, name: "选手\(number)", unit: ["甲局", "乙局", "丙局", "丁局"][number % 4],
                                       seed: number <= 4 ? number : nil, members: [id]), in: competition.id)
        }
        return competition
    }

    /// Applies a result as the inbox would, in its own transaction.
    func apply(_ result: MatchResult, at: Date = t("2024-05-12T10:00")) throws -> MessageID {
        let item = MessageID.make(now: at)
        try store.database.write { db in try store.apply(result, item: item, at: at, source: .tablet, in: db) }
        return item
    }

    /// The rejection the result earns, or nil if it is accepted.
    func rejection(_ result: MatchResult) -> Rejection? {
        do {
            _ = try apply(result)
            return nil
        } catch let rejection as Rejection {
            return rejection
        } catch {
            return Rejection("unexpected", "\(error)")
        }
    }

    /// The records enqueued for the registrar, decoded.
    func records() throws -> [WanxiaContract.Record] {
        try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT type, body FROM outbox ORDER BY seq").map { row -> WanxiaContract.Record in
                let body: Data = row["body"]
                switch row["type"] as String {
                case "person": return .person(try WanxiaJSON.decode(PersonRecord.self, from: body))
                case "event": return .event(try WanxiaJSON.decode(EventRecord.self, from: body))
                default: return .participation(try WanxiaJSON.decode(ParticipationRecord.self, from: body))
                }
            }
        }
    }

    /// The participation records enqueued, as (person, role, status).
    func participations() throws -> [ParticipationRecord] {
        try records().compactMap { if case .participation(let record) = $0 { record } else { nil } }
    }
}
