import ArgumentParser

/// `wanxia site`: the site agent (filled in by the delivery work).
struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Run a site agent: a kiosk, card reader, referee's tablet or teacher's phone.")

    func run() async throws {}
}
