import Foundation
import GRDB
import Testing
import WanxiaContract
import WanxiaDelivery
@testable import WanxiaCompetitions

@Suite("The demo half-year")
struct CompetitionsDemoTests {
    @Test("the same seed plans the same half-year; replayed through the ingest, every observation is taken and all four finish")
    func replay() throws {
        let book = try Book()
        defer { book.remove() }
        let observations = try CompetitionsDemo.plan(into: book.store, from: t("2024-01-01T00:00"), seed: 42)
        let again = try Book()
        defer { again.remove() }
        #expect(try CompetitionsDemo.plan(into: again.store, from: t("2024-01-01T00:00"), seed: 42) == observations)
        #expect(observations.filter { $0.site == "gateball-court" }.count == 15)
        #expect(observations.filter { $0.site == "tt-hall" }.count == 16)   // 8 + 4 + 2 + final + third place
        #expect(observations.filter { $0.site == "auditorium" }.count == 60)
        #expect(observations.filter { $0.site == "gallery" }.count == 178)

        let ingest = CompetitionsIngest(store: book.store)
        for (index, observation) in observations.enumerated() {
            let raw = try Item(seq: Int64(index + 1), at: observation.at, body: observation.body).raw()
            try book.store.database.write { db in try ingest.apply(raw: raw, from: observation.site, in: db) }
        }
        try CompetitionsDemo.close(book.store, at: t("2024-06-30T12:00"))
        for id in [CompetitionsDemo.gateball, CompetitionsDemo.tableTennis, CompetitionsDemo.singing, CompetitionsDemo.calligraphy] {
            #expect(try book.store.competition(id).status == .finished, "\(id)")
        }
        let records = try book.participations()
        func count(_ event: String, _ role: String) -> Int { records.filter { $0.event == event && $0.role == role }.count }
        #expect(count(CompetitionsDemo.gateball, "player") == 30 && count(CompetitionsDemo.gateball, "referee") == 2)
        #expect(count(CompetitionsDemo.tableTennis, "player") == 16 && count(CompetitionsDemo.tableTennis, "referee") == 1)
        #expect(count(CompetitionsDemo.singing, "player") == 12 && count(CompetitionsDemo.singing, "judge") == 5)
        #expect(count(CompetitionsDemo.calligraphy, "player") == 30 && count(CompetitionsDemo.calligraphy, "juror") == 3)
        let exhibition = try book.records().compactMap { if case .event(let event) = $0, event.event == CompetitionsDemo.calligraphy { event } else { nil } }
        #expect(exhibition.first?.counts == EventRecord.Counts(worksSubmitted: 60, worksSelected: 20))
        #expect(try records.allSatisfy { record in try record.validate(); return true })
    }

    @Test("printouts: the knockout bracket and standings in text and HTML, names escaped")
    func printouts() throws {
        let book = try Book()
        defer { book.remove() }
        let competition = try book.addTableTennis(count: 5, thirdPlace: false)
        try book.store.register(Entrant(id: "T05", name: "<b>选手5</b>", members: ["T05"]), in: competition.id)
        try book.store.draw(competition.id)
        let fixtures = try book.store.fixtures(of: competition.id)
        let names = Dictionary(uniqueKeysWithValues: try book.store.entrants(of: competition.id).map { ($0.id, $0.name) })
        let text = Printout.fixtures(try book.store.competition(competition.id), fixtures, names: names)
        #expect(text.contains("轮空 bye") && text.contains("胜者 winner r1-m"))
        let html = Printout.html(try book.store.competition(competition.id), fixtures, try book.store.leaderboard(competition.id), names: names)
        #expect(html.contains("&lt;b&gt;选手5&lt;/b&gt;") && !html.contains("<b>选手5"))
        #expect(html.contains("class=\"bracket\""))
        let sheets = Printout.scoreSheets(try book.store.competition(competition.id), fixtures, entrants: try book.store.entrants(of: competition.id),
                                          names: names, round: 1)
        #expect(sheets.components(separatedBy: "记分表").count - 1 == fixtures.filter { $0.round == 1 && $0.away != nil }.count)
    }
}
