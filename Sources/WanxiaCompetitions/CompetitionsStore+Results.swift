import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

extension CompetitionsStore {
    /// Where a result came from, kept with it.
    public enum Source: String, Sendable {
        case tablet, cli
    }

    /// Records a referee's result entered at the CLI (a new item id), as a tablet's would be.
    @discardableResult
    public func record(_ result: MatchResult, at: Date = Date()) throws -> MessageID {
        let item = MessageID.make(now: at)
        try write { db in try apply(result, item: item, at: at, source: .cli, in: db) }
        return item
    }

    /// Records a judge's score entered at the CLI.
    @discardableResult
    public func record(_ score: JudgeScore, at: Date = Date()) throws -> MessageID {
        let item = MessageID.make(now: at)
        try write { db in try apply(score, item: item, at: at, in: db) }
        return item
    }

    /// Applies a match result inside the caller's transaction.
    ///
    /// Refuses (``Rejection``) an unknown competition or match, a match whose sides are not known
    /// yet or that is a bye, an unknown referee, a draw in a knockout, and a second result for a
    /// decided match unless it names the standing result in `supersedes` (a correction). When the
    /// competition needs confirmation, a result without `confirmedBy` (a second official, not the
    /// referee) stays provisional and counts for nothing until a confirmed one arrives.
    public func apply(_ result: MatchResult, item: MessageID, at: Date, source: Source, in db: Database) throws {
        guard let competition = try Self.competition(result.competition, in: db) else {
            throw Rejection(.unknownCompetition, "competition: \"\(result.competition)\" is not a competition of this service")
        }
        guard competition.status != .registration else {
            throw Rejection(.notOpen, "competition: \(competition.id) has not been drawn yet")
        }
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM fixture WHERE competition = ? AND id = ?",
                                         arguments: [competition.id, result.match]) else {
            throw Rejection(.unknownMatch, "match: \"\(result.match)\" is not a match of \(competition.id)")
        }
        var fixture = Self.fixture(row: row)
        guard fixture.home != nil, fixture.away != nil, fixture.outcome != .bye else {
            throw Rejection(.notOpen, "match: \(fixture.id) has no two sides yet (or is a bye)")
        }
        guard try Self.personExists(result.referee, in: db) else {
            throw Rejection(.unknownPerson, "referee: \"\(result.referee)\" is not on the roll of officials")
        }
        if let second = result.confirmedBy {
            guard try Self.personExists(second, in: db) else {
                throw Rejection(.unknownPerson, "confirmedBy: \"\(second)\" is not on the roll of officials")
            }
            guard second != result.referee else {
                throw Rejection(.invalidField, "confirmedBy: the referee cannot confirm his or her own result")
            }
        }
        let outcome: GameResult.Outcome = switch result.outcome {
        case .home: .home
        case .away: .away
        case .draw: .draw
        case .forfeitHome: .forfeitHome
        case .forfeitAway: .forfeitAway
        case nil: result.homeScore > result.awayScore ? .home : (result.homeScore < result.awayScore ? .away : .draw)
        }
        if competition.format == .knockout, outcome == .draw {
            throw Rejection(.invalidField, "outcome: a knockout match needs a winner (\(result.homeScore):\(result.awayScore) is a draw)")
        }
        if fixture.status == .decided {
            guard let supersedes = result.supersedes else {
                throw Rejection(.alreadyDecided, "match: \(fixture.id) is decided (result \(fixture.result ?? "by forfeit")); a correction names it in supersedes")
            }
            guard supersedes.rawValue == fixture.result else {
                throw Rejection(.invalidField, "supersedes: \(supersedes) is not the standing result of \(fixture.id) (\(fixture.result ?? "none"))")
            }
        } else if competition.status == .finished {
            throw Rejection(.notOpen, "competition: \(competition.id) is finished")
        }
        let decided = !competition.needsConfirmation || result.confirmedBy != nil
        var updated = fixture
        updated.homeScore = result.homeScore
        updated.awayScore = result.awayScore
        updated.outcome = outcome
        updated.referee = result.referee
        updated.confirmedBy = result.confirmedBy
        updated.result = item.rawValue
        updated.status = decided ? .decided : .provisional
        if competition.format == .knockout, fixture.status == .decided, updated.winner != fixture.winner {
            let later = try String.fetchAll(db, sql: """
                SELECT id FROM fixture WHERE competition = ? AND status = 'decided' AND (home_from IN (?, ?) OR away_from IN (?, ?))
                """, arguments: [competition.id, "W:\(fixture.id)", "L:\(fixture.id)", "W:\(fixture.id)", "L:\(fixture.id)"])
            if let first = later.first {
                throw Rejection(.notOpen, "supersedes: the winner of \(fixture.id) already played \(first); correct that match first")
            }
            try db.execute(sql: """
                UPDATE fixture SET home = CASE WHEN home_from IN (?, ?) THEN NULL ELSE home END,
                                   away = CASE WHEN away_from IN (?, ?) THEN NULL ELSE away END, status = 'pending'
                WHERE competition = ? AND (home_from IN (?, ?) OR away_from IN (?, ?))
                """, arguments: ["W:\(fixture.id)", "L:\(fixture.id)", "W:\(fixture.id)", "L:\(fixture.id)", competition.id,
                                 "W:\(fixture.id)", "L:\(fixture.id)", "W:\(fixture.id)", "L:\(fixture.id)"])
        }
        try db.execute(sql: """
            INSERT INTO result (item, competition, match, home_score, away_score, outcome, referee, confirmed_by, supersedes, source, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [item.rawValue, competition.id, fixture.id, result.homeScore, result.awayScore, outcome.rawValue,
                             result.referee, result.confirmedBy, result.supersedes?.rawValue ?? fixture.result, source.rawValue,
                             at.unixMilliseconds])
        if let previous = fixture.result {
            try db.execute(sql: "UPDATE result SET superseded_by = ? WHERE item = ?", arguments: [item.rawValue, previous])
        }
        fixture = updated
        try Self.save(fixture, of: competition.id, in: db)
        for official in [result.referee, result.confirmedBy].compactMap({ $0 }) {
            try db.execute(sql: "INSERT OR IGNORE INTO official (competition, person, role) VALUES (?, ?, 'referee')",
                           arguments: [competition.id, official])
        }
        try Self.markDirty(competition.id, in: db)
        if decided { try progress(competition.id, at: at, in: db) }
    }

    /// Applies a judge's (or juror's) score inside the caller's transaction.
    ///
    /// The entrant is an entrant of a judged event or a work's blind id in an exhibition. The latest
    /// score of each judge for an entrant counts. Refused: unknown competition, entrant or judge, a
    /// juror recused from the work, a finished competition, a format without judges.
    public func apply(_ score: JudgeScore, item: MessageID, at: Date, in db: Database) throws {
        guard let competition = try Self.competition(score.competition, in: db) else {
            throw Rejection(.unknownCompetition, "competition: \"\(score.competition)\" is not a competition of this service")
        }
        guard competition.format == .judged || competition.format == .exhibition else {
            throw Rejection(.invalidField, "competition: \(competition.id) is a \(competition.format.rawValue); judges score only judged events and exhibitions")
        }
        guard competition.status == .running else {
            throw Rejection(.notOpen, "competition: \(competition.id) is \(competition.status.rawValue), not running")
        }
        let role = competition.format == .exhibition ? "juror" : "judge"
        let table = competition.format == .exhibition ? "work" : "entrant"
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM \(table) WHERE competition = ? AND id = ?",
                                arguments: [competition.id, score.entrant]) ?? false else {
            throw Rejection(.unknownMatch, "entrant: \"\(score.entrant)\" is not \(table == "work" ? "a work" : "an entrant") of \(competition.id)")
        }
        guard try Self.personExists(score.judge, in: db) else {
            throw Rejection(.unknownPerson, "judge: \"\(score.judge)\" is not on the roll of officials")
        }
        if let reason = try String.fetchOne(db, sql: "SELECT reason FROM recusal WHERE competition = ? AND juror = ? AND work = ?",
                                            arguments: [competition.id, score.judge, score.entrant]) {
            throw Rejection(.invalidField, "judge: \(score.judge) is recused from \(score.entrant) (\(reason))")
        }
        try db.execute(sql: "INSERT INTO judge_score (item, competition, entrant, judge, score, at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [item.rawValue, competition.id, score.entrant, score.judge, score.score, at.unixMilliseconds])
        try db.execute(sql: "INSERT OR IGNORE INTO official (competition, person, role) VALUES (?, ?, ?)",
                       arguments: [competition.id, score.judge, role])
        try Self.markDirty(competition.id, in: db)
    }

    /// The latest score of each judge for each entrant: [entrant: [judge: score]].
    static func latestScores(_ competition: String, in db: Database) throws -> [String: [String: Double]] {
        var scores: [String: [String: Double]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT entrant, judge, score FROM judge_score WHERE competition = ? ORDER BY at, item",
                                    arguments: [competition]) {
            scores[row["entrant"] as String, default: [:]][row["judge"] as String] = row["score"]
        }
        return scores
    }

    // MARK: Exhibitions

    /// Submits a work under a blind id; the author's name never goes to the jurors.
    public func submitWork(id: String, author: String, title: String, to competitionID: String) throws {
        guard Self.isPlainID(id) else { throw CompetitionsError(.invalidArgument, "work: \"\(id)\" is not an id") }
        try write { db in
            let competition = try Self.require(competitionID, in: db)
            guard competition.format == .exhibition else {
                throw CompetitionsError(.notAllowed, "\(competitionID): works are submitted to exhibitions only")
            }
            guard competition.status != .finished else { throw CompetitionsError(.notAllowed, "\(competitionID): finished") }
            guard try Self.personExists(author, in: db) else {
                throw CompetitionsError(.notFound, "author: \"\(author)\" is not on the roll; add or import the person first")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM official WHERE competition = ? AND person = ?", arguments: [competitionID, author]) ?? false {
                throw CompetitionsError(.notAllowed, "author: \(author) is an official of \(competitionID); jurors may not enter")
            }
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM selection WHERE competition = ?", arguments: [competitionID]) == 0 else {
                throw CompetitionsError(.notAllowed, "\(competitionID): judging has begun; no more works")
            }
            try db.execute(sql: """
                INSERT INTO work (competition, id, author, title) VALUES (?, ?, ?, ?)
                ON CONFLICT (competition, id) DO UPDATE SET author = excluded.author, title = excluded.title
                """, arguments: [competitionID, id, author, title])
            try Self.markDirty(competitionID, in: db)
        }
    }

    /// Recuses a juror from the works of `author` (own work, same unit, student, relative), or from one work.
    @discardableResult
    public func recuse(juror: String, fromWorksOf author: String? = nil, work: String? = nil, reason: String,
                       in competitionID: String) throws -> Int {
        try write { db in
            _ = try Self.require(competitionID, in: db)
            let works = try work.map { [$0] } ?? String.fetchAll(db, sql: "SELECT id FROM work WHERE competition = ? AND author = ?",
                                                                  arguments: [competitionID, author ?? ""])
            guard !works.isEmpty else { throw CompetitionsError(.notFound, "work: no such work in \(competitionID)") }
            for work in works {
                try db.execute(sql: "INSERT OR REPLACE INTO recusal (competition, juror, work, reason) VALUES (?, ?, ?, ?)",
                               arguments: [competitionID, juror, work, reason])
            }
            return works.count
        }
    }

    /// Seals the next selection round of an exhibition: the works still in are ranked by their
    /// jurors' latest scores (recused jurors not counted) and the round's quota kept, ties at the
    /// cut-off by lot from the competition's seed plus the round. Returns the works kept.
    @discardableResult
    public func selectRound(_ competitionID: String, at: Date = Date()) throws -> (round: Int, selected: [String], byLot: Bool) {
        try write { db in
            let competition = try Self.require(competitionID, in: db)
            guard competition.format == .exhibition, competition.status == .running else {
                throw CompetitionsError(.notAllowed, "\(competitionID): only a running exhibition selects works")
            }
            let done = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM selection WHERE competition = ?", arguments: [competitionID]) ?? 0
            guard done < competition.quotas.count else {
                throw CompetitionsError(.notAllowed, "\(competitionID): all \(done) rounds are sealed")
            }
            let round = done + 1
            let works = try String.fetchAll(db, sql: "SELECT id FROM work WHERE competition = ? AND reached = ? ORDER BY id",
                                            arguments: [competitionID, done])
            let latest = try Self.latestScores(competitionID, in: db)
            let ballots = works.flatMap { work in
                (latest[work] ?? [:]).map { JurySelection.Ballot(juror: $0.key, work: work, score: $0.value) }
            }
            let recused = Set(try Row.fetchAll(db, sql: "SELECT juror, work FROM recusal WHERE competition = ?", arguments: [competitionID])
                .map { [$0["juror"] as String, $0["work"] as String] })
            let seed = competition.seed &+ UInt64(round)
            let (selected, byLot) = JurySelection.select(works: works, ballots: ballots, recused: recused,
                                                         quota: competition.quotas[done], seed: seed)
            for work in selected {
                try db.execute(sql: "UPDATE work SET reached = ? WHERE competition = ? AND id = ?", arguments: [round, competitionID, work])
            }
            try db.execute(sql: "INSERT INTO selection (competition, round, quota, seed, by_lot, sealed_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [competitionID, round, competition.quotas[done], Int64(bitPattern: seed), byLot, at.unixMilliseconds])
            try Self.markDirty(competitionID, in: db)
            return (round, selected, byLot)
        }
    }
}
