import ArgumentParser

/// `wanxia certificate`: volunteer-hour certificates (志愿服务证明).
struct CertificateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate",
        abstract: "Volunteer-hour certificates (志愿服务证明): issue, list, verify.")
}
