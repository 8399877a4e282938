import Foundation

/// The bench's output lines: a name padded to one column, a rate, and its ratio to a reference.
enum BenchReport {
    static func line(_ name: String, _ rate: Double, unit: String, reference: (String, Double)? = nil) {
        var text = pad(name) + String(format: " %10.0f ", rate) + unit
        if let (label, value) = reference { text += String(format: "   = %.2f x ", rate / value) + label }
        print(text)
        fflush(nil)
    }

    /// A latency line: p50, p99 and max of `samples` (seconds), in milliseconds.
    static func latency(_ name: String, _ samples: [Double]) {
        let sorted = samples.sorted()
        print(pad(name) + String(format: " p50 %8.2f ms   p99 %8.2f ms   max %8.2f ms   (%d samples)",
                                 percentile(sorted, 0.5) * 1000, percentile(sorted, 0.99) * 1000,
                                 (sorted.last ?? 0) * 1000, sorted.count))
        fflush(nil)
    }

    static func note(_ text: String) {
        print(pad("") + " " + text)
        fflush(nil)
    }

    /// The `q` quantile (nearest rank) of ascending `sorted`; 0 when empty.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    static func pad(_ text: String) -> String {
        text.count >= 42 ? text : text + String(repeating: " ", count: 42 - text.count)
    }
}
