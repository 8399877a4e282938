import Foundation
import GRDB
import Testing
import WanxiaBroker
import WanxiaContract
import WanxiaDelivery
import WanxiaDeliveryTesting
import WanxiaTesting

/// A site offline for a day, killed and restarted while offline, then back online: every swipe of
/// the day is delivered once.
///
/// The site runs as it would at a bureau, as child processes of the built `wanxia`: the agent
/// (`site run`) and the card reader's exports fed in with `site import-swipes` (the way swipes
/// with their own times reach a site). While offline, the agent is SIGKILLed at three seeded
/// moments while an export is being imported, three imports are SIGKILLed part-way, and the agent
/// is killed once more before the broker returns.
///
/// Two sizes, because a debug build is slow end to end: 10,000 swipes (5,000 volunteers, one stay
/// each) delivered to a recording consumer, checked id by id; and 2,000 swipes carried on through
/// the real volunteers service (`wanxia volunteers run`) and registrar (`wanxia registrar run`),
/// where the registrar's hours must equal what each check-in/out pair gives. (10,000 swipes end to
/// end take several minutes in a debug build; `WANXIA_SITE_DAY_PEOPLE` sets the size to try it.)
@Suite("A site offline for a day", .serialized)
struct SiteDayOfflineTests {
    @Test("10,000 swipes over a day, the agent and its imports SIGKILLed while offline, then online: every id delivered once",
          .timeLimit(.minutes(3)))
    func dayOfflineToConsumer() async throws {
        try await runDay(people: 5_000, endToEnd: false, name: "SiteDayOfflineTests.dayOfflineToConsumer")
    }

    @Test("2,000 swipes over a day, killed while offline, then through the volunteers service to the registrar: its hours match the pairs",
          .timeLimit(.minutes(3)))
    func dayOfflineEndToEnd() async throws {
        let people = ProcessInfo.processInfo.environment["WANXIA_SITE_DAY_PEOPLE"].flatMap(Int.init) ?? 1_000
        try await runDay(people: people, endToEnd: true, name: "SiteDayOfflineTests.dayOfflineEndToEnd")
    }

