import ArgumentParser
import WanxiaDelivery

/// The `wanxia` command: one root with a subcommand per part of the system.
@main
struct Wanxia: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wanxia",
        abstract: "晚霞 Wanxia: volunteer work, activities and participation records for a retired-cadres bureau.",
        discussion: """
            Sites publish check-ins and other observations over MQTT; the programme services turn them
            into participation records; the registrar keeps each record once, in SQLite.

            Start here:
              wanxia up                      run everything on this machine (local broker, SQLite files)
              wanxia site --help             the program a kiosk, card reader or tablet runs
              wanxia query --help            ask the registrar
            """,
        version: "0.1.0",
        subcommands: [
            UpCommand.self,
            SiteCommand.self,
            QueryCommand.self, RegistrarCommand.self,
            VolunteersCommand.self, MentoringCommand.self, CompetitionsCommand.self, ClassesCommand.self,
            ReportCommand.self, CertificateCommand.self,
            DeployCommand.self,
        ]
    )

    /// SQLite's process-wide settings first, before any command opens a file.
    static func main() async {
        DeliveryDatabase.configureProcess()
        await main(nil)
    }
}
