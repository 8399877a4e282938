import Foundation
import Testing
import WanxiaContract
import WanxiaDeliveryTesting
import WanxiaRegistrar
import WanxiaTesting

/// The registrar's disk really filling up under a stream, and space coming back.
///
/// The registrar runs in a mount namespace of its own (`unshare -m`) on a small tmpfs over its data
/// folder; the test fills that tmpfs with a ballast file written through `/proc/PID/root`, so
/// SQLite's commits fail with ENOSPC (SQLITE_FULL), exactly as on a full disk. Needs root (or
/// CAP_SYS_ADMIN) and a kernel that allows mount namespaces: the suite is skipped where
/// ``RegistrarTmpfsProbe/works`` finds it can't do that (an unprivileged container, macOS).
@Suite("The registrar's disk fills up mid-stream", .serialized,
       .enabled(if: RegistrarTmpfsProbe.works, "needs `unshare -m` and a tmpfs mount (root on Linux)"))
struct RegistrarDiskFullTests {
    static let fullDiskLine = "the disk is full: nothing stored, nothing acknowledged"

    @Test("it refuses and says so while full, acknowledges nothing, and resumes by itself with every record stored once",
          .timeLimit(.minutes(3)))
    func diskFills() async throws {
        let seed = RegistrarFaultSeed.make(for: "RegistrarDiskFullTests")
        var random = SplitMix64(seed: seed)
        try await TemporaryDirectory.with(prefix: "wanxia-diskfull") { folder in
            try await TestBroker.with { broker in
                let registrar = try RegistrarProcess(data: folder.appendingPathComponent("registrar"), port: broker.port,
                                                     log: folder.appendingPathComponent("registrar.log"), launch: .ownTmpfs(megabytes: 48))
                try await RegistrarProcess.with(registrar) { registrar in
                    let pid = try #require(registrar.pid)
                    let stream = try await RecordStream.start(broker, folder: folder, plan: .sized(2_000))
                    let total = stream.items.count
                    let threshold = total / 5 + Int(random.below(UInt64(total / 5)))
                    print("RegistrarDiskFullTests: \(total) items; the disk fills once \(threshold) are acknowledged")
                    try await eventually("\(threshold) items acknowledged", timeout: .seconds(90)) {
                        try stream.status().delivered >= threshold
                    }

                    let ballast = try #require(registrar.pathInside("ballast"))
                    let written = try Self.fill(ballast)
                    print("RegistrarDiskFullTests: ballast of \(written / 1_048_576) MB fills the registrar's tmpfs")
                    try await eventually("the registrar says the disk is full", timeout: .seconds(60)) {
                        Self.fullDiskLines(registrar) >= 1
                    }
                    // Acks of commits made before the disk filled may still be on their way: look from
                    // the next refused commit on, over four more (at least four seconds).
                    // A small commit may still go through now and then: SQLite writes it into WAL
                    // space the file already holds. What must hold: every acknowledged item is stored
                    // (acks follow commits), nothing is refused, and the producers keep the rest.
                    let first = Self.fullDiskLines(registrar)
                    try await eventually("four more refused commits", timeout: .seconds(60)) { Self.fullDiskLines(registrar) >= first + 4 }
                    let after = try stream.status()
                    #expect(try Self.records(registrar) >= after.delivered - stream.people.count - stream.events.count,
                            "items were acknowledged that the registrar has not stored")
                    let refusals = try stream.refusals()
                    #expect(after.rejected == 0, "items were refused while the disk was full: \(refusals)")
                    #expect(after.pending > 0 && after.pending == total - after.delivered, "the producers must keep their records")
                    #expect(!registrar.hasExited, "the registrar died of a full disk:\n\(registrar.logText().suffix(2000))")
                    print("RegistrarDiskFullTests: full with \(after.delivered) delivered, \(after.pending) kept by the producers")

                    // Space returns; the same process carries on.
                    try FileManager.default.removeItem(atPath: ballast)
                    try await eventually("every outbox is empty", timeout: .seconds(120)) { try stream.status().pending == 0 }
                    #expect(registrar.pid == pid, "the registrar must resume without a restart")
                    #expect(!registrar.hasExited)

                    // Read the book from a consistent copy taken inside the registrar's namespace.
                    let copy = folder.appendingPathComponent("registrar-copy.sqlite")
                    try registrar.inside(["registrar", "backup", "--db", "\(registrar.data.path)/registrar.sqlite", "--to", copy.path])
                    let audit = try RecordStreamAudit(stream: stream, databasePath: copy.path)
                    #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
                    #expect(audit.inboxItems == total)
                    await stream.stop()
                    #expect(await registrar.stop() == 0, "the registrar did not stop cleanly:\n\(registrar.logText().suffix(2000))")
                }
            }
        }
    }

    /// How many times the registrar has said its disk is full.
    static func fullDiskLines(_ registrar: RegistrarProcess) -> Int {
        registrar.logText().components(separatedBy: fullDiskLine).count - 1
    }

    /// Participation records in the registrar's file, read inside its namespace.
    static func records(_ registrar: RegistrarProcess) throws -> Int {
        let output = try registrar.inside(["registrar", "stats", "--db", "\(registrar.data.path)/registrar.sqlite", "--format", "json"])
        return try JSONDecoder().decode(RegistrarStatistics.self, from: Data(output.utf8)).records
    }

    /// Writes zeros to `path` until the file system refuses (ENOSPC); returns the bytes written.
    static func fill(_ path: String) throws -> Int {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw TestSupportError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var total = 0
        for size in [1 << 20, 4096, 512] {
            let zeros = [UInt8](repeating: 0, count: size)
            while true {
                let wrote = zeros.withUnsafeBytes { write(descriptor, $0.baseAddress, size) }
                if wrote > 0 { total += wrote; continue }
                guard errno == ENOSPC else { throw TestSupportError("writing \(path): \(String(cString: strerror(errno)))") }
                break
            }
        }
        return total
    }
}
