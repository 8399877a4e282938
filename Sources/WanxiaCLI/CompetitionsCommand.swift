import ArgumentParser

/// `wanxia competitions`: the competitions service and its administration.
struct CompetitionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "competitions",
        abstract: "Competitions (比赛): registration, fixtures, results, standings.")
}
