import Foundation
import Logging
import Synchronization
import ServiceLifecycle
import WanxiaClasses
import WanxiaCompetitions
import WanxiaContract
import WanxiaDelivery
import WanxiaMentoring
import WanxiaSite
import WanxiaVolunteers

/// `wanxia up --demo`: plans a county bureau's half-year in every programme service's file, replays
/// the sites' observations through real site agents and the broker, waits until the registrar
/// holds everything, then prints the half-year's report.
///
/// The plan and the sites' outboxes live under `<data>/demo/`; a marker file there means the
/// script was already committed to the outboxes, so running the demo again on the same folder
/// delivers whatever is left and never sends anything twice.
struct DemoRun: Service {
    var folder: URL
    var port: Int
    var seed: UInt64
    /// The half-year replayed: the last one that has ended.
    var period: DemoPeriod
    /// Service files, by programme.
    var volunteersPath: String
    var mentoringPath: String
    var mentoringIdentityPath: String
    var competitionsPath: String
    var classesPath: String
    /// The services' clock, released once the sites have delivered.
    var clock: DemoClock
    var report: @Sendable () throws -> String

    var demoFolder: URL { folder.appendingPathComponent("demo") }
    var marker: URL { demoFolder.appendingPathComponent("script-sent") }

    func run() async throws {
        try FileManager.default.createDirectory(at: demoFolder, withIntermediateDirectories: true)
        let fresh = !FileManager.default.fileExists(atPath: marker.path)
        var observations: [ScriptedObservation] = []
        if fresh {
            say("演示 demo: planning \(period.name) for every programme …")
            observations += try VolunteersDemo.plan(into: VolunteersStore(path: volunteersPath), halfYearStarting: period.start, seed: seed)
            observations += try MentoringDemo.plan(
                seed: seed, start: period.start, store: MentoringStore(path: mentoringPath),
                identities: IdentityStore(path: mentoringIdentityPath, access: IdentityAccess(role: .identityOfficer, actor: "demo")))
            observations += try CompetitionsDemo.plan(into: CompetitionsStore(path: competitionsPath), from: period.start, seed: seed)
            let first = LocalDate(period.start)
            observations += try ClassesDemo.plan(into: ClassesStore(path: classesPath), seed: seed, from: first)
            observations.sort { $0.at < $1.at }
            say("演示 demo: \(observations.count) observations from \(Set(observations.map(\.site)).count) simulated sites")
        } else {
            say("演示 demo: the script was sent before; delivering whatever is still pending")
        }
        let marker = self.marker
        let lastShown = Mutex(ContinuousClock.now - .seconds(10))
        let rejected = try await DemoSites(folder: demoFolder.appendingPathComponent("sites"), port: port).run(
            observations, enqueue: fresh,
            enqueued: { try Data("sent\n".utf8).write(to: marker, options: .atomic) },
            progress: { settled, total in
                let show = lastShown.withLock { last in
                    guard ContinuousClock.now - last > .seconds(2) || settled == total else { return false }
                    last = ContinuousClock.now
                    return true
                }
                if show { say("演示 demo: sites delivered \(settled) of \(total)") }
            })
        clock.release()
        if rejected > 0 { say("演示 demo: the services refused \(rejected) observations (see wanxia site status --rejected)") }
        try await waitForServices()
        // The juries seal the exhibition's selection and the singing contest's scores are finished
        // (match formats finish by themselves on their last result).
        try CompetitionsDemo.close(CompetitionsStore(path: competitionsPath))
        // At the end of term the clerk closes each cohort, which sends the completion records.
        let classes = try ClassesStore(path: classesPath)
        var closed = 0
        for cohort in try classes.cohorts() {
            do {
                _ = try classes.closeCohort(cohort.id)
                closed += 1
            } catch let error as ClassesError where error.code == .conflict {
                // Closed by an earlier run of the demo.
            }
        }
        if closed > 0 { say("演示 demo: closed \(closed) class cohorts (completion records)") }
        try await waitForServices()
        say("")
        say(try report())
        say("演示 demo: done. The bus keeps running; Ctrl-C stops everything.")
    }

    /// Returns once every programme service has had all its records acknowledged by the registrar
    /// and nothing has changed for three seconds (services close sessions and activities on timers).
    private func waitForServices() async throws {
        let paths = [volunteersPath, mentoringPath, competitionsPath, classesPath]
        var stableSince = ContinuousClock.now
        var last: [OutboxStatus] = []
        while true {
            let statuses = paths.compactMap { try? Outbox.status(ofDatabaseAt: $0) }
            if statuses != last || statuses.contains(where: { $0.pending > 0 }) {
                last = statuses
                stableSince = ContinuousClock.now
            } else if ContinuousClock.now - stableSince > .seconds(3) {
                return
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// The half-year a demo replays.
struct DemoPeriod: Sendable {
    var name: String
    var start: Date

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = WanxiaJSON.defaultTimeZone
        return calendar
    }

    /// The last half-year that ended before `now`, in China Standard Time.
    static func lastEnded(before now: Date) -> DemoPeriod {
        let calendar = Self.calendar
        let parts = calendar.dateComponents([.year, .month], from: now)
        let year = parts.year ?? 2024
        let (startYear, half) = (parts.month ?? 1) >= 7 ? (year, 1) : (year - 1, 2)
        let start = calendar.date(from: DateComponents(year: startYear, month: half == 1 ? 1 : 7, day: 1)) ?? now
        return DemoPeriod(name: "\(startYear)H\(half)", start: start)
    }
}

/// The programme services' clock during a demo: it stands at the half-year's start while the
/// simulated sites replay it, then runs with the real time.
final class DemoClock: Sendable {
    private let heldAt: Date
    private let held: Atomic<Bool>

    init(heldAt: Date, held: Bool) {
        self.heldAt = heldAt
        self.held = Atomic(held)
    }

    func now() -> Date { held.load(ordering: .acquiring) ? heldAt : Date() }

    func release() { held.store(false, ordering: .releasing) }
}
