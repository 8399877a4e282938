import Foundation

/// Peak resident memory: of this process (getrusage), or of a child by its pid (VmHWM in /proc).
enum PeakRSS {
    static func ofSelfMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// `VmHWM` of a running process, in MB; nil once it has exited or on a system without /proc.
    static func ofProcessMegabytes(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first
            return kilobytes.map { $0 / 1024 }
        }
        return nil
    }
}
