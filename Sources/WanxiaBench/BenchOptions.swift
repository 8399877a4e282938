import Foundation

/// The bench's command line: which benchmarks, their sizes, and where the big query book is cached.
struct BenchOptions: Sendable {
    static let all = ["stock", "transport", "sqlite", "ingest", "latency", "drain", "e2e", "queries"]
    static let usage = """
        usage: WanxiaBench [--only \(all.joined(separator: ","))] [-n N] [--backlog N]
                           [--book-records N] [--book-folder DIR] [--seed S] [--rounds R] [--latency-rate R]
        """

    var only: Set<String> = Set(all)
    /// Messages or records per throughput run.
    var n = 50_000
    /// Check-ins queued at the site for the backlog drain.
    var backlog = 100_000
    /// Participation records in the query book.
    var bookRecords = 10_000_000
    /// Where the query book is cached between runs.
    var bookFolder = URL(fileURLWithPath: ".build/bench-book")
    /// Seed of every random choice (persons asked about, pacing jitter), printed for a re-run.
    var seed: UInt64 = 20_241_124
    /// Rounds of the stock reference and the registrar ingest, run alternately; the median of the
    /// rounds' ratios is printed, since one round's reference moves by 2 x on this shared machine.
    var rounds = 1
    /// The latency bench's pace in records a second; nil: half the ingest rate just measured
    /// (one-item messages at half a batched rate come near the broker's own message rate).
    var latencyRate: Int?

    init(arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw BenchOptionsError("\(flag) needs a value") }
            return next
        }
        func number(_ flag: String) throws -> Int {
            let text = try value(flag).replacingOccurrences(of: "_", with: "")
            guard let number = Int(text), number > 0 else { throw BenchOptionsError("\(flag): \"\(text)\" is not a positive number") }
            return number
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--only":
                let names = try value(flag).split(separator: ",").map(String.init)
                let unknown = names.filter { !Self.all.contains($0) }
                guard unknown.isEmpty else { throw BenchOptionsError("--only: unknown \(unknown.joined(separator: ", "))") }
                only = Set(names)
            case "-n": n = try number(flag)
            case "--backlog": backlog = try number(flag)
            case "--book-records": bookRecords = try number(flag)
            case "--book-folder": bookFolder = URL(fileURLWithPath: try value(flag))
            case "--seed": seed = UInt64(try number(flag))
            case "--rounds": rounds = try number(flag)
            case "--latency-rate": latencyRate = try number(flag)
            case "-h", "--help":
                print(Self.usage)
                exit(0)
            default:
                // The old form `WanxiaBench 40000` still works.
                guard let count = Int(flag), count > 0 else { throw BenchOptionsError("unknown argument \(flag)") }
                n = count
            }
        }
    }

    func wants(_ name: String) -> Bool { only.contains(name) }
    func wantsAnyOf(_ names: [String]) -> Bool { names.contains(where: wants) }
}

/// A command-line mistake, printed with the usage.
struct BenchOptionsError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
