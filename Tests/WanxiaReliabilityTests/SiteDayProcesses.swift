import Foundation
import GRDB
import Synchronization
import WanxiaBroker
import WanxiaContract
import WanxiaDelivery
import WanxiaDeliveryTesting
import WanxiaTesting

/// The child processes of a day-offline run (the built `wanxia`: site agent, swipe imports, the
/// volunteers service, the registrar) and read-only looks into their SQLite files.
///
/// Every process started here is SIGKILLed by ``killAll()`` (call it in a `defer`); all of them
/// append their output to `processes.log` in the run's folder, which a failure message names.
final class SiteDayProcesses: Sendable {
    let wanxia: URL
    let folder: URL
    let port: Int
    private let started = Mutex<[ChildProcess]>([])

    init(wanxia: URL, folder: URL, port: Int) {
        self.wanxia = wanxia
        self.folder = folder
        self.port = port
    }

    var log: URL { folder.appendingPathComponent("processes.log") }
    var siteFolder: URL { folder.appendingPathComponent("site") }
    var volunteersFolder: URL { folder.appendingPathComponent("volunteers") }
    var registrarFolder: URL { folder.appendingPathComponent("registrar") }
    var siteDatabase: String { siteFolder.appendingPathComponent("site-\(SiteDayPlan.site).sqlite").path }
    var volunteersDatabase: String { volunteersFolder.appendingPathComponent("volunteers.sqlite").path }
    var registrarDatabase: String { registrarFolder.appendingPathComponent("registrar.sqlite").path }

    /// The options that point a `wanxia site` command at this run's site.
    var siteArguments: [String] {
        ["--site", SiteDayPlan.site.description, "--data", siteFolder.path, "--port", "\(port)", "--activity", SiteDayPlan.activity]
    }

    /// Starts `wanxia arguments…`.
    func spawn(_ arguments: [String]) throws -> ChildProcess {
        let process = try ChildProcess.spawn(wanxia, arguments: arguments, output: log)
        started.withLock { $0.append(process) }
        return process
    }

    /// Runs `wanxia arguments…` to its end; throws unless it exits 0.
    func runToEnd(_ arguments: [String]) async throws {
        let process = try spawn(arguments)
        await process.exited()
        guard process.exitStatus == 0 else {
            throw TestSupportError("wanxia \(arguments.joined(separator: " ")) exited with status \(process.exitStatus ?? -1); see \(log.path)")
        }
    }

    /// The talent pool, the team and the day's activity, through the volunteers CLI.
    func prepareVolunteers(_ plan: SiteDayPlan) async throws {
        try FileManager.default.createDirectory(at: volunteersFolder, withIntermediateDirectories: true)
        let people = folder.appendingPathComponent("people.csv")
        let teams = folder.appendingPathComponent("teams.csv")
        try plan.volunteersCSV.write(to: people, atomically: true, encoding: .utf8)
        try plan.teamsCSV.write(to: teams, atomically: true, encoding: .utf8)
        let db = ["--db", volunteersDatabase]
        try await runToEnd(["volunteers", "import-volunteers", people.path] + db)
        try await runToEnd(["volunteers", "import-teams", teams.path] + db)
        try await runToEnd(["volunteers", "activity", "plan", SiteDayPlan.activity, "--team", SiteDayPlan.team,
                            "--kind", "全天值班", "--title", "全天值班（一天）", "--site", SiteDayPlan.site.description,
                            "--start", RFC3339.string(from: plan.start), "--end", RFC3339.string(from: plan.end)] + db)
    }

    /// `wanxia site run` reading no input: it only delivers what the site's file holds.
    func startAgent() throws -> ChildProcess {
        try spawn(["site", "run", "--input", "/dev/null"] + siteArguments)
    }

