import Foundation
import WanxiaBroker

/// The reference: `mosquitto_pub -l -q 1` into `mosquitto_sub -q 1`, 200-byte lines, on our broker.
enum StockReference {
    /// Messages per second from the first publish until the subscriber has received them all.
    static func run(_ context: BenchContext) async throws -> Double {
        // At most 20,000: with tens of thousands in flight mosquitto_pub -l slows down several
        // times over (measured here: 11.4k msg/s at 30,000, 2.8k at 50,000), which would flatter
        // every ratio against it.
        let n = min(context.options.n, 20_000)
        let input = context.folder.appendingPathComponent("payloads.txt")
        try (0..<n).map(BenchContext.payload).joined(separator: "\n").appending("\n").write(to: input, atomically: true, encoding: .utf8)
        guard let sub = Executable.locate("mosquitto_sub"), let pub = Executable.locate("mosquitto_pub") else {
            throw ChildProcessError("mosquitto-clients are not installed")
        }
        let port = context.port
        let subscriber = try ChildProcess.spawn(sub, arguments: ["-p", "\(port)", "-t", "bench/stock", "-q", "1", "-C", "\(n)", "-i", "bench-sub"])
        try await Task.sleep(for: .milliseconds(500))  // let the subscription settle before timing starts
        let start = ContinuousClock.now
        let publisher = Process()
        publisher.executableURL = pub
        // -M 65535: mosquitto_pub -l stops early when its 16-bit mids wrap (measured); N <= 60,000 stays below.
        publisher.arguments = ["-p", "\(port)", "-t", "bench/stock", "-q", "1", "-l", "-M", "65535", "-i", "bench-pub"]
        publisher.standardInput = try FileHandle(forReadingFrom: input)
        try publisher.run()
        await subscriber.exited()
        let elapsed = ContinuousClock.now - start
        publisher.waitUntilExit()
        return Double(n) / elapsed.timeInterval
    }
}
