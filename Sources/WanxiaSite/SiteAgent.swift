import Foundation
import GRDB
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT

/// The program at an activity site: takes observations, stores each one before saying "done",
/// and delivers them through the durable outbox whenever the broker can be reached.
///
/// `submit(_:)` never throws: it answers with a `SiteReply` for the person at the kiosk — what was
/// recorded, or in plain words why not. Nothing is acknowledged to a person before it is committed
/// to the site's SQLite file; after that, the outbox resends until the programme service has
/// stored it, across restarts and outages. The agent keeps the rosters it receives (retained
/// messages) in the same file, so it can greet a volunteer by name even offline, and publishes its
/// presence (retained, with a Will).
public final class SiteAgent: Service, Sendable {
    public let configuration: SiteConfiguration
    public let database: DatabasePool
    public let client: MQTTClient
    public let outbox: Outbox
    private let router: MessageRouter
    private let presence: PresenceAnnouncer
    private let rosters: RosterBook
    var rostersForTesting: RosterBook { rosters }
    private let logger: Logger

    public init(configuration: SiteConfiguration, logger: Logger = Logger(label: "wanxia.site")) throws {
        self.configuration = configuration
        self.logger = logger
        database = try Self.openFile(at: configuration.databasePath)
        rosters = RosterBook(database: database)

        let site = configuration.site
        let identity = PresenceAnnouncer.Identity(
            client: site, role: .site, topic: Topic.siteStatus(site: site),
            epoch: try PresenceAnnouncer.nextEpoch(in: database), version: "0.1.0")
        var mqtt = MQTTConfiguration(host: configuration.host, port: configuration.port, clientID: site.description)
        mqtt.username = configuration.username
        mqtt.password = configuration.password
        mqtt.tls = configuration.caFile.map { MQTTTLSConfiguration(caFile: $0) }
        mqtt.will = identity.will
        client = try MQTTClient(configuration: mqtt, logger: logger)
        router = MessageRouter(client: client, logger: logger)
        outbox = Outbox(database: database, producer: site, client: client, router: router,
                        ackTopic: Topic.siteAck(site: site), rejectTopic: Topic.siteReject(site: site), logger: logger)
        presence = PresenceAnnouncer(identity: identity, client: client, logger: logger)
        let rosters = self.rosters
        router.route(Topic.rosters(site: site)) { [logger] message in
            do {
                try rosters.store(try WanxiaJSON.decode(Roster.self, from: message.payload))
            } catch {
                logger.error("unreadable roster", metadata: ["mqtt.topic": "\(message.topic)", "error": "\(error)"])
            }
        }
    }

    /// Opens (creating and migrating if needed) the site's file.
    ///
    /// Another program may be creating the same new file at this moment (the agent starting while
    /// `site import-swipes` runs): SQLite then answers "busy" to turning WAL on, or our migration
    /// fails on the tables the other's just committed. Opening again finds the file ready.
    static func openFile(at path: String) throws -> DatabasePool {
        var attempt = 1
        while true {
            do {
                let database = try DeliveryDatabase.openPool(at: path, pageCacheMegabytes: nil)
                var migrator = DatabaseMigrator()
                Outbox.registerMigrations(in: &migrator)
                RosterBook.registerMigrations(in: &migrator)
                try migrator.migrate(database)
                return database
            } catch let error as DatabaseError
                where attempt < 10 && (error.resultCode == .SQLITE_BUSY || (error.message ?? "").contains("already exists")) {
                attempt += 1
                usleep(20_000)
            }
        }
    }

