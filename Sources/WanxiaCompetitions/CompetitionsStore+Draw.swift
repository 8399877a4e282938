import Foundation
import GRDB
import WanxiaContract

extension CompetitionsStore {
    /// Closes registration and makes the draw from the competition's recorded seed: pairing
    /// numbers (seeds first, the rest by lot), then the fixtures of the format (all rounds of a round
    /// robin, the whole knockout bracket, Swiss round 1; none for judged events and exhibitions).
    @discardableResult
    public func draw(_ competitionID: String) throws -> [Fixture] {
        try write { db in
            var competition = try Self.require(competitionID, in: db)
            guard competition.status == .registration else {
                throw CompetitionsError(.notAllowed, "\(competitionID): the draw was already made")
            }
            let entrants = try Self.entrants(competitionID, in: db).filter { $0.status == .registered }
            let minimum = competition.format == .exhibition ? 0 : 2
            guard entrants.count >= minimum else {
                throw CompetitionsError(.notAllowed, "\(competitionID): \(entrants.count) entrant(s); at least \(minimum) are needed")
            }
            let seeded = entrants.filter { $0.seed != nil }.sorted { ($0.seed ?? 0, $0.id) < ($1.seed ?? 0, $1.id) }
            var unseeded = entrants.filter { $0.seed == nil }.sorted { $0.id < $1.id }
            var random = SeededRandom(seed: competition.seed)
            random.shuffle(&unseeded)
            let ordered = seeded + unseeded
            for (index, entrant) in ordered.enumerated() {
                try db.execute(sql: "UPDATE entrant SET number = ? WHERE competition = ? AND id = ?",
                               arguments: [index + 1, competitionID, entrant.id])
            }
            try db.execute(sql: "DELETE FROM entrant WHERE competition = ? AND status <> 'registered' AND number IS NULL",
                           arguments: [competitionID])
            let ids = ordered.map(\.id)
            var fixtures: [Fixture] = []
            switch competition.format {
            case .roundRobin, .doubleRoundRobin:
                for round in BergerTable.rounds(players: ids.count, double: competition.format == .doubleRoundRobin) {
                    fixtures += round.map { Self.fixture($0, ids) }
                }
            case .swiss:
                if competition.rounds == nil {
                    var rounds = 1
                    while 1 << rounds < ids.count { rounds += 1 }
                    competition.rounds = rounds
                }
                let players = ids.indices.map { SwissPairing.Player(number: $0 + 1) }
                guard let round = SwissPairing.pair(players, round: 1, colours: competition.hasColours) else {
                    throw CompetitionsError(.notAllowed, "\(competitionID): no Swiss pairing exists")
                }
                fixtures = round.map { Self.fixture($0, ids) }
            case .knockout:
                fixtures = Self.bracket(ordered, seeded: seeded.count, competition: competition)
            case .judged, .exhibition:
                break
            }
            for fixture in fixtures { try Self.save(fixture, of: competitionID, in: db) }
            competition.status = .running
            try Self.save(competition, in: db)
            try progress(competitionID, at: Date(), in: db)
            return try Self.fixtures(competitionID, in: db)
        }
    }

    /// Withdraws an entrant, or marks it a no-show: its matches not yet decided are lost by forfeit
    /// (later knockout matches as soon as its side is known), and Swiss rounds pair without it.
    /// Before the draw the registration is simply removed.
    public func withdraw(entrant: String, from competitionID: String, noShow: Bool = false, at: Date = Date()) throws {
        try write { db in
            let competition = try Self.require(competitionID, in: db)
            guard let status = try String.fetchOne(db, sql: "SELECT status FROM entrant WHERE competition = ? AND id = ?",
                                                   arguments: [competitionID, entrant]) else {
                throw CompetitionsError(.notFound, "entrant: \"\(entrant)\" is not entered in \(competitionID)")
            }
            guard status == Entrant.Status.registered.rawValue else {
                throw CompetitionsError(.notAllowed, "entrant: \(entrant) is already \(status)")
            }
            if competition.status == .registration {
                try db.execute(sql: "DELETE FROM member WHERE competition = ? AND entrant = ?", arguments: [competitionID, entrant])
                try db.execute(sql: "DELETE FROM entrant WHERE competition = ? AND id = ?", arguments: [competitionID, entrant])
            } else {
                guard competition.status == .running else { throw CompetitionsError(.notAllowed, "\(competitionID): already finished") }
                try db.execute(sql: "UPDATE entrant SET status = ? WHERE competition = ? AND id = ?",
                               arguments: [noShow ? Entrant.Status.noShow.rawValue : Entrant.Status.withdrawn.rawValue, competitionID, entrant])
                try progress(competitionID, at: at, in: db)
            }
            try Self.markDirty(competitionID, in: db)
        }
    }

