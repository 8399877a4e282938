import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery

/// Simulated sites for `wanxia up --demo`: one real ``SiteAgent`` per site, replaying scripted
/// observations through its outbox, so they travel exactly as a kiosk's would.
///
/// Each site keeps its file in `folder` (`site-<id>.sqlite`). `run` enqueues the observations
/// (when `enqueue` is true; a second run on the same folder passes false, so nothing is sent
/// twice), runs the agents until every outbox has been acknowledged, and stops them.
public struct DemoSites: Sendable {
    public var folder: URL
    public var host: String
    public var port: Int

    public init(folder: URL, host: String = "127.0.0.1", port: Int = 1883) {
        self.folder = folder
        self.host = host
        self.port = port
    }

    /// Sends `observations` from their sites and returns once all are acknowledged (or, for
    /// refused ones, rejected). `progress` is called with (settled, total) a few times a second.
    /// Returns the number of observations the services refused.
    /// `enqueued` runs once the observations are committed to the sites' outboxes (to mark the
    /// script as sent, so that a second run does not send it again).
    public func run(_ observations: [ScriptedObservation], enqueue: Bool, logger: Logger = Logger(label: "wanxia.demo"),
                    enqueued: () throws -> Void = {},
                    progress: @escaping @Sendable (_ settled: Int, _ total: Int) -> Void = { _, _ in }) async throws -> Int {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bySite = Dictionary(grouping: observations, by: \.site)
        // Sites of an earlier, interrupted run still hold what they had not delivered.
        let earlier = try FileManager.default.contentsOfDirectory(atPath: folder.path).compactMap { file -> TopicID? in
            guard file.hasPrefix("site-"), file.hasSuffix(".sqlite") else { return nil }
            return try? TopicID(validating: String(file.dropFirst("site-".count).dropLast(".sqlite".count)))
        }
        var agents: [SiteAgent] = []
        for site in Set(bySite.keys).union(earlier).sorted(by: { $0.rawValue < $1.rawValue }) {
            let items = bySite[site] ?? []
            var configuration = SiteConfiguration()
            configuration.site = site
            configuration.host = host
            configuration.port = port
            configuration.data = folder.path
            let agent = try SiteAgent(configuration: configuration, logger: logger)
            if enqueue {
                _ = try agent.outbox.enqueue(items.map { (body: $0.body, topic: Topic.observations(site: site, programme: $0.programme), at: $0.at) })
            }
            agents.append(agent)
        }
        if enqueue { try enqueued() }
        // The sites stop as `wanxia site run` does on SIGTERM: gracefully, each saying "offline".
        let running = agents
        let sites = ServiceGroup(configuration: .init(services: running.map { .init(service: $0) }, logger: logger))
        return try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                try await sites.run()
                return nil
            }
            group.addTask {
                var rejected = 0
                while true {
                    let statuses = try running.map { try $0.outbox.status() }
                    let total = statuses.reduce(0) { $0 + $1.delivered + $1.pending + $1.rejected }
                    let settled = statuses.reduce(0) { $0 + $1.delivered + $1.rejected }
                    rejected = statuses.reduce(0) { $0 + $1.rejected }
                    progress(settled, total)
                    if settled == total { break }
                    try await Task.sleep(for: .milliseconds(250))
                }
                await sites.triggerGracefulShutdown()
                return rejected
            }
            var rejected = 0
            for try await result in group {
                if let result { rejected = result }
            }
            return rejected
        }
    }
}
