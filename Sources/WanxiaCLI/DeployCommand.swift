import ArgumentParser
import Foundation
import WanxiaBroker

/// `wanxia deploy`: accounts, passwords and TLS certificates for a bureau's real broker.
struct DeployCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Set up a bureau's broker: the TLS CA and certificate, service accounts, one account per site.",
        discussion: """
            Works on one folder (default /etc/wanxia) next to Deploy/mosquitto.conf and Deploy/acl
            (docs/operations.md walks through an installation). Passwords are random and reach
            mosquitto_passwd on its standard input. After a change, reload the broker:
            systemctl reload mosquitto.

            Examples:
              wanxia deploy init --host mqtt.example-county.gov.cn --host 10.20.0.5 --organisation "某县委老干部局"
              wanxia deploy add-site dongcheng-centre --broker-host mqtt.example-county.gov.cn
              wanxia deploy password dongcheng-centre
              wanxia deploy accounts
            """,
        subcommands: [Initialise.self, AddSite.self, Password.self, Remove.self, Accounts.self])

    struct FolderOption: ParsableArguments {
        @Option(help: "The deployment folder.")
        var dir = "/etc/wanxia"

        var folder: DeploymentFolder { DeploymentFolder(root: URL(fileURLWithPath: dir).standardizedFileURL) }
    }

    /// Runs `body`, turning a tool failure into a one-line message and exit code 1.
    static func attempt<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ChildProcessError {
            printError("wanxia: \(error.description)")
            throw ExitCode(1)
        }
    }

    struct Initialise: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the CA, the broker's certificate and the service accounts (existing ones are kept).")

        @OptionGroup var options: FolderOption

        @Option(help: "A host name or address sites use to reach the broker (repeat for several); goes into its certificate.")
        var host: [String] = []

        @Option(help: "The bureau's name, for the CA's name.")
        var organisation = "Wanxia"

        func run() throws {
            let folder = options.folder
            let done = try DeployCommand.attempt { try folder.initialise(hosts: host, organisation: organisation) }
            print(done.createdCertificates
                  ? "CA and broker certificate created in \(folder.tlsFolder.path) (give ca.crt to every site; keep ca.key here)"
                  : "CA and broker certificate kept (\(folder.tlsFolder.path))")
            print(done.createdAccounts.isEmpty
                  ? "Service accounts kept."
                  : "Service accounts created: \(done.createdAccounts.joined(separator: ", ")) (passwords in \(folder.servicesFolder.path)/<service>.env)")
            print("Password file: \(folder.passwordFile.path). Reload the broker: systemctl reload mosquitto")
        }
    }

    struct AddSite: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-site",
            abstract: "Create a site's account and write its `wanxia site --config` file.")

        @Argument(help: "The site id, e.g. dongcheng-centre (1-64 of a-z 0-9 -).")
        var site: String

        @OptionGroup var options: FolderOption

        @Option(name: .customLong("broker-host"), help: "The broker's name as the site reaches it (must be in the certificate).")
        var brokerHost: String

        @Option(help: "The broker's TLS port.")
        var port = 8883

        @Option(name: .customLong("ca-file-on-site"), help: "Where the site will keep ca.crt.")
        var caFileOnSite = "/etc/wanxia/ca.crt"

        func validate() throws {
            do {
                try DeploymentFolder.checkAccountName(site)
            } catch let error as ChildProcessError {
                throw ValidationError(error.description)
            }
            guard (1...65535).contains(port) else { throw ValidationError("--port: \(port) is not a port (1-65535)") }
        }

        func run() throws {
            let folder = options.folder
            let credentials = try DeployCommand.attempt {
                try folder.addSite(site, brokerHost: brokerHost, port: port, caFileOnSite: caFileOnSite)
            }
            print("""
                Site \(credentials.site) can connect once the broker reloads (systemctl reload mosquitto).
                Its config file, with its password: \(folder.siteFile(site).path)
                On the site: copy that file and \(folder.caCertificate.path) (to \(caFileOnSite)), then
                  wanxia site run --config \(site).json
                """)
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a site or service a new password (its env or site file is rewritten).")

        @Argument(help: "The account: a site id or a service name.")
        var account: String

        @OptionGroup var options: FolderOption

        func run() throws {
            let folder = options.folder
            _ = try DeployCommand.attempt { try folder.rotatePassword(of: account) }
            let file = DeploymentFolder.serviceAccounts.contains(account)
                ? folder.serviceEnvironmentFile(account == "registrar-query" ? "registrar" : account) : folder.siteFile(account)
            print("""
                New password for \(account) written to \(file.path).
                Reload the broker (systemctl reload mosquitto); the old password stops working then.
                """)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an account (a site that closed).")

        @Argument(help: "The account to remove.")
        var account: String

        @OptionGroup var options: FolderOption

        func run() throws {
            try DeployCommand.attempt { try options.folder.removeAccount(account) }
            print("Account \(account) removed. Reload the broker: systemctl reload mosquitto")
        }
    }

    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts in the password file.")

        @OptionGroup var options: FolderOption

        func run() throws {
            for account in try DeployCommand.attempt({ try options.folder.accounts() }) { print(account) }
        }
    }
}