    func runDay(people: Int, endToEnd: Bool, name: String) async throws {
        let wanxia = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wanxia")
        try #require(FileManager.default.isExecutableFile(atPath: wanxia.path), "build the wanxia executable first (swift build)")
        var random = SplitMix64(seed: SiteFaultSeed.make(for: name))
        let plan = SiteDayPlan(people: people, now: Date(), random: &random)
        let exports = plan.exports(10)
        // Seeded faults: the agent is killed during three exports' imports, and three imports are killed part-way.
        let agentKills = Set(random.shuffled(Array(1..<exports.count)).prefix(3))
        let importKills = Set(random.shuffled(Array(1..<exports.count)).prefix(3))
        print("\(name): agent killed during exports \(agentKills.sorted()), imports killed at exports \(importKills.sorted())")

        try await TemporaryDirectory.with { folder in
            try await TestBroker.with { broker in
                await broker.stop()  // the site is offline: nothing listens on the broker's port
                let run = SiteDayProcesses(wanxia: wanxia, folder: folder, port: broker.port)
                defer { run.killAll() }
                if endToEnd { try await run.prepareVolunteers(plan) }

                // The offline day.
                let offlineStarted = ContinuousClock.now
                var agent = try run.startAgent()
                // The agent has been running: its file is there before the first export comes in.
                try await eventually("the agent made its file") { (try? Outbox.status(ofDatabaseAt: run.siteDatabase)) != nil }
                var pending = 0
                var exported = 0
                var killedBeforeCommit = 0
                var importDuration = Duration.seconds(1)
                for (index, export) in exports.enumerated() {
                    let file = folder.appendingPathComponent("export-\(index).csv")
                    try export.write(to: file, atomically: true, encoding: .utf8)
                    exported += export.split(separator: "\n").count
                    let started = ContinuousClock.now
                    let importer = try run.spawn(["site", "import-swipes", file.path] + run.siteArguments)
                    // A kill lands within the first part of a typical import, mostly before its commit.
                    let delay = importDuration * (0.1 + Double(random.below(60)) / 100)
                    if agentKills.contains(index) {
                        try await Task.sleep(for: delay)
                        agent.send(SIGKILL)
                        await agent.exited()
                        agent = try run.startAgent()
                    }
                    if importKills.contains(index) {
                        try await Task.sleep(for: delay)
                        importer.send(SIGKILL)
                    }
                    await importer.exited()
                    if !importKills.contains(index) { importDuration = ContinuousClock.now - started }
                    // One transaction per export: after a kill it is stored whole or not at all.
                    let now = try run.sitePending()
                    if now == pending {
                        #expect(importKills.contains(index), "export \(index) exited with \(importer.exitStatus.map(String.init) ?? "?") and stored nothing\n\(run.describe())")
                        killedBeforeCommit += 1
                        let again = try run.spawn(["site", "import-swipes", file.path] + run.siteArguments)
                        await again.exited()
                        #expect(again.exitStatus == 0)
                        pending = try run.sitePending()
                    } else {
                        pending = now
                    }
                    #expect(pending == exported, "after export \(index): \(pending) waiting, \(exported) exported")
                }
                print("\(name): offline day stored in \(ContinuousClock.now - offlineStarted); \(killedBeforeCommit) of \(importKills.count) killed imports had not committed")
                #expect(pending == plan.swipes.count)
                agent.send(SIGKILL)  // a last crash, still offline
                await agent.exited()

                let stored = try run.siteItemIDs()
                #expect(stored.count == plan.swipes.count)

                // Back online: the broker (and the services) come up, then the agent with its day.
                try await broker.restart()
                let started = ContinuousClock.now
                let consumer = endToEnd ? nil : try await Consumer.start(broker, folder: folder)
                if endToEnd { try await run.startServices(broker) }
                let drained = try run.spawn(["site", "run", "--input", "/dev/null", "--exit-when-drained"] + run.siteArguments)
                do {
                    try await eventually("the agent delivered its day and exited", timeout: .seconds(150)) { drained.hasExited }
                    #expect(drained.exitStatus == 0)
                    print("\(name): \(plan.swipes.count) swipes acknowledged after \(ContinuousClock.now - started)")
                    if endToEnd {
                        try await eventually("the registrar holds every participation", timeout: .seconds(60)) {
                            try run.registrarParticipations() == plan.people && run.volunteersPending() == 0
                        }
                        print("\(name): \(plan.people) registrar records after \(ContinuousClock.now - started)")
                    }
                } catch {
                    Issue.record("\(error)\n\(run.describe())")
                    throw error
                }

                let site = try Outbox.status(ofDatabaseAt: run.siteDatabase)
                #expect(site.pending == 0 && site.rejected == 0, "\(site)")
                #expect(site.delivered == plan.swipes.count, "\(site)")
                if let consumer {
                    let received = try await consumer.database.read { db in try String.fetchAll(db, sql: "SELECT id FROM received") }
                    #expect(received.count == stored.count, "received \(received.count) of \(stored.count)")
                    #expect(Set(received) == stored, "missing \(stored.subtracting(received).count)")
                    await consumer.stop()
                } else {
                    let volunteers = try run.volunteersInbox()
                    #expect(volunteers.ids == stored, "the volunteers service took each swipe, missing \(stored.subtracting(volunteers.ids).count)")
                    #expect(volunteers.refused.isEmpty, "refused: \(volunteers.refused.prefix(5))")
                    let hours = try run.registrarHours()
                    #expect(hours.count == plan.people)
                    let wrong = plan.expectedHours.filter { hours[$0.key] != $0.value }
                    #expect(wrong.isEmpty, "\(wrong.count) people with other hours, e.g. \(wrong.first.map { "\($0.key): expected \($0.value), registrar \(hours[$0.key] ?? -1)" } ?? "")")
                    #expect(try run.registrarParticipations() == plan.people, "one record per stay, none twice")
                }
            }
        }
    }
}
