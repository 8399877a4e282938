import Foundation
import WanxiaTesting

/// Whether a test may give a process a tmpfs of its own in a private mount namespace.
enum RegistrarTmpfsProbe {
    /// Whether this machine lets us mount a tmpfs in a mount namespace of our own: the probe runs
    /// the very command the test uses, on a 1 MB tmpfs that vanishes when the probe exits.
    static let works: Bool = {
        guard let folder = try? TemporaryDirectory.make(prefix: "wanxia-tmpfs-probe") else { return false }
        defer { try? FileManager.default.removeItem(at: folder) }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        probe.arguments = ["-m", "sh", "-c", #"mount -t tmpfs -o size=1m tmpfs "$1" && touch "$1/probe""#, "sh", folder.path]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        // The file went to the tmpfs, so the host's folder must still be empty.
        let leaked = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == false
        return probe.terminationStatus == 0 && !leaked
    }()
}