    /// The registrar, then the volunteers service (no minimum share, so every stay earns its
    /// rounded hours), each once the broker has logged the one before connecting.
    ///
    /// The order matters for the run time, not for the outcome: a batch published before its
    /// consumer has subscribed is lost by the broker and resent only after the producer's ack
    /// timeout (10 s, doubling).
    func startServices(_ broker: TestBroker) async throws {
        _ = try spawn(["registrar", "run", "--data", registrarFolder.path, "--port", "\(port)"])
        try await eventually("the registrar connected", timeout: .seconds(30)) { broker.log().contains(" as registrar ") }
        _ = try spawn(["volunteers", "run", "--data", volunteersFolder.path, "--port", "\(port)", "--minimum-share", "0"])
        try await eventually("the volunteers service connected", timeout: .seconds(30)) { broker.log().contains(" as volunteers ") }
    }

    /// SIGKILLs every process started here that is still running (their reapers collect them).
    func killAll() {
        for process in started.withLock({ $0 }) where !process.hasExited {
            process.send(SIGKILL)
        }
    }

    // MARK: Looking into the files

    /// Where every part stands, and the end of the processes' log: for a failure message.
    func describe() -> String {
        let site = (try? Outbox.status(ofDatabaseAt: siteDatabase)).map { "\($0)" } ?? "-"
        let volunteers = (try? volunteersInbox()).map { "\($0.ids.count) items, \($0.refused.count) refused \($0.refused.prefix(3))" } ?? "-"
        let records = (try? Outbox.status(ofDatabaseAt: volunteersDatabase)).map { "\($0)" } ?? "-"
        let registrar = (try? registrarParticipations()).map(String.init) ?? "-"
        let log = (try? String(contentsOf: self.log, encoding: .utf8)) ?? ""
        return """
            site outbox: \(site)
            volunteers inbox: \(volunteers); its outbox: \(records)
            registrar participations: \(registrar)
            log (last 30 lines):
            \(log.split(separator: "\n").suffix(30).joined(separator: "\n"))
            """
    }

    /// Items waiting in the site's outbox (0 before the file exists).
    func sitePending() throws -> Int {
        guard FileManager.default.fileExists(atPath: siteDatabase) else { return 0 }
        return try Outbox.status(ofDatabaseAt: siteDatabase).pending
    }

    /// Records the volunteers service still has to deliver to the registrar.
    func volunteersPending() throws -> Int {
        try Outbox.status(ofDatabaseAt: volunteersDatabase).pending
    }

    /// The ids of the items waiting in the site's outbox.
    func siteItemIDs() throws -> Set<String> {
        try Self.read(siteDatabase) { db in Set(try String.fetchAll(db, sql: "SELECT id FROM outbox WHERE state = 0")) }
    }

    /// What the volunteers service's inbox took from the site: item ids, and the refused ones' reasons.
    func volunteersInbox() throws -> (ids: Set<String>, refused: [String]) {
        try Self.read(volunteersDatabase) { db in
            let site = SiteDayPlan.site.description
            let items = Set(try String.fetchAll(db, sql: "SELECT id FROM inbox_item WHERE producer = ?", arguments: [site]))
            let refused = try String.fetchAll(db, sql: """
                SELECT code || ': ' || COALESCE(message, '') FROM inbox_item WHERE producer = ? AND code IS NOT NULL
                UNION ALL SELECT code || ': ' || message FROM inbox_reject
                """, arguments: [site])
            return (items, refused)
        }
    }

    /// Participation records in the registrar (0 before its file exists).
    func registrarParticipations() throws -> Int {
        guard FileManager.default.fileExists(atPath: registrarDatabase) else { return 0 }
        return try Self.read(registrarDatabase) { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM participation") ?? 0 }
    }

    /// Each person's hours in the registrar.
    func registrarHours() throws -> [String: Double] {
        try Self.read(registrarDatabase) { db in
            var hours: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT person, SUM(hours) AS hours FROM participation GROUP BY person") {
                hours[row["person"]] = row["hours"]
            }
            return hours
        }
    }

    private static func read<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        return try DatabaseQueue(path: path, configuration: configuration).read(body)
    }
}
