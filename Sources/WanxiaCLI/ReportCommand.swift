import ArgumentParser

/// `wanxia report`: the participation report of a period.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Participation report of a period (工作总结数据), in Chinese or English.")
}
