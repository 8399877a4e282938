import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaDelivery
import WanxiaSite

/// `wanxia site`: the site agent and its tools.
struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "The site agent: what a kiosk, card reader, referee's tablet or teacher's phone runs.",
        discussion: """
            The agent stores every observation in its own SQLite file before it answers, then delivers it
            whenever the broker is reachable, until the programme service has acknowledged it. Nothing is
            lost when the network, the broker or a service is down.

            Examples:
              wanxia site run --site dongcheng-centre --activity act-2023-0412     (type or swipe card numbers)
              wanxia site run --config /etc/wanxia/site.json < swipes.txt
              wanxia site status --site dongcheng-centre --watch
              wanxia site import-swipes reader-export.csv --site dongcheng-centre --activity act-2023-0412
            """,
        subcommands: [Run.self, Status.self, ImportSwipes.self],
        defaultSubcommand: Run.self)
}

/// Options every `wanxia site` subcommand shares.
struct SiteOptions: ParsableArguments {
    @Option(help: "A JSON configuration file (see docs/site-agent.md). Environment WANXIA_* and these options override it.")
    var config: String?
    @Option(help: "This site's id (lowercase letters, digits, '-'), also its MQTT user name.")
    var site: String?
    @Option(help: "Folder for the site's SQLite file.")
    var data: String?
    @Option(help: "Broker host.") var host: String?
    @Option(help: "Broker port.") var port: Int?
    @Option(help: "Broker user name.") var username: String?
    @Option(help: "Broker password (better: WANXIA_PASSWORD in the environment).") var password: String?
    @Option(help: "CA certificate for TLS.") var caFile: String?
    @Option(help: "Programme for card swipes: volunteers, mentoring, competitions, classes.") var programme: String?
    @Option(help: "Activity a swipe without one is for.") var activity: String?

    func load() throws -> SiteConfiguration {
        var configuration = try SiteConfiguration.load(file: config)
        if let site { configuration.site = try TopicID(validating: site, field: "--site") }
        if let data { configuration.data = data }
        if let host { configuration.host = host }
        if let port {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be 1-65535, got \(port)") }
            configuration.port = port
        }
        if let username { configuration.username = username }
        if let password { configuration.password = password }
        if let caFile { configuration.caFile = caFile }
        if let programme {
            guard let value = Programme(rawValue: programme) else {
                throw ValidationError("--programme must be volunteers, mentoring, competitions or classes; got \(programme)")
            }
            configuration.programme = value
        }
        if let activity { configuration.activity = activity }
        return configuration
    }
}

extension SiteCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the agent: read lines (card numbers, commands, JSON) and deliver them.",
            discussion: SiteInput.helpText)

        @OptionGroup var options: SiteOptions
        @Option(help: "Read lines from this file instead of standard input.") var input: String?
        @Flag(help: "Exit once the input has ended and everything is delivered (for scripts).")
        var exitWhenDrained = false

        func run() async throws {
            let configuration = try options.load()
            LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
            let agent = try SiteAgent(configuration: configuration)
            print("晚霞 Wanxia site \(configuration.site) — data \(configuration.databasePath), broker \(configuration.host):\(configuration.port)")
            print(try agent.status().summary)
            let lines = LineReader.start(path: input)
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: agent)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "wanxia.site")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                tasks.addTask {
                    await agent.waitForRoster()
                    for await line in lines {
                        let reply = agent.submit(line)
                        if !reply.message.isEmpty { print(reply.ok ? reply.message : "✗ \(reply.message)") }
                    }
                    guard exitWhenDrained else { return }
                    while try !agent.outbox.isDrained() {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    print(try agent.status().summary)
                    await group.triggerGracefulShutdown()
                }
                try await tasks.waitForAll()
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what is still waiting to be delivered (reads the site's file; the agent may be running).")

        @OptionGroup var options: SiteOptions
        @Flag(help: "Keep showing progress until everything is delivered.") var watch = false
        @Option(help: "Also list the latest refused items, at most this many.") var rejected = 0

        func run() async throws {
            let configuration = try options.load()
            let path = configuration.databasePath
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no site file at \(path): check --site and --data")
            }
            var status = try Outbox.status(ofDatabaseAt: path)
            print(SiteStatus(site: configuration.site, outbox: status, connection: nil, clockOffset: nil).summary)
            if rejected > 0 {
                for item in try Outbox.rejectedItems(ofDatabaseAt: path, limit: rejected) {
                    print("  refused #\(item.seq) \(item.type) \(item.id): [\(item.code)] \(item.message)")
                }
            }
            guard watch, status.pending > 0 else { return }
            let total = status.pending
            let isTerminal = isatty(STDOUT_FILENO) != 0
            while status.pending > 0 {
                try await Task.sleep(for: .milliseconds(500))
                status = try Outbox.status(ofDatabaseAt: path)
                let done = total - min(total, status.pending)
                let line = ProgressLine.render(done: done, total: total, label: "delivered")
                if isTerminal { print("\r\(line)", terminator: "") } else { print(line) }
                fflush(nil)
            }
            print("\nall delivered (\(status.delivered) in all)")
        }
    }

    struct ImportSwipes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-swipes",
            abstract: "Store a card reader's export (TIME,CARD[,ACTIVITY][,in|out] per line) for delivery.")

        @OptionGroup var options: SiteOptions
        @Argument(help: "The swipe file (UTF-8, with or without BOM).") var file: String

        func run() async throws {
            let configuration = try options.load()
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(file) as UTF-8 text: \(error.localizedDescription)")
            }
            let agent = try SiteAgent(configuration: configuration)
            let report = try agent.importSwipes(text)
            print("stored \(report.imported) swipes for delivery")
            for bad in report.bad { print("  line \(bad.line): \(bad.problem)") }
            await agent.client.shutdown()
            if !report.bad.isEmpty { throw ExitCode(1) }
        }
    }
}

/// A text progress bar: `[#########.........]  4,512 / 10,000 delivered (45%)`.
enum ProgressLine {
    static func render(done: Int, total: Int, label: String, width: Int = 30) -> String {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "[\(bar)] \(done) / \(total) \(label) (\(Int(fraction * 100))%)"
    }
}

/// Lines from a file or standard input, read on a thread of their own so no task blocks.
enum LineReader {
    static func start(path: String?) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
        let thread = Thread {
            let handle: UnsafeMutablePointer<FILE>? = path.map { fopen($0, "r") } ?? fdopen(STDIN_FILENO, "r")
            guard let handle else {
                FileHandle.standardError.write(Data("cannot open \(path ?? "-")\n".utf8))
                continuation.finish()
                return
            }
            while let line = readLine(from: handle) { continuation.yield(line) }
            continuation.finish()
        }
        thread.start()
        return stream
    }

    private static func readLine(from file: UnsafeMutablePointer<FILE>) -> String? {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        let count = getline(&buffer, &capacity, file)
        guard count >= 0, let buffer else { return nil }
        return String(cString: buffer).trimmingCharacters(in: .newlines)
    }
}
