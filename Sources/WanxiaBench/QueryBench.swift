import Foundation
import GRDB
import WanxiaBroker
import WanxiaContract
import WanxiaRegistrar
import WanxiaReports

/// Queries on a registrar holding millions of records (``QueryBook``): one person's history and
/// hours (directly with `RegistrarQueries`, and over MQTT through a running `wanxia registrar
/// run`), the half-year report `wanxia report` computes, and the registrar's peak RSS while it
/// answers those questions and ingests a stream of records.
enum QueryBench {
    /// Persons asked about, each way (every question on 10 million records takes long enough to keep this small).
    static let persons = 50
    static let halfYear = "2023H1"

    static func run(_ context: BenchContext) async throws {
        let options = context.options
        let folder = try QueryBook.prepare(records: options.bookRecords, cache: options.bookFolder, scratch: context.folder)
        let path = folder.appendingPathComponent("registrar.sqlite").path
        var random = SplitMix64(seed: options.seed)
        let people = (0..<persons).map { _ in String(format: "r-%04d", Int(random.below(UInt64(QueryBook.people)))) }
        BenchReport.note("persons asked about: \(persons), chosen with seed \(options.seed)")

        let store = try RegistrarStore(path: path, configuration: .init(readOnly: true))
        let counts = try store.database.read { db in
            try Row.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM participation) AS records, (SELECT COUNT(*) FROM event) AS events")!
        }
        BenchReport.note("book: \(counts["records"] as Int) records, \(counts["events"] as Int) event versions")
        let queries = store.queries
        let period = try Period(parsing: halfYear)

        var whole: [Double] = []
        var half: [Double] = []
        var entries = 0
        for person in people {
            let start = ContinuousClock.now
            let history = try queries.personHistory(person: person)
            whole.append((ContinuousClock.now - start).timeInterval)
            entries += history.records.count
            let second = ContinuousClock.now
            _ = try queries.personHistory(person: person, period: period)
            half.append((ContinuousClock.now - second).timeInterval)
        }
        BenchReport.latency("person history, all years (direct)", whole)
        BenchReport.note("(\(entries / persons) records per person on average)")
        BenchReport.latency("person history, \(halfYear) (direct)", half)

        // Whole-month periods read the report tally (schema v4); the first run reads it cold.
        var reportTimes: [Double] = []
        var report: ParticipationReport?
        for _ in 0..<3 {
            let reportStart = ContinuousClock.now
            report = try ReportQueries(reader: store.database).report(period: period)
            reportTimes.append((ContinuousClock.now - reportStart).timeInterval)
        }
        BenchReport.note(String(format: "half-year report %@ (wanxia report): %.2f s first, %.2f s best of 3 (target < 2 s); %d person-times",
                                halfYear, reportTimes[0], reportTimes.min() ?? 0, report?.personTimes ?? 0))
        let yearStart = ContinuousClock.now
        let year = try ReportQueries(reader: store.database).report(period: try Period(parsing: "2023"))
        BenchReport.note(String(format: "year report 2023: %.2f s; %d person-times",
                                (ContinuousClock.now - yearStart).timeInterval, year.personTimes))
        let totalsStart = ContinuousClock.now
        _ = try queries.periodTotals(period: period)
        BenchReport.note(String(format: "period totals %@ (wanxia query totals): %.0f ms", halfYear,
                                (ContinuousClock.now - totalsStart).timeInterval * 1000))

        try await overMQTT(context, folder: folder, people: people)
    }

    /// The same person histories through a running registrar child process, while 4 producers
    /// deliver N records to it; its VmHWM is sampled throughout.
    static func overMQTT(_ context: BenchContext, folder: URL, people: [String]) async throws {
        let wanxia = try context.wanxia
        let log = context.folder.appendingPathComponent("registrar-child.log")
        let child = try ChildProcess.spawn(wanxia, arguments: [
            "registrar", "run", "--data", folder.path, "--port", "\(context.port)", "--id", "registrar",
        ], output: log)
        let sampler = Task {
            var peak = 0.0
            while !Task.isCancelled, let rss = PeakRSS.ofProcessMegabytes(child.pid) {
                peak = max(peak, rss)
                try? await Task.sleep(for: .milliseconds(100))
            }
            return peak
        }
        let link = try await BenchQueryLink(port: context.port, clientID: "bench-query")
        // Ready when the first question is answered.
        let deadline = ContinuousClock.now + .seconds(60)
        var ready = false
        while !ready, ContinuousClock.now < deadline, !child.hasExited {
            ready = try await link.ask(.init(requestId: "ready-\(UUID().uuidString.prefix(8).lowercased())",
                                             query: .personHistory, person: people[0], period: halfYear),
                                       timeout: .seconds(2)) != nil
        }
        guard ready else { throw BenchOptionsError("the registrar child did not answer within 60 s; see \(log.path)") }

        let idle = try await ask(link, people: people)
        BenchReport.latency("person history \(halfYear) over MQTT, idle", idle)
        // New producers, people and events on every run: the book is kept between runs, and a new
        // version of an event already in it would re-derive all the records earlier runs gave it.
        let tag = "book-" + String(Int(Date().timeIntervalSince1970), radix: 36)
        let ingest = Task { try await IngestBench.deliver(records: context.options.n, producers: 4, tag: tag, context: context) }
        let busy = try await ask(link, people: people)
        BenchReport.latency("  ... while the registrar ingests", busy)
        let rate = try await ingest.value
        BenchReport.line("registrar child ingest into the big book", rate, unit: "records/s")
        let start = ContinuousClock.now
        let totals = try await link.ask(.init(requestId: "totals-1", query: .periodTotals, period: halfYear), timeout: .seconds(60))
        BenchReport.note(String(format: "period totals %@ over MQTT: %.0f ms (%@)", halfYear,
                                (ContinuousClock.now - start).timeInterval * 1000, totals?.ok == true ? "ok" : "FAILED"))
        await link.close()
        let peak = PeakRSS.ofProcessMegabytes(child.pid) ?? 0
        child.send(SIGTERM)
        await child.exited()
        sampler.cancel()
        let sampled = await sampler.value
        BenchReport.note(String(format: "registrar child (wanxia registrar run) peak RSS: %.0f MB (target < 100 MB)", max(peak, sampled)))
    }

    static func ask(_ link: BenchQueryLink, people: [String]) async throws -> [Double] {
        var samples: [Double] = []
        for (index, person) in people.enumerated() {
            let start = ContinuousClock.now
            let reply = try await link.ask(.init(requestId: "q-\(index)-\(samples.count)", query: .personHistory,
                                                 person: person, period: halfYear))
            guard let reply, reply.ok else { throw BenchOptionsError("no good answer about \(person): \(String(describing: reply))") }
            samples.append((ContinuousClock.now - start).timeInterval)
        }
        return samples
    }
}