    /// Moves the competition on after a change: forfeits for entrants who left, knockout sides from
    /// decided matches, the next Swiss round once a round is complete, and the finish (with its
    /// records) once every match is decided.
    func progress(_ competitionID: String, at: Date, in db: Database) throws {
        var competition = try Self.require(competitionID, in: db)
        guard competition.status == .running, competition.format.hasMatches else { return }
        let gone = Set(try String.fetchAll(db, sql: "SELECT id FROM entrant WHERE competition = ? AND status <> 'registered'",
                                           arguments: [competitionID]))
        var changed = true
        while changed {
            changed = false
            var fixtures = try Self.fixtures(competitionID, in: db)
            let byID = Dictionary(uniqueKeysWithValues: fixtures.map { ($0.id, $0) })
            func side(_ source: String?) -> String? {
                guard let source, let fixture = byID[String(source.dropFirst(2))] else { return nil }
                return source.hasPrefix("W:") ? fixture.winner : fixture.loser
            }
            for index in fixtures.indices {
                var fixture = fixtures[index]
                guard fixture.status != .decided else { continue }
                if fixture.homeFrom != nil || fixture.awayFrom != nil {
                    fixture.home = side(fixture.homeFrom) ?? (fixture.homeFrom == nil ? fixture.home : nil)
                    fixture.away = side(fixture.awayFrom) ?? (fixture.awayFrom == nil ? fixture.away : nil)
                    fixture.status = fixture.home != nil && fixture.away != nil ? (fixture.status == .provisional ? .provisional : .scheduled) : .pending
                    // A side fed by a bye's loser never comes: the other side goes through.
                    func empty(_ source: String?) -> Bool {
                        guard let source, let feeder = byID[String(source.dropFirst(2))] else { return false }
                        return feeder.status == .decided && side(source) == nil
                    }
                    if fixture.status == .pending, empty(fixture.homeFrom) || empty(fixture.awayFrom),
                       fixture.home != nil || fixture.away != nil || (empty(fixture.homeFrom) && empty(fixture.awayFrom)) {
                        fixture.home = fixture.home ?? fixture.away
                        fixture.away = nil
                        fixture.outcome = .bye
                        fixture.status = .decided
                    }
                }
                if let home = fixture.home, let away = fixture.away, gone.contains(home) || gone.contains(away) {
                    fixture.outcome = gone.contains(home) ? .forfeitHome : .forfeitAway
                    fixture.homeScore = 0
                    fixture.awayScore = 0
                    fixture.status = .decided
                    fixture.referee = nil
                    fixture.confirmedBy = nil
                    fixture.result = nil
                }
                if fixture != fixtures[index] {
                    fixtures[index] = fixture
                    try Self.save(fixture, of: competitionID, in: db)
                    changed = true
                }
            }
        }
        let fixtures = try Self.fixtures(competitionID, in: db)
        guard fixtures.allSatisfy({ $0.status == .decided }) else { return }
        if competition.format == .swiss, let rounds = competition.rounds, let last = fixtures.map(\.round).max(), last < rounds {
            try pairSwiss(&competition, round: last + 1, fixtures: fixtures, gone: gone, in: db)
            try Self.markDirty(competitionID, in: db)
            return
        }
        try finish(competitionID, at: at, in: db)
    }

