import ArgumentParser

/// `wanxia classes`: the study classes service and its administration.
struct ClassesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classes",
        abstract: "Study classes (学习班): cohorts, enrolment, sessions, attendance, essays, completion.")
}
