import Foundation
import Testing
import WanxiaContract
import WanxiaTesting
@testable import WanxiaVolunteers

@Suite("The demo half-year of volunteer teams")
struct VolunteersDemoTests {
    @Test("is the same from the same seed, pairs every check-in with a check-out, and stays in its half-year")
    func deterministicAndConsistent() async throws {
        try await TemporaryDirectory.with { folder in
            let start = t("2026-01-01T00:00")
            let end = t("2026-07-01T00:00")
            let first = try VolunteersStore(path: folder.appendingPathComponent("a.sqlite").path)
            let second = try VolunteersStore(path: folder.appendingPathComponent("b.sqlite").path)
            let observations = try VolunteersDemo.plan(into: first, halfYearStarting: start, seed: 7)
            #expect(try VolunteersDemo.plan(into: second, halfYearStarting: start, seed: 7) == observations)
            #expect(try first.teams().count == 6)
            #expect(try first.volunteers().count == 60)
            let activities = try first.activities()
            #expect(activities.count == 6 * 6 * 2)
            #expect(activities.allSatisfy { $0.start >= start && $0.end < end })
            #expect(observations.map(\.at) == observations.map(\.at).sorted())
            var open: [String: Date] = [:]
            for observation in observations {
                switch observation.body {
                case .checkin(let scan):
                    #expect(open[scan.activity + scan.card] == nil)
                    open[scan.activity + scan.card] = observation.at
                case .checkout(let scan):
                    let checkin = open.removeValue(forKey: scan.activity + scan.card)
                    #expect(checkin.map { observation.at > $0 } == true, "a check-out without its check-in")
                default:
                    Issue.record("unexpected observation \(observation.body.type)")
                }
            }
            #expect(open.isEmpty)
        }
    }
}