    /// Connects (retrying forever) and delivers until shut down.
    public func run() async throws {
        client.start()
        let client = self.client
        let site = configuration.site
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Presence ends on a graceful shutdown by itself and then says "offline" (retained), so
            // it runs outside the part that is cancelled: a cancelled publish would leave the
            // status "online" after a clean stop, which no Will corrects.
            group.addTask { try await self.presence.run() }
            group.addTask {
                do {
                    try await cancelWhenGracefulShutdown {
                        try await withThrowingTaskGroup(of: Void.self) { parts in
                            parts.addTask { try await self.router.run() }
                            parts.addTask { try await self.outbox.run() }
                            parts.addTask { try await client.subscribe(Topic.rosters(site: site), qos: .atLeastOnce) }
                            try await parts.waitForAll()
                        }
                    }
                } catch is CancellationError {
                }
            }
            try await group.waitForAll()
        }
        await client.shutdown()
    }

    /// Waits (at most `timeout`) until the broker is connected and a roster for the agent's
    /// programme is at hand, so that the first swipes after a start can be greeted by name. Returns
    /// at once when a roster is already stored; an offline start just waits out the timeout.
    public func waitForRoster(timeout: Duration = .seconds(3)) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? rosters.roster(for: configuration.programme)) ?? nil != nil { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    // MARK: Input

    /// Handles one line (see `SiteInput`) and says what happened.
    public func submit(_ line: String, now: Date = Date()) -> SiteReply {
        do {
            guard let input = try SiteInput.parse(line) else { return SiteReply(ok: true, message: "") }
            switch input {
            case .help:
                return SiteReply(ok: true, message: SiteInput.helpText)
            case .status:
                return SiteReply(ok: true, message: try status().summary)
            case .swipe(let card):
                let activity = try resolveActivity(card: card, given: nil, now: now)
                let observation: Observation = try rosters.isCheckedIn(card: card, activity: activity)
                    ? .checkout(CardScan(activity: activity, card: card))
                    : .checkin(CardScan(activity: activity, card: card))
                return try record(observation, programme: configuration.programme, now: now)
            case .observation(let observation, let programme, let activityNeeded):
                switch observation {
                case .checkin(let scan), .checkout(let scan):
                    let activity = try resolveActivity(card: scan.card, given: activityNeeded ? nil : scan.activity, now: now)
                    let resolved = CardScan(activity: activity, card: scan.card)
                    let completed: Observation = if case .checkin = observation { .checkin(resolved) } else { .checkout(resolved) }
                    return try record(completed, programme: configuration.programme, now: now)
                default:
                    return try record(observation, programme: programme, now: now)
                }
            }
        } catch let error as SiteError {
            return SiteReply(ok: false, message: error.code == .notStored ? error.message : "看不懂 Not understood: \(error.message)")
        } catch {
            return SiteReply(ok: false, message: "看不懂 Not understood: \(error)")
        }
    }

    private func resolveActivity(card: String, given: String?, now: Date) throws -> String {
        if let given, !given.isEmpty { return given }
        if let activity = configuration.activity { return activity }
        let expected = try rosters.lookUp(card: card, programme: configuration.programme)?.activities ?? []
        let current = RosterBook.current(expected, now: now)
        if current.count == 1 { return current[0].activity }
        let all = RosterBook.current(try rosters.roster(for: configuration.programme)?.activities ?? [], now: now)
        if all.count == 1 { return all[0].activity }
        throw SiteError(.badInput, current.count + all.count == 0
            ? "no activity is under way here; give one: checkin \(card) ACTIVITY"
            : "several activities are under way; give one: checkin \(card) ACTIVITY")
    }

    /// Commits the observation to the outbox and answers the person.
    private func record(_ observation: Observation, programme: Programme, now: Date) throws -> SiteReply {
        let topic = Topic.observations(site: configuration.site, programme: programme)
        let item: Item<Observation>
        do {
            item = try database.write { db in
                let item = try Outbox.enqueue(observation, to: topic, at: now, in: db)
                switch observation {
                case .checkin(let scan): try RosterBook.noteCheckin(card: scan.card, activity: scan.activity, at: now, in: db)
                case .checkout(let scan): try RosterBook.noteCheckout(card: scan.card, activity: scan.activity, in: db)
                default: break
                }
                return item
            }
        } catch let error as ContractError {
            throw SiteError(.badInput, error.message)
        } catch {
            logger.critical("observation NOT stored", metadata: ["error": "\(error)"])
            throw SiteError(.notStored, "未能记录！NOT RECORDED: \(Self.storageProblem(error)). 请告诉工作人员 Please tell the staff.")
        }
        outbox.wake()
        return SiteReply(ok: true, message: describe(observation, item: item), recorded: item.id)
    }

    static func storageProblem(_ error: any Error) -> String {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL { return "the disk is full" }
        return "\(error)"
    }

    private func describe(_ observation: Observation, item: Item<Observation>) -> String {
        switch observation {
        case .checkin(let scan), .checkout(let scan):
            let verb = if case .checkin = observation { "已签到 Checked in" } else { "已签退 Checked out" }
            if let known = try? rosters.lookUp(card: scan.card, programme: configuration.programme) {
                let title = known.activities.first { $0.activity == scan.activity }?.title ?? scan.activity
                return "\(verb): \(known.person.displayName) · \(title)"
            }
            return "\(verb): \(scan.card) · \(scan.activity) — 此卡不在名单上，已记录待核实 card not on the roster: recorded for the team leader to check"
        default:
            return "已记录 Recorded: \(observation.type) (#\(item.seq))"
        }
    }

    // MARK: Swipe files

    /// Stores every good row of a card-swipe file in one transaction; reports the bad ones.
    public func importSwipes(_ text: String) throws -> SwipeFile.Report {
        let parsed = SwipeFile.parse(text, defaultActivity: configuration.activity)
        let topic = Topic.observations(site: configuration.site, programme: configuration.programme)
        try database.write { db in
            for swipe in parsed.swipes {
                let scan = CardScan(activity: swipe.activity, card: swipe.card)
                _ = try Outbox.enqueue(swipe.checkout ? Observation.checkout(scan) : .checkin(scan), to: topic, at: swipe.at, in: db)
            }
        }
        outbox.wake()
        return parsed.report
    }

    // MARK: Status

    public func status() throws -> SiteStatus {
        SiteStatus(site: configuration.site, outbox: try outbox.status(), connection: client.state,
                   clockOffset: outbox.consumerClockOffset,
                   clockTolerance: .seconds(configuration.clockToleranceSeconds))
    }
}

