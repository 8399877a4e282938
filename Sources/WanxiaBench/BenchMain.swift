import Foundation
import WanxiaDelivery
import Logging
import ServiceLifecycle
import WanxiaBroker

/// `WanxiaBench [options]`: the speed of Wanxia's paths, each beside a reference measured in the
/// same run on the same broker, and reported as a ratio (this machine is shared and noisy; ratios
/// travel better than rates). Build with `swift build -c release --product WanxiaBench --product wanxia`.
///
/// Options: `--only stock,transport,sqlite,ingest,latency,drain,e2e,queries` (all by default),
/// `-n N` (messages and records per throughput run, 50,000), `--backlog N` (check-ins queued at a
/// site for the drain, 100,000), `--book-records N` (records in the query book, 10,000,000),
/// `--book-folder DIR` (where that book is cached between runs; rebuilt when the schema changes).
@main
struct BenchMain {
    static func main() async throws {
        DeliveryDatabase.configureProcess()
        let options: BenchOptions
        do {
            options = try BenchOptions(arguments: Array(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n\n\(BenchOptions.usage)\n".utf8))
            exit(64)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wanxia-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var port = Int.random(in: 20_000...40_000)
        while LoopbackPort.accepts(port: port) { port = Int.random(in: 20_000...40_000) }
        let broker = LocalBroker(configuration: .init(dataDirectory: folder, port: port))
        let group = ServiceGroup(configuration: .init(services: [.init(service: broker)], logger: Logger(label: "bench")))
        let running = Task { try await group.run() }
        while !LoopbackPort.accepts(port: port) { try await Task.sleep(for: .milliseconds(20)) }

        let context = BenchContext(options: options, port: port, folder: folder)
        print("wanxia-bench: N = \(options.n), broker on 127.0.0.1:\(port), \(ProcessInfo.processInfo.activeProcessorCount) cores, release build")
        let clock = ContinuousClock()
        // The references come first, so that every later line can be read as a ratio to them.
        var stock: Double?
        if options.wants("stock") || options.wantsAnyOf(["ingest", "latency", "drain", "e2e"]) {
            stock = try await timed("stock") { try await StockReference.run(context) }
            BenchReport.line("stock mosquitto_pub/sub QoS 1", stock!, unit: "msg/s")
        }
        var sqlite: Double?
        if options.wants("sqlite") || options.wants("ingest") {
            sqlite = try timedSync("sqlite") { try SQLiteReference.run(context) }
            BenchReport.line("SQLite insert, one transaction, FULL", sqlite!, unit: "rows/s")
        }
        if options.wants("transport") {
            let rate = try await timed("transport") { try await TransportBench.run(context) }
            BenchReport.line("WanxiaMQTT pub/sub QoS 1", rate, unit: "msg/s", reference: stock.map { ("stock", $0) })
        }
        var ingestRate: Double?
        if options.wants("ingest") {
            let rate = try await timed("ingest") { try await IngestBench.run(context) }
            ingestRate = rate
            BenchReport.line("registrar ingest (4 producers, backlog)", rate, unit: "records/s", reference: stock.map { ("stock", $0) })
            if let sqlite { BenchReport.note(String(format: "= %.3f x the raw SQLite insert rate", rate / sqlite)) }
            if options.rounds > 1, let stock {
                try await rounds("registrar ingest", context, first: (stock, rate)) { try await IngestBench.run(context) }
            }
        }
        if options.wants("latency") {
            try await timed("latency") { try await IngestLatencyBench.run(context, fullRate: ingestRate, stock: stock) }
        }
        if options.wants("drain") {
            let rate = try await timed("drain") { try await BacklogDrainBench.run(context, stock: stock) }
            if options.rounds > 1, let stock {
                try await rounds("backlog drain", context, first: (stock, rate)) {
                    try await BacklogDrainBench.run(context, stock: nil, quiet: true)
                }
            }
        }
        if options.wants("e2e") {
            try await timed("e2e") { try await EndToEndBench.run(context, stock: stock) }
        }
        if options.wants("queries") {
            try await timed("queries") { try await QueryBench.run(context) }
        }
        BenchReport.note(String(format: "peak RSS of the bench process: %.0f MB; whole run %.0f s",
                                PeakRSS.ofSelfMegabytes(), (clock.now - context.started).timeInterval))
        await group.triggerGracefulShutdown()
        try await running.value
    }

    /// More rounds of the stock reference and a benchmark, alternately, and the median of every
    /// round's ratio (`--rounds`): the stock clients' rate alone moves by more than 1.5x within
    /// minutes on this shared machine.
    @MainActor
    static func rounds(_ name: String, _ context: BenchContext, first: (stock: Double, rate: Double),
                       measure: @MainActor () async throws -> Double) async throws {
        var rounds = [first]
        for _ in 1..<context.options.rounds {
            let stock = try await StockReference.run(context)
            let rate = try await measure()
            rounds.append((stock, rate))
        }
        let ratios = rounds.map { $0.rate / $0.stock }.sorted()
        let median = (ratios[(ratios.count - 1) / 2] + ratios[ratios.count / 2]) / 2
        let listed = rounds.map { String(format: "%.0f/%.0f = %.2f", $0.rate, $0.stock, $0.rate / $0.stock) }
        BenchReport.note("\(name)/stock by round: " + listed.joined(separator: ", "))
        print(BenchReport.pad("\(name) / stock, median of \(rounds.count) rounds")
              + String(format: " %10.2f x", median))
    }

    /// Runs one benchmark and prints how long it took, so a slow part of the script is visible.
    @discardableResult
    @MainActor
    static func timed<T>(_ name: String, _ body: @MainActor () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        let value = try await body()
        BenchReport.note(String(format: "(%@ took %.1f s)", name, (ContinuousClock.now - start).timeInterval))
        return value
    }

    static func timedSync<T>(_ name: String, _ body: () throws -> T) throws -> T {
        let start = ContinuousClock.now
        let value = try body()
        BenchReport.note(String(format: "(%@ took %.1f s)", name, (ContinuousClock.now - start).timeInterval))
        return value
    }
}
