import Foundation
import GRDB
import Synchronization
import Testing
import WanxiaContract
import WanxiaDelivery
@testable import WanxiaRegistrar
import WanxiaTesting

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

/// A time in China Standard Time, e.g. `t("2023-06-30T23:30")`.
func t(_ local: String) -> Date {
    // Force-unwrap is fine in tests: a bad literal is a bug in the test.
    try! RFC3339.date(from: local + ":00+08:00")
}

/// A registrar file in a fresh folder, fed through `RegistrarIngest` as the inbox would.
final class Book: Sendable {
    let directory: URL
    let store: RegistrarStore
    let clock: TestClock
    let ingest: RegistrarIngest

    init(now: Date = t("2023-12-01T00:00"), configuration: RegistrarStore.Configuration = .init()) throws {
        directory = try TemporaryDirectory.make(prefix: "wanxia-registrar")
        store = try RegistrarStore(path: directory.appendingPathComponent("registrar.sqlite").path, configuration: configuration)
        let clock = TestClock(now)
        self.clock = clock
        ingest = RegistrarIngest(clock: { clock.now })
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    var path: String { store.path }

    /// Applies one record item in its own transaction; rethrows the handler's `Rejection`.
    @discardableResult
    func apply(_ record: WanxiaContract.Record, at: Date? = nil, producer: TopicID = "volunteers") throws -> MessageID {
        let item = Item(seq: 1, at: at ?? clock.now, body: record)
        try apply(try item.raw(), producer: producer)
        return item.id
    }

    func apply(_ raw: RawItem, producer: TopicID = "volunteers") throws {
        try store.database.write { db in
            try ingest.apply(raw: raw, from: producer, in: db)
        }
    }

    /// The rejection `record` earns, or nil if it is stored.
    func rejection(_ record: WanxiaContract.Record, at: Date? = nil) -> Rejection? {
        do {
            try apply(record, at: at)
            return nil
        } catch let rejection as Rejection {
            return rejection
        } catch {
            Issue.record("expected a Rejection, got \(error)")
            return nil
        }
    }

    func count(_ table: String) throws -> Int {
        try store.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}

extension WanxiaContract.Record {
    static func retiree(_ id: String, _ name: String, unit: String? = nil) -> Self {
        .person(PersonRecord(person: id, kind: .retiree, name: name, unit: unit))
    }

    static func event(_ id: String, _ programme: Programme, _ kind: String, _ title: String, site: TopicID? = nil,
                      parent: String? = nil, _ start: String, hours: Double, counts: EventRecord.Counts? = nil) -> Self {
        let begin = t(start)
        return .event(EventRecord(event: id, programme: programme, kind: kind, title: title, site: site, parent: parent,
                                  start: begin, end: begin.addingTimeInterval(hours * 3600), counts: counts))
    }

    static func took(_ person: String, _ event: String, _ role: String = "volunteer", hours: Double,
                     status: String = "served", team: String? = nil, ledger: Ledger = .clocked,
                     supersedes: MessageID? = nil, correction: ParticipationRecord.Correction? = nil) -> Self {
        .participation(ParticipationRecord(person: person, event: event, role: role, hours: hours, ledger: ledger,
                                           status: status, team: team, supersedes: supersedes, correction: correction))
    }
}

/// Waits until `condition` holds, checking every 5 ms, or fails after `timeout`.
func eventually(_ what: String, timeout: Duration = .seconds(20), _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(try await condition()) {
        if ContinuousClock.now > deadline {
            Issue.record("timed out waiting for: \(what)")
            throw TestSupportError("timed out waiting for: \(what)")
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
