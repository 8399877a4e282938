import Foundation
import GRDB
import WanxiaContract

extension CompetitionsStore {
    /// The competition's ranking now (see ``Leaderboard``).
    public func leaderboard(_ competitionID: String) throws -> Leaderboard {
        try read { db in try Self.leaderboard(competitionID, in: db) }
    }

    /// Takes the retained documents to publish: `fixtures` and `standings` of every competition
    /// changed since the last call (every one if `all`), and marks them published; call
    /// ``markStateDirty(_:)`` if publishing fails.
    public func takeStateDocuments(now: Date, all: Bool = false) throws -> [StateDocument] {
        try write { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM competition WHERE ? OR state_dirty = 1 ORDER BY id", arguments: [all])
            var documents: [StateDocument] = []
            for id in ids {
                let competition = try Self.require(id, in: db)
                let topicID = try TopicID(validating: id)
                let fixtures = FixtureList(competition: id, title: competition.title, format: competition.format,
                                           status: competition.status, seed: String(competition.seed),
                                           fixtures: try Self.fixtures(id, in: db))
                documents.append(StateDocument(programme: .competitions, kind: "fixtures", id: topicID, updatedAt: now,
                                               body: try JSONValue(encoding: fixtures)))
                documents.append(StateDocument(programme: .competitions, kind: "standings", id: topicID, updatedAt: now,
                                               body: try JSONValue(encoding: try Self.leaderboard(id, in: db))))
                try db.execute(sql: "UPDATE competition SET state_dirty = 0 WHERE id = ?", arguments: [id])
            }
            return documents
        }
    }

    /// Marks a competition's retained documents as still to be published.
    public func markStateDirty(_ competitionID: String) throws {
        try write { db in try Self.markDirty(competitionID, in: db) }
    }

    static func leaderboard(_ competitionID: String, in db: Database) throws -> Leaderboard {
        let competition = try require(competitionID, in: db)
        let entrants = try entrants(competitionID, in: db)
        let names = Dictionary(uniqueKeysWithValues: entrants.map { ($0.id, $0.name) })
        var rows: [Leaderboard.Row] = []
        switch competition.format {
        case .roundRobin, .doubleRoundRobin, .swiss:
            let games = try fixtures(competitionID, in: db).compactMap(\.game)
            let table = Standings(entrants: entrants.filter { $0.number != nil }.map(\.id), games: games,
                                  scheme: competition.points, tieBreaks: competition.tieBreaks, lotSeed: competition.seed)
            rows = table.rows.map { row in
                let breaks = zip(competition.tieBreaks, row.tieBreaks).map { "\($0.rawValue) \(Leaderboard.number($1))" }
                return Leaderboard.Row(rank: row.rank, entrant: row.entrant, name: names[row.entrant] ?? row.entrant,
                                       score: Leaderboard.number(row.points),
                                       detail: (["P\(row.played) W\(row.wins) D\(row.draws) L\(row.losses) \(row.scoreFor):\(row.scoreAgainst)"] + breaks)
                                           .joined(separator: "; "),
                                       byLot: row.byLot)
            }
        case .knockout:
            let fixtures = try fixtures(competitionID, in: db)
            var reached: [String: Int] = [:]
            for fixture in fixtures where !fixture.id.hasSuffix("third") {
                for side in [fixture.home, fixture.away].compactMap({ $0 }) { reached[side] = max(reached[side] ?? 0, fixture.round * 4) }
                if let winner = fixture.winner, fixture.round == fixtures.map(\.round).max() { reached[winner, default: 0] += 2 }
            }
            if let third = fixtures.first(where: { $0.id.hasSuffix("third") }), let winner = third.winner { reached[winner, default: 0] += 1 }
            let ordered = entrants.filter { $0.number != nil }.sorted { (reached[$0.id] ?? 0, -($0.number ?? 0)) > (reached[$1.id] ?? 0, -($1.number ?? 0)) }
            rows = ordered.enumerated().map { index, entrant in
                Leaderboard.Row(rank: index + 1, entrant: entrant.id, name: entrant.name, score: "R\((reached[entrant.id] ?? 0) / 4)",
                                detail: entrant.status == .registered ? "" : entrant.status.rawValue, byLot: false)
            }
        case .judged:
            let latest = try latestScores(competitionID, in: db)
            var drawn = entrants.map(\.id).sorted()
            var random = SeededRandom(seed: competition.seed)
            random.shuffle(&drawn)
            let lot = Dictionary(uniqueKeysWithValues: drawn.enumerated().map { ($1, $0) })
            func key(_ id: String) -> (Decimal, Decimal, Int) {
                let scores = Array((latest[id] ?? [:]).values)
                return (JudgedScore.final(scores, dropFrom: competition.dropFrom) ?? -1,
                        JudgedScore.exact(scores, dropFrom: competition.dropFrom) ?? -1, -(lot[id] ?? 0))
            }
            let ordered = entrants.map(\.id).sorted { key($0) > key($1) }
            rows = ordered.enumerated().map { index, id in
                let scores = Array((latest[id] ?? [:]).values)
                let final = JudgedScore.final(scores, dropFrom: competition.dropFrom)
                let tiedOnExact = ordered.contains { $0 != id && key($0).0 == key(id).0 && key($0).1 == key(id).1 }
                return Leaderboard.Row(rank: index + 1, entrant: id, name: names[id] ?? id,
                                       score: final.map { "\($0)" } ?? "-", detail: "\(scores.count) judges",
                                       byLot: tiedOnExact && final != nil)
            }
        case .exhibition:
            let works = try Row.fetchAll(db, sql: "SELECT id, title, reached FROM work WHERE competition = ? ORDER BY reached DESC, id",
                                         arguments: [competitionID])
            rows = works.enumerated().map { index, row in
                let reached: Int = row["reached"]
                return Leaderboard.Row(rank: index + 1, entrant: row["id"], name: row["title"], score: "\(reached)",
                                       detail: reached == competition.quotas.count ? "selected 入选" : "round \(reached)", byLot: false)
            }
        }
        return Leaderboard(competition: competitionID, title: competition.title, format: competition.format, status: competition.status,
                           tieBreaks: competition.tieBreaks, seed: competition.seed, rows: rows)
    }
}
