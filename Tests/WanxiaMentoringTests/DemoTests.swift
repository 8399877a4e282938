import Foundation
import Testing
import WanxiaContract
import WanxiaDelivery
import WanxiaTesting
@testable import WanxiaMentoring

@Suite("The demo half-year")
struct DemoTests {
    /// Plans the demo into a fresh folder and applies its phone observations as the inbox would.
    static func run(seed: UInt64) throws -> (figures: MentoringFigures, observations: [ScriptedObservation], rejected: [String]) {
        let folder = try TemporaryDirectory.make(prefix: "wanxia-mentoring-demo")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try MentoringStore(path: folder.appendingPathComponent("mentoring.sqlite").path)
        let identities = try IdentityStore(path: folder.appendingPathComponent("mentoring-identity.sqlite").path,
                                           access: IdentityAccess(role: .identityOfficer, actor: "S-01"))
        let start = t("2024-01-01T00:00")
        let observations = try MentoringDemo.plan(seed: seed, start: start, store: store, identities: identities)
        let ingest = MentoringIngest(ledger: store.ledger)
        var rejected: [String] = []
        for (index, observation) in observations.enumerated() {
            let raw = try Item(seq: Int64(index + 1), at: observation.at, body: observation.body).raw()
            do {
                try store.database.write { db in try ingest.apply(raw: raw, from: observation.site, in: db) }
            } catch let rejection as Rejection {
                rejected.append(rejection.description)
            }
        }
        return (try store.figures(from: start, to: t("2024-07-01T00:00")), observations, rejected)
    }

    @Test("every planned meeting is accepted, the figures look like a bureau's half-year, and the seed decides it all")
    func halfYear() throws {
        let first = try Self.run(seed: 7)
        #expect(first.rejected.isEmpty)
        #expect(first.figures.pairsActive == 24 && first.figures.mentorsActive == 12 && first.figures.youngPeopleHelped == 20)
        #expect(first.figures.pairsClosed == ["graduated": 1, "moved": 1, "mentor-unavailable": 1])
        #expect(first.figures.talksHeld == 6 && first.figures.studentsSponsored == 8)
        #expect(first.figures.meetings == first.observations.count && first.observations.count > 150)
        #expect(Set(first.observations.map(\.site)).count == 12)
        let again = try Self.run(seed: 7)
        #expect(again.observations == first.observations)
        #expect(try Self.run(seed: 8).observations != first.observations)
    }
}