    /// Pairs Swiss round `round` from the decided games, without entrants who left.
    private func pairSwiss(_ competition: inout Competition, round: Int, fixtures: [Fixture], gone: Set<String>, in db: Database) throws {
        let entrants = try Self.entrants(competition.id, in: db)
        let games = fixtures.compactMap(\.game)
        let active = entrants.filter { !gone.contains($0.id) }
        let numberOf = Dictionary(uniqueKeysWithValues: entrants.compactMap { entrant in entrant.number.map { (entrant.id, $0) } })
        let players = active.compactMap { entrant -> SwissPairing.Player? in
            guard let number = entrant.number else { return nil }
            let own = games.filter { $0.home == entrant.id || $0.away == entrant.id }.sorted { $0.round < $1.round }
            let played = own.filter { $0.away != nil }
            return SwissPairing.Player(
                number: number, score: own.reduce(0) { $0 + $1.points(of: entrant.id, competition.points) },
                opponents: Set(played.compactMap { $0.opponent(of: entrant.id) }.compactMap { numberOf[$0] }),
                hadBye: own.contains { $0.away == nil },
                colourBalance: played.reduce(0) { $0 + ($1.home == entrant.id ? 1 : -1) },
                lastHome: played.last.map { $0.home == entrant.id })
        }
        let ids = Dictionary(uniqueKeysWithValues: entrants.compactMap { entrant in entrant.number.map { ($0, entrant.id) } })
        guard let pairings = SwissPairing.pair(players, round: round, colours: competition.hasColours) else {
            competition.rounds = round - 1
            try Self.save(competition, in: db)
            try finish(competition.id, at: Date(), in: db)
            return
        }
        for pairing in pairings {
            let home = ids[pairing.home]
            let away = pairing.away.flatMap { ids[$0] }
            try Self.save(Fixture(id: "r\(round)-b\(pairing.board)", round: round, board: pairing.board, home: home, away: away,
                                  status: away == nil ? .decided : .scheduled, outcome: away == nil ? .bye : nil),
                          of: competition.id, in: db)
        }
    }

    /// The fixture of a pairing, by pairing numbers into `ids`; a bye is decided at once.
    static func fixture(_ pairing: Pairing, _ ids: [String]) -> Fixture {
        let away = pairing.away.map { ids[$0 - 1] }
        return Fixture(id: "r\(pairing.round)-b\(pairing.board)", round: pairing.round, board: pairing.board,
                       home: ids[pairing.home - 1], away: away, status: away == nil ? .decided : .scheduled,
                       outcome: away == nil ? .bye : nil)
    }

    /// The whole knockout bracket: round 1 from the draw (a bye decided at once), later rounds fed by
    /// winners, and the third-place match by the semi-finals' losers.
    static func bracket(_ ordered: [Entrant], seeded: Int, competition: Competition) -> [Fixture] {
        let slots = KnockoutBracket.draw(units: ordered.map(\.unit), protectedSeeds: seeded,
                                         separateUnits: competition.separateUnits, seed: competition.seed)
        let size = slots.count
        var rounds = 0
        while 1 << rounds < size { rounds += 1 }
        var fixtures: [Fixture] = []
        for match in 0..<(size / 2) {
            let home = slots[2 * match].map { ordered[$0].id }
            let away = slots[2 * match + 1].map { ordered[$0].id }
            let bye = home == nil || away == nil
            fixtures.append(Fixture(id: "r1-m\(match + 1)", round: 1, board: match + 1, home: home ?? away, away: bye ? nil : away,
                                    status: bye ? .decided : .scheduled, outcome: bye ? .bye : nil))
        }
        if rounds >= 2 {
            for round in 2...rounds {
                for match in 0..<(size >> round) {
                    fixtures.append(Fixture(id: "r\(round)-m\(match + 1)", round: round, board: match + 1, home: nil, away: nil,
                                            homeFrom: "W:r\(round - 1)-m\(2 * match + 1)", awayFrom: "W:r\(round - 1)-m\(2 * match + 2)",
                                            status: .pending))
                }
            }
            if competition.thirdPlace {
                fixtures.append(Fixture(id: "r\(rounds)-third", round: rounds, board: 2, home: nil, away: nil,
                                        homeFrom: "L:r\(rounds - 1)-m1", awayFrom: "L:r\(rounds - 1)-m2", status: .pending))
            }
        }
        return fixtures
    }
}
