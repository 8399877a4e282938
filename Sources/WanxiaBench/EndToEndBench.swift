import Foundation
import GRDB
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT
import WanxiaRegistrar
import WanxiaSite
import WanxiaVolunteers

/// End to end: check-ins and check-outs typed at a site agent, through the volunteers service
/// (which sends a participation record at each check-out, docs/measures.md), into the registrar;
/// all three in this process on the one broker. A burst gives check-ins per second; a run paced at
/// half that rate gives the latency from the check-out at the site to the record's commit at the
/// registrar (`participation.recorded_at`).
enum EndToEndBench {
    static let site: TopicID = "bench-e2e"
    static let people = 500

    static func run(_ context: BenchContext, stock: Double?) async throws {
        let pairs = max(100, min(context.options.n / 100, 500))  // the site stores each line with its own fsync: tens a second
        let now = Date()
        let activities = (0..<20).map { index in
            Activity(id: "e2e-\(index)", team: "bench", kind: "义务理发", title: "端到端 \(index)", site: site,
                     start: now.addingTimeInterval(-3600), end: now.addingTimeInterval(2 * 3600))
        }
        let volunteersData = try context.scratch("e2e-volunteers")
        try BenchVolunteers.prepare(data: volunteersData, people: people, activities: activities)
        let registrarData = try context.scratch("e2e-registrar")
        let registrar = RegistrarService(configuration: .init(
            dataDirectory: registrarData, mqtt: MQTTConfiguration(port: context.port, clientID: "registrar")))
        _ = try RegistrarService.openStore(registrar.configuration)  // the schema exists before the bench reads it
        var siteConfiguration = SiteConfiguration()
        siteConfiguration.site = site
        siteConfiguration.port = context.port
        siteConfiguration.data = try context.scratch("e2e-site").path
        let agent = try SiteAgent(configuration: siteConfiguration)
        let group = ServiceGroup(configuration: .init(services: [
            .init(service: registrar), .init(service: BenchVolunteers.service(data: volunteersData, port: context.port)),
            .init(service: agent),
        ], logger: Logger(label: "bench")))
        let running = Task { try await group.run() }
        let book = try DatabasePool(path: registrar.configuration.databasePath, configuration: {
            var options = GRDB.Configuration()
            options.readonly = true
            options.busyMode = .timeout(10)
            return options
        }())

        // Burst: every pair as fast as the site stores them.
        let burst = try await drive(agent: agent, book: book, pairs: 0..<pairs, interval: nil)
        BenchReport.line("end to end, burst (site -> volunteers -> registrar)", burst.rate, unit: "obs/s",
                         reference: stock.map { ("stock", $0) })
        BenchReport.latency("  check-out to record committed, burst", burst.latencies)
        // Paced at half the burst rate: the latency a kiosk sees on a busy day.
        let paced = try await drive(agent: agent, book: book, pairs: pairs..<(2 * pairs),
                                    interval: .seconds(2 / burst.rate))
        BenchReport.line(String(format: "end to end, paced at %.0f obs/s", burst.rate / 2), paced.rate, unit: "obs/s")
        BenchReport.latency("  check-out to record committed, paced", paced.latencies)
        await group.triggerGracefulShutdown()
        try? await running.value
    }

    /// Types a check-in and a check-out for each pair (person = pair % people, activity =
    /// pair / people), each observation `interval` apart (nil: at once), and waits for their
    /// records at the registrar. Rate: observations per second from the first line to the last commit.
    static func drive(agent: SiteAgent, book: DatabasePool, pairs: Range<Int>, interval: Duration?) async throws
        -> (rate: Double, latencies: [Double]) {
        var checkouts: [String: Int64] = [:]
        let start = ContinuousClock.now
        let wallStart = Date()
        for (index, pair) in pairs.enumerated() {
            let person = pair % people
            let activity = "e2e-\(pair / people)"
            let card = BenchVolunteers.card(person)
            for (step, command) in ["checkin", "checkout"].enumerated() {
                if let interval {
                    let due = start + interval * (2 * index + step)
                    if due > .now { try await Task.sleep(until: due) }
                }
                let at = Date()
                let reply = agent.submit("\(command) \(card) \(activity)", now: at)
                guard reply.ok else { throw BenchOptionsError("e2e: the site refused \(command) \(card): \(reply.message)") }
                if step == 1 { checkouts["\(BenchVolunteers.person(person))|\(activity)"] = at.unixMilliseconds }
            }
        }
        let events = Set(pairs.map { "e2e-\($0 / people)" })
        let deadline = ContinuousClock.now + .seconds(300)
        var rows: [Row] = []
        while true {
            rows = try book.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT person, event, recorded_at FROM participation
                    WHERE event IN (SELECT value FROM json_each(?)) AND recorded_at >= ?
                    """, arguments: [String(decoding: try JSONEncoder().encode(Array(events)), as: UTF8.self),
                                     wallStart.unixMilliseconds])
            }
            if rows.count >= pairs.count { break }
            guard ContinuousClock.now < deadline else {
                throw BenchOptionsError("e2e: \(rows.count) of \(pairs.count) records reached the registrar in 300 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let last = rows.map { $0["recorded_at"] as Int64 }.max() ?? wallStart.unixMilliseconds
        let latencies = rows.compactMap { row -> Double? in
            guard let sent = checkouts["\(row["person"] as String)|\(row["event"] as String)"] else { return nil }
            return Double((row["recorded_at"] as Int64) - sent) / 1000
        }
        let seconds = Double(last - wallStart.unixMilliseconds) / 1000
        return (Double(2 * pairs.count) / max(seconds, 0.001), latencies)
    }
}
