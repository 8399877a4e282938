import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaDelivery
@testable import WanxiaCompetitions

@Suite("The competitions store: registration, draws, results, forfeits, records")
struct CompetitionsStoreTests {
    @Test("registration checks capacity, members, eligibility and double entry; closes at the draw")
    func registration() throws {
        let book = try Book()
        defer { book.remove() }
        let competition = try book.addGateball()
        try book.store.addPerson(id: "X-1", name: "外单位")
        #expect(throws: CompetitionsError.self) {
            try book.store.register(Entrant(id: "short", name: "少一人", members: ["X-1"]), in: competition.id)
        }
        #expect(throws: CompetitionsError.self) {
            try book.store.register(Entrant(id: "dup", name: "重复", members: ["G1-1", "G2-2", "G2-3", "G2-4", "G2-5"]), in: competition.id)
        }
        #expect(throws: CompetitionsError.self) {
            try book.store.register(Entrant(id: "ghost", name: "无名", members: ["N-1", "N-2", "N-3", "N-4", "N-5"]), in: competition.id)
        }
        var limited = Competition(id: "units-only", title: "系统内比赛", kind: "象棋赛", game: "chinese-chess", format: .swiss,
                                  units: ["east街道"], site: "hall", start: t("2024-05-01T09:00"), end: t("2024-05-01T17:00"))
        limited.capacity = 2
        try book.store.create(limited)
        try book.store.register(Entrant(id: "G1-1", name: "甲", members: ["G1-1"]), in: limited.id)
        #expect(throws: CompetitionsError.self) { try book.store.register(Entrant(id: "X-1", name: "外", members: ["X-1"]), in: limited.id) }
        try book.store.register(Entrant(id: "G1-2", name: "乙", members: ["G1-2"]), in: limited.id)
        #expect(throws: CompetitionsError.self) { try book.store.register(Entrant(id: "G1-3", name: "丙", members: ["G1-3"]), in: limited.id) }

        try book.store.draw(competition.id)
        #expect(throws: CompetitionsError.self) {
            try book.store.register(Entrant(id: "late", name: "迟到", members: ["X-1", "G1-1", "G1-2", "G1-3", "G1-4"]), in: competition.id)
        }
    }

    @Test("a round robin of six is the Berger table over the numbers drawn, the same from the same seed")
    func roundRobinDraw() throws {
        let book = try Book()
        defer { book.remove() }
        let competition = try book.addGateball()
        let fixtures = try book.store.draw(competition.id)
        #expect(fixtures.count == 15 && Set(fixtures.map(\.round)) == Set(1...5))
        let numbers = Dictionary(uniqueKeysWithValues: try book.store.entrants(of: competition.id).map { ($0.id, $0.number ?? 0) })
        let expected = BergerTable.rounds(players: 6).flatMap { $0 }.map(\.description)
        #expect(fixtures.map { "\(numbers[$0.home ?? ""] ?? 0)-\(numbers[$0.away ?? ""] ?? 0)" } == expected)

        let other = try Book()
        defer { other.remove() }
        _ = try other.addGateball()
        #expect(try other.store.draw(competition.id).map { "\($0.home ?? "")-\($0.away ?? "")" }
                == fixtures.map { "\($0.home ?? "")-\($0.away ?? "")" })
    }

    @Test("confirmation by a second official, a correction superseding a result, and refusals")
    func resultsAndCorrections() throws {
        let book = try Book()
        defer { book.remove() }
        let competition = try book.addGateball(needsConfirmation: true)
        let first = try #require(try book.store.draw(competition.id).first)
        let id = competition.id
        #expect(book.rejection(MatchResult(competition: "nope", match: first.id, homeScore: 1, awayScore: 0, outcome: nil, referee: "R-01"))?.code == .unknownCompetition)
        #expect(book.rejection(MatchResult(competition: id, match: "r9-b9", homeScore: 1, awayScore: 0, outcome: nil, referee: "R-01"))?.code == .unknownMatch)
        #expect(book.rejection(MatchResult(competition: id, match: first.id, homeScore: 1, awayScore: 0, outcome: nil, referee: "R-99"))?.code == .unknownPerson)
        #expect(book.rejection(MatchResult(competition: id, match: first.id, homeScore: 1, awayScore: 0, outcome: nil, referee: "R-01", confirmedBy: "R-01"))?.code == .invalidField)

        _ = try book.apply(MatchResult(competition: id, match: first.id, homeScore: 18, awayScore: 12, outcome: nil, referee: "R-01"))
        var fixture = try #require(try book.store.fixtures(of: id).first)
        #expect(fixture.status == .provisional)
        #expect(try book.store.leaderboard(id).rows.allSatisfy { $0.score == "0" })

        let confirmed = try book.apply(MatchResult(competition: id, match: first.id, homeScore: 18, awayScore: 12, outcome: nil,
                                                   referee: "R-01", confirmedBy: "R-02"))
        fixture = try #require(try book.store.fixtures(of: id).first)
        #expect(fixture.status == .decided && fixture.winner == first.home)
        #expect(book.rejection(MatchResult(competition: id, match: first.id, homeScore: 12, awayScore: 18, outcome: nil,
                                           referee: "R-01", confirmedBy: "R-02"))?.code == .alreadyDecided)

        _ = try book.apply(MatchResult(competition: id, match: first.id, homeScore: 12, awayScore: 18, outcome: nil,
                                       referee: "R-01", confirmedBy: "R-02", supersedes: confirmed))
        fixture = try #require(try book.store.fixtures(of: id).first)
        #expect(fixture.winner == first.away && fixture.homeScore == 12)
        let top = try #require(try book.store.leaderboard(id).rows.first)
        #expect(top.entrant == first.away && top.score == "2")
        let history = try book.store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT superseded_by IS NOT NULL AS old FROM result WHERE match = ? ORDER BY at, rowid", arguments: [first.id])
                .map { $0["old"] as Bool }
        }
        #expect(history == [true, true, false])
    }

    @Test("a knockout of 16: seeds apart, byes to the top seeds in a field of 13, a withdrawal forfeits, the champion and records")
    func knockout() throws {
        let book = try Book()
        defer { book.remove() }
        let competition = try book.addTableTennis(count: 13)
        let fixtures = try book.store.draw(competition.id)
        let first = fixtures.filter { $0.round == 1 }
        #expect(first.count == 8)
        #expect(first.filter { $0.outcome == .bye }.compactMap(\.home).sorted() == ["T01", "T02", "T03"])
        #expect(first[0].home == "T01" && first[4].home == "T02")
        #expect(fixtures.count == 8 + 4 + 2 + 1 + 1)

        try book.store.withdraw(entrant: "T13", from: competition.id)
        var decided = 0
        while let next = try book.store.fixtures(of: competition.id).first(where: { $0.status == .scheduled }) {
            // The lower pairing number wins 3:1.
            let numbers = Dictionary(uniqueKeysWithValues: try book.store.entrants(of: competition.id).map { ($0.id, $0.number ?? 0) })
            let homeWins = (numbers[next.home ?? ""] ?? 0) < (numbers[next.away ?? ""] ?? 0)
            _ = try book.apply(MatchResult(competition: competition.id, match: next.id, homeScore: homeWins ? 3 : 1,
                                           awayScore: homeWins ? 1 : 3, outcome: nil, referee: "R-TT"))
            decided += 1
        }
        let final = try book.store.fixtures(of: competition.id)
        #expect(final.allSatisfy { $0.status == .decided })
        #expect(final.first { $0.id == "r4-m1" }?.winner == "T01")
        #expect(final.first { $0.id == "r4-m1" }?.loser == "T02")
        #expect(final.first { $0.id == "r4-third" }.map { [$0.home, $0.away].compactMap { $0 }.sorted() } == ["T03", "T04"])
        #expect(final.contains { $0.home == "T13" || $0.away == "T13" ? $0.game?.played == false : false })
        #expect(try book.store.competition(competition.id).status == .finished)
        #expect(try book.store.leaderboard(competition.id).rows.prefix(3).map(\.entrant) == ["T01", "T02", "T03"])

        let records = try book.participations()
        #expect(records.filter { $0.role == "player" }.count == 13)
        #expect(records.first { $0.person == "T13" }?.status == "no-show")
        #expect(records.first { $0.person == "T13" }?.hours == 0)
        #expect(records.filter { $0.status == "played" }.allSatisfy { $0.hours == 4 && $0.team == nil })
        #expect(records.filter { $0.role == "referee" }.map(\.person) == ["R-TT"])
        let events = try book.records().compactMap { if case .event(let event) = $0 { event } else { nil } }
        #expect(events.map(\.event) == [competition.id] && events.first?.kind == "乒乓球赛")
    }

    @Test("a Swiss of seven pairs round by round without repeats, with one bye each at most, and finishes")
    func swiss() throws {
        let book = try Book()
        defer { book.remove() }
        try book.store.addPerson(id: "ARB", name: "裁判长")
        let competition = Competition(id: "xiangqi-2024", title: "象棋积分编排赛", kind: "象棋赛", game: "chinese-chess", format: .swiss,
                                      site: "chess-room", start: t("2024-09-01T09:00"), end: t("2024-09-02T17:00"), seed: 99, rounds: 4, hours: 3)
        try book.store.create(competition)
        for number in 1...7 {
            try book.store.addPerson(id: "X\(number)", name: "棋手\(number)")
            try book.store.register(Entrant(id: "X\(number)", name: "棋手\(number)", seed: number, members: ["X\(number)"]), in: competition.id)
        }
        try book.store.draw(competition.id)
        while let next = try book.store.fixtures(of: competition.id).first(where: { $0.status == .scheduled }) {
            _ = try book.apply(MatchResult(competition: competition.id, match: next.id, homeScore: 1, awayScore: 1, outcome: .draw, referee: "ARB"))
        }
        let fixtures = try book.store.fixtures(of: competition.id)
        #expect(Set(fixtures.map(\.round)) == [1, 2, 3, 4])
        let pairs = fixtures.compactMap { fixture in fixture.away.map { Set([fixture.home ?? "", $0]) } }
        #expect(Set(pairs).count == pairs.count, "a pairing repeated")
        let byes = fixtures.filter { $0.outcome == .bye }.compactMap(\.home)
        #expect(byes.count == 4 && Set(byes).count == 4)
        #expect(try book.store.competition(competition.id).status == .finished)
        // All drew every game: 2 points per bye (a win) plus 1 per draw.
        #expect(try book.store.leaderboard(competition.id).rows.map(\.score).allSatisfy { ["4", "5"].contains($0) })
    }

    @Test("a judged singing contest: five judges, trimmed mean, the final rounded only at the end")
    func judged() throws {
        let book = try Book()
        defer { book.remove() }
        let competition = Competition(id: "singing-2024", title: "老干部歌咏比赛", kind: "歌咏比赛", game: "singing", format: .judged,
                                      site: "auditorium", start: t("2024-07-01T14:00"), end: t("2024-07-01T17:00"), seed: 5, hours: 3)
        try book.store.create(competition)
        for judge in 1...5 { try book.store.addPerson(id: "J\(judge)", name: "评委\(judge)") }
        for singer in ["S1", "S2", "S3"] {
            try book.store.addPerson(id: singer, name: "歌手\(singer)")
            try book.store.register(Entrant(id: singer, name: "歌手\(singer)", members: [singer]), in: competition.id)
        }
        try book.store.draw(competition.id)
        let scores: [String: [Double]] = ["S1": [9.1, 9.3, 9.2, 8.0, 9.9], "S2": [9.5, 9.4, 9.6, 9.5, 9.45], "S3": [8.8, 8.9, 9.0, 8.85, 8.95]]
        for (singer, list) in scores {
            for (index, score) in list.enumerated() {
                try book.store.record(JudgeScore(competition: competition.id, entrant: singer, judge: "J\(index + 1)", score: score))
            }
        }
        // S2: drop 9.4 and 9.6 -> (9.5 + 9.5 + 9.45) / 3 = 9.4833 -> 9.48; S1: (9.1 + 9.3 + 9.2) / 3 = 9.2; S3: (8.85 + 8.9 + 8.95) / 3 = 8.9.
        let board = try book.store.leaderboard(competition.id)
        #expect(board.rows.map(\.entrant) == ["S2", "S1", "S3"])
        #expect(board.rows.map(\.score) == ["9.48", "9.2", "8.9"])
        try book.store.finish(competition.id)
        let records = try book.participations()
        #expect(records.filter { $0.role == "judge" }.count == 5)
        #expect(records.filter { $0.role == "player" && $0.status == "played" }.count == 3)
    }

    @Test("a calligraphy exhibition: 60 anonymous works, two rounds with quotas, recusal, counts on the event")
    func exhibition() throws {
        let book = try Book()
        defer { book.remove() }
        let competition = Competition(id: "calligraphy-2024", title: "老干部书法展", kind: "书法展", game: "calligraphy", format: .exhibition,
                                      site: "gallery", start: t("2024-10-01T09:00"), end: t("2024-10-07T17:00"), seed: 11, quotas: [40, 20])
        try book.store.create(competition)
        for juror in 1...3 {
            try book.store.addPerson(id: "JR\(juror)", name: "评委\(juror)")
            try book.store.appoint(person: "JR\(juror)", role: "juror", in: competition.id)
        }
        #expect(throws: CompetitionsError.self) { try book.store.submitWork(id: "W-JR", author: "JR1", title: "评委作品", to: competition.id) }
        for author in 1...30 {
            try book.store.addPerson(id: "A\(author)", name: "作者\(author)")
            for piece in 1...2 { try book.store.submitWork(id: "W\(author * 10 + piece)", author: "A\(author)", title: "作品", to: competition.id) }
        }
        #expect(try book.store.recuse(juror: "JR1", fromWorksOf: "A1", reason: "师生", in: competition.id) == 2)
        try book.store.draw(competition.id)
        #expect(throws: Rejection.self) {
            try book.store.record(JudgeScore(competition: competition.id, entrant: "W11", judge: "JR1", score: 10))
        }
        // Score = author number mod 7 + piece, so the ranking is known; JR1 is kept off A1's works.
        for author in 1...30 {
            for piece in 1...2 {
                for juror in 1...3 where !(juror == 1 && author == 1) {
                    try book.store.record(JudgeScore(competition: competition.id, entrant: "W\(author * 10 + piece)", judge: "JR\(juror)",
                                                     score: Double(author % 7 + piece)))
                }
            }
        }
        let first = try book.store.selectRound(competition.id)
        #expect(first.round == 1 && first.selected.count == 40)
        let second = try book.store.selectRound(competition.id)
        #expect(second.selected.count == 20)
        #expect(second.selected.allSatisfy { Set(first.selected).contains($0) })
        let minimum = second.selected.map { work -> Int in let n = Int(work.dropFirst()) ?? 0; return (n / 10) % 7 + n % 10 }.min() ?? 0
        #expect(minimum >= 6, "a work scoring below the cut-off was selected")
        #expect(throws: CompetitionsError.self) { try book.store.selectRound(competition.id) }
        try book.store.finish(competition.id)
        let event = try book.records().compactMap { if case .event(let event) = $0 { event } else { nil } }.first
        #expect(event?.counts?.worksSubmitted == 60 && event?.counts?.worksSelected == 20)
        let records = try book.participations()
        #expect(records.filter { $0.role == "player" }.count == 30)
        #expect(records.filter { $0.role == "juror" }.count == 3)
    }
}