/// What the agent tells the person after a line.
public struct SiteReply: Sendable, Equatable {
    public var ok: Bool
    public var message: String
    /// The id of the stored item, when something was recorded.
    public var recorded: MessageID?

    public init(ok: Bool, message: String, recorded: MessageID? = nil) {
        self.ok = ok
        self.message = message
        self.recorded = recorded
    }
}

/// A site's delivery state, for `status` and `wanxia site status`.
public struct SiteStatus: Sendable {
    public var site: TopicID
    public var outbox: OutboxStatus
    public var connection: MQTTConnectionState?
    public var clockOffset: Duration?
    public var clockTolerance: Duration = .seconds(300)

    public init(site: TopicID, outbox: OutboxStatus, connection: MQTTConnectionState?, clockOffset: Duration?,
                clockTolerance: Duration = .seconds(300)) {
        self.site = site
        self.outbox = outbox
        self.connection = connection
        self.clockOffset = clockOffset
        self.clockTolerance = clockTolerance
    }

    public var clockIsOff: Bool {
        guard let clockOffset else { return false }
        return abs(clockOffset.timeInterval) > clockTolerance.timeInterval
    }

    public var summary: String {
        var lines = ["site \(site): \(outbox.pending) waiting to be delivered, \(outbox.delivered) delivered, \(outbox.rejected) refused"]
        if let oldest = outbox.oldestPending {
            lines.append("oldest waiting since \(RFC3339.string(from: oldest))")
        }
        switch connection {
        case .connected?: lines.append("broker: connected")
        case .disconnected(let reason)?: lines.append("broker: NOT connected — \(reason.message)")
        case .connecting?: lines.append("broker: connecting…")
        case nil, .idle?, .closed?: break
        }
        if clockIsOff, let clockOffset {
            lines.append("CLOCK OFF: this device's clock differs from the services' by \(Int(clockOffset.timeInterval)) s; set the time. Records are kept and flagged.")
        }
        return lines.joined(separator: "\n")
    }
}
