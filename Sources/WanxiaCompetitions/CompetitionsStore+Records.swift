import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

extension CompetitionsStore {
    /// Finishes a running competition and enqueues its records for the registrar (see
    /// ``finish(_:at:in:)``); match formats finish by themselves when their last match is decided.
    public func finish(_ competitionID: String, at: Date = Date()) throws {
        try write { db in
            let competition = try Self.require(competitionID, in: db)
            guard competition.status == .running else {
                throw CompetitionsError(.notAllowed, "\(competitionID): is \(competition.status.rawValue), not running")
            }
            try finish(competitionID, at: at, in: db)
        }
    }

    /// Marks the competition finished and enqueues, in the caller's transaction, what
    /// docs/measures.md "Competitions" says: a `person` record for each person not yet announced,
    /// one `event` for the competition (exhibitions with counts of works submitted and selected),
    /// and a `participation` per entrant person (role `player`; status `played`, `withdrawn` after
    /// playing, or `no-show`; team = the pair or team id) and per official (`referee`, `judge`,
    /// `juror`; status `judged`), with the competition's hours (0 for a no-show).
    func finish(_ competitionID: String, at: Date, in db: Database) throws {
        var competition = try Self.require(competitionID, in: db)
        guard competition.status == .running else { return }
        competition.status = .finished
        try Self.save(competition, in: db)
        guard try Bool.fetchOne(db, sql: "SELECT records_sent FROM competition WHERE id = ?", arguments: [competitionID]) != true else { return }

        var players: [(person: String, team: String?, status: String)] = []
        switch competition.format {
        case .exhibition:
            let authors = try String.fetchAll(db, sql: "SELECT DISTINCT author FROM work WHERE competition = ? ORDER BY author",
                                              arguments: [competitionID])
            players = authors.map { ($0, nil, "played") }
        default:
            let fixtures = try Self.fixtures(competitionID, in: db)
            let scored = Set(try Self.latestScores(competitionID, in: db).keys)
            for entrant in try Self.entrants(competitionID, in: db) where entrant.number != nil || competition.format == .judged {
                let played = competition.format == .judged
                    ? scored.contains(entrant.id)
                    : fixtures.contains { ($0.home == entrant.id || $0.away == entrant.id) && $0.game?.played == true }
                let status: String = switch entrant.status {
                case .registered: played || competition.format != .judged ? "played" : "no-show"
                case .withdrawn: played ? "withdrawn" : "no-show"
                case .noShow: "no-show"
                }
                let team = competition.entry == .individual ? nil : entrant.id
                players += entrant.members.map { ($0, team, status) }
            }
        }
        let officials = try Row.fetchAll(db, sql: "SELECT person, role FROM official WHERE competition = ? ORDER BY role, person",
                                         arguments: [competitionID]).map { (person: $0["person"] as String, role: $0["role"] as String) }

        for person in Set(players.map(\.person) + officials.map(\.person)).sorted() {
            guard let row = try Row.fetchOne(db, sql: "SELECT name, unit, announced FROM person WHERE id = ?", arguments: [person]),
                  (row["announced"] as Bool?) != true else { continue }
            try Outbox.enqueue(Record.person(PersonRecord(person: person, kind: .retiree, name: row["name"], unit: row["unit"])),
                               to: recordsTopic, at: at, in: db)
            try db.execute(sql: "UPDATE person SET announced = 1 WHERE id = ?", arguments: [person])
        }
        var counts: EventRecord.Counts?
        if competition.format == .exhibition {
            let submitted = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM work WHERE competition = ?", arguments: [competitionID]) ?? 0
            let selected = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM work WHERE competition = ? AND reached = ?",
                                            arguments: [competitionID, competition.quotas.count]) ?? 0
            counts = EventRecord.Counts(worksSubmitted: submitted, worksSelected: selected)
        }
        try Outbox.enqueue(Record.event(EventRecord(event: competitionID, programme: .competitions, kind: competition.kind,
                                                    title: competition.title, site: competition.site, start: competition.start,
                                                    end: competition.end, counts: counts)),
                           to: recordsTopic, at: at, in: db)
        for player in players {
            let hours = player.status == "no-show" ? 0 : competition.hours
            try Outbox.enqueue(Record.participation(ParticipationRecord(
                person: player.person, event: competitionID, role: "player", hours: hours, ledger: .clocked, status: player.status,
                start: competition.start, end: competition.end, team: player.team)), to: recordsTopic, at: at, in: db)
        }
        for official in officials {
            try Outbox.enqueue(Record.participation(ParticipationRecord(
                person: official.person, event: competitionID, role: official.role, hours: competition.hours, ledger: .clocked,
                status: "judged", start: competition.start, end: competition.end)), to: recordsTopic, at: at, in: db)
        }
        try db.execute(sql: "UPDATE competition SET records_sent = 1, state_dirty = 1 WHERE id = ?", arguments: [competitionID])
        let wake = recordsEnqueued
        db.afterNextTransaction { _ in wake.call() }
    }
}
