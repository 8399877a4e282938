import ArgumentParser

/// `wanxia mentoring`: the youth mentoring service and its administration.
struct MentoringCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentoring",
        abstract: "Youth mentoring pairs (结对帮扶): pairs, meetings, sponsorships, school talks.")
}
