import Foundation
import GRDB
import Logging
import ServiceLifecycle
import WanxiaBroker
import WanxiaContract
import WanxiaDelivery
import WanxiaSite
import WanxiaVolunteers

/// Backlog drain: a site agent (`wanxia site run`, a child process) comes back online with
/// `--backlog` check-ins and check-outs queued in its outbox; the real volunteers service (in this
/// process) consumes them. Timed from the agent's start until its outbox holds nothing unacknowledged.
enum BacklogDrainBench {
    static let site: TopicID = "bench-drain"
    static let people = 500

    /// The drain's rate in check-ins and check-outs a second; `quiet` prints nothing (a later round).
    @discardableResult
    static func run(_ context: BenchContext, stock: Double?, quiet: Bool = false) async throws -> Double {
        let backlog = context.options.backlog / 2 * 2
        let pairs = backlog / 2
        let days = (pairs + people - 1) / people
        let firstDay = Date(timeIntervalSince1970: 1_677_632_400)  // 2023-03-01 09:00 +08:00
        let activities = (0..<days).map { day in
            let start = firstDay.addingTimeInterval(Double(day) * 86_400)
            return Activity(id: "drain-\(day)", team: "bench", kind: "法律援助进社区", title: "积压 \(day)", site: site,
                            start: start, end: start.addingTimeInterval(3 * 3600))
        }
        let volunteersData = try context.scratch("drain-volunteers")
        try BenchVolunteers.prepare(data: volunteersData, people: people, activities: activities)

        // The site's backlog, stored the way `wanxia site import-swipes` stores a reader's export.
        let siteData = try context.scratch("drain-site")
        var configuration = SiteConfiguration()
        configuration.site = site
        configuration.port = context.port
        configuration.data = siteData.path
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        var lines: [String] = []
        lines.reserveCapacity(backlog)
        for pair in 0..<pairs {
            let person = pair % people
            let activity = activities[pair / people]
            let card = BenchVolunteers.card(person)
            lines.append("\(formatter.string(from: activity.start.addingTimeInterval(Double(person % 600))))," +
                         "\(card),\(activity.id),in")
            lines.append("\(formatter.string(from: activity.end.addingTimeInterval(-600))),\(card),\(activity.id),out")
        }
        do {
            let agent = try SiteAgent(configuration: configuration)
            let report = try agent.importSwipes(lines.joined(separator: "\n"))
            await agent.client.shutdown()
            guard report.imported == backlog else {
                throw BenchOptionsError("drain: stored \(report.imported) of \(backlog) swipes: \(report.bad.prefix(3))")
            }
        }

        let service = BenchVolunteers.service(data: volunteersData, port: context.port)
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: Logger(label: "bench")))
        let running = Task { try await group.run() }
        let log = context.folder.appendingPathComponent("site-child.log")
        let began = ContinuousClock.now
        let serviceCPU = ProcessCPU.ofSelfSeconds()
        let child = try ChildProcess.spawn(try context.wanxia, arguments: [
            "site", "run", "--site", site.rawValue, "--data", siteData.path, "--port", "\(context.port)",
            "--input", "/dev/null", "--exit-when-drained",
        ], output: log)
        // One read-only connection probes the child's outbox: counting a 100k backlog every few
        // milliseconds would take a core's worth of time from the processes being measured.
        let outbox = try DatabaseQueue(path: configuration.databasePath,
                                       configuration: { var c = GRDB.Configuration(); c.readonly = true; return c }())
        var peak = 0.0
        var siteCPU = 0.0
        let deadline = ContinuousClock.now + .seconds(600)
        while try await !outbox.read(Outbox.isDrained(in:)) {
            guard ContinuousClock.now < deadline, !child.hasExited else {
                let pending = try await outbox.read { try Outbox.status(in: $0) }.pending
                throw BenchOptionsError("drain: \(pending) still pending; see \(log.path)")
            }
            peak = max(peak, PeakRSS.ofProcessMegabytes(child.pid) ?? 0)
            siteCPU = ProcessCPU.ofProcessSeconds(child.pid) ?? siteCPU
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = (ContinuousClock.now - began).timeInterval
        let serviceMicroseconds = (ProcessCPU.ofSelfSeconds() - serviceCPU) / Double(backlog) * 1e6
        peak = max(peak, PeakRSS.ofProcessMegabytes(child.pid) ?? 0)
        siteCPU = ProcessCPU.ofProcessSeconds(child.pid) ?? siteCPU
        let status = try await outbox.read { try Outbox.status(in: $0) }
        if !quiet {
            BenchReport.line("backlog drain (site child -> volunteers)", Double(backlog) / elapsed, unit: "obs/s",
                             reference: stock.map { ("stock", $0) })
            BenchReport.note(String(format: "%d check-ins/outs acknowledged in %.1f s, %d refused; site agent peak RSS %.0f MB",
                                    backlog, elapsed, status.rejected, peak))
            BenchReport.note(String(format: "CPU per check-in/out: volunteers service (this process) %.1f us, site agent %.1f us (its start included)",
                                    serviceMicroseconds, siteCPU / Double(backlog) * 1e6))
        } else if status.rejected > 0 {
            BenchReport.note("warning: \(status.rejected) check-ins/outs were refused")
        }
        child.send(SIGTERM)
        await child.exited()
        await group.triggerGracefulShutdown()
        try? await running.value
        return Double(backlog) / elapsed
    }
}
