import Foundation
import GRDB
import Synchronization
import Testing
import WanxiaContract
import WanxiaDelivery
import WanxiaRegistrar
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

/// A registrar file in a fresh folder, filled through the registrar's own `RegistrarIngest`, as
/// the inbox would, with item ids from a counter so that output naming them is reproducible.
final class Book: Sendable {
    let directory: URL
    let store: RegistrarStore
    let clock: TestClock
    let ingest: RegistrarIngest
    private let counter = Mutex(0)

    init(now: Date) throws {
        directory = try TemporaryDirectory.make(prefix: "wanxia-reports")
        store = try RegistrarStore(path: directory.appendingPathComponent("registrar.sqlite").path)
        let clock = TestClock(now)
        self.clock = clock
        ingest = RegistrarIngest(clock: { clock.now })
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    var path: String { store.path }

    /// Stores one record item as `producer` sent it; rethrows the registrar's `Rejection`.
    @discardableResult
    func apply(_ record: WanxiaContract.Record, producer: TopicID) throws -> MessageID {
        let number = counter.withLock { value in
            value += 1
            return value
        }
        let id = try MessageID(validating: String(format: "01890000-0000-7000-8000-%012x", number))
        let item = Item(id: id, seq: Int64(number), at: clock.now, body: record)
        let raw = try item.raw()
        try store.database.write { db in
            try ingest.apply(raw: raw, from: producer, in: db)
        }
        return id
    }
}

/// Compares `text` with the golden file `name` under Tests/Golden/reports/; `WANXIA_UPDATE_GOLDEN=1` rewrites it.
///
/// On a mismatch the actual output is written next to the golden file as `name.actual` (ignored
/// by git) and the issue names the first differing line and a `diff` command.
func expectGolden(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    // Outside the test target, so SwiftPM does not warn about unhandled files.
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden").appendingPathComponent("reports")
    let golden = folder.appendingPathComponent(name)
    let actual = folder.appendingPathComponent(name + ".actual")
    if ProcessInfo.processInfo.environment["WANXIA_UPDATE_GOLDEN"] == "1" {
        try Data(text.utf8).write(to: golden)
        try? FileManager.default.removeItem(at: actual)
        return
    }
    // Compared as bytes: decoding to String could drop a CSV's byte-order mark.
    guard let expectedData = try? Data(contentsOf: golden) else {
        Issue.record("missing golden file Tests/Golden/reports/\(name); run with WANXIA_UPDATE_GOLDEN=1 to create it", sourceLocation: sourceLocation)
        return
    }
    if expectedData == Data(text.utf8) {
        try? FileManager.default.removeItem(at: actual)
        return
    }
    try Data(text.utf8).write(to: actual)
    let old = String(decoding: expectedData, as: UTF8.self).components(separatedBy: "\n"), new = text.components(separatedBy: "\n")
    let line = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
    Issue.record("""
        Golden/\(name) differs at line \(line + 1):
          expected: \(line < old.count ? old[line] : "<end>")
          actual:   \(line < new.count ? new[line] : "<end>")
        diff -u \(golden.path) \(actual.path)   (WANXIA_UPDATE_GOLDEN=1 accepts the new output)
        """, sourceLocation: sourceLocation)
}
