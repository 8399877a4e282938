import ArgumentParser
import WanxiaContract
import WanxiaRegistrar

/// `wanxia query`: ask the registrar about one person, one group, or a period's totals.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Ask the registrar: a person's hours, a group's participation, a period's totals.",
        discussion: """
            By default the question goes over MQTT to a running registrar (`wanxia registrar run`) via the
            broker at --host/--port; with --db FILE the registrar's SQLite file is read directly, read-only.

            Periods: 2023, 2023年, 2023H1, 2023上半年, 2023下半年, 2023Q2, 2023年第二季度, 2023-05, 2023年5月,
            2023-01-01..2023-06-30 (inclusive), computed in China Standard Time (UTC+8). An event counts
            in the period its start lies in. Person-times (人次) count one person once per event.

            Examples:
              wanxia query person P-0001
              wanxia query person P-0001 --period 2023上半年 --format csv > 张三.csv
              wanxia query person P-0001 --as-of 2023-12-10          # before later corrections
              wanxia query group team team-law --period 2023H1
              wanxia query group cohort cohort-2023-1 --db /var/lib/wanxia/registrar.sqlite
              wanxia query totals --period 2023年第二季度 --programme volunteers --format json

            Exit codes: 0 answered, 1 the registrar refused the question (e.g. unknown person),
            2 usage error, 3 the registrar or its file could not be reached.
            """,
        subcommands: [Person.self, Group.self, Totals.self])

    /// `wanxia query person ID`.
    struct Person: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One person's records and hours, by programme.",
            discussion: """
                Examples:
                  wanxia query person P-0001 --period 2023H1
                  wanxia query person P-0001 --programme volunteers --db registrar.sqlite
                """)

        @Argument(help: "The person's id, e.g. P-0001.")
        var person: String

        @Option(help: "Limit to a period, e.g. 2023H1 or 2023上半年.")
        var period: String?

        @Option(help: "Limit to one programme: volunteers, mentoring, competitions or classes.")
        var programme: Programme?

        @OptionGroup var options: CLIQueryOptions

        func validate() throws { _ = try CLIQueryOptions.period(period) }

        func run() async throws {
            let request = QueryRequest(requestId: "cli-person", query: .personHistory, person: person,
                                       period: try CLIQueryOptions.period(period)?.canonical, programme: programme,
                                       asOf: try options.asOfDate())
            try await options.run(request) { output, reply in try output.render(reply.result(as: PersonHistory.self)) }
        }
    }

    /// `wanxia query group KIND ID`.
    struct Group: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A team's, cohort's, competition's, site's or event's participation and hours.",
            discussion: """
                A team counts its members' records (or, for volunteer events without a team, the event's
                parent); a cohort or competition its events' records; a site the events held there.

                Examples:
                  wanxia query group team team-law --period 2023H1
                  wanxia query group site dongcheng-centre --period 2023年5月
                  wanxia query group event E-3 --format csv
                """)

        @Argument(help: "team, cohort, competition, site or event.")
        var kind: GroupRef.Kind

        @Argument(help: "The group's id.")
        var id: String

        @Option(help: "Limit to a period, e.g. 2023H1 or 2023上半年.")
        var period: String?

        @OptionGroup var options: CLIQueryOptions

        func validate() throws { _ = try CLIQueryOptions.period(period) }

        func run() async throws {
            let request = QueryRequest(requestId: "cli-group", query: .groupParticipation, group: GroupRef(kind: kind, id: id),
                                       period: try CLIQueryOptions.period(period)?.canonical, asOf: try options.asOfDate())
            try await options.run(request) { output, reply in try output.render(reply.result(as: GroupParticipation.self)) }
        }
    }

    /// `wanxia query totals --period P`.
    struct Totals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A period's figures by programme and kind, for the work summary.",
            discussion: """
                Events held, person-times, distinct people, hours, audience, works submitted and selected,
                essays, suggestions collected and adopted.

                Examples:
                  wanxia query totals --period 2023上半年
                  wanxia query totals --period 2023 --programme competitions --format csv > 2023比赛.csv
                """)

        @Option(help: "The period, e.g. 2023H1, 2023上半年, 2023Q2, 2023-05 or 2023-01-01..2023-06-30.")
        var period: String

        @Option(help: "Limit to one programme: volunteers, mentoring, competitions or classes.")
        var programme: Programme?

        @OptionGroup var options: CLIQueryOptions

        func validate() throws { _ = try CLIQueryOptions.period(period) }

        func run() async throws {
            let request = QueryRequest(requestId: "cli-totals", query: .periodTotals,
                                       period: try CLIQueryOptions.period(period)?.canonical, programme: programme,
                                       asOf: try options.asOfDate())
            try await options.run(request) { output, reply in try output.render(reply.result(as: PeriodTotals.self)) }
        }
    }
}

extension Programme: ExpressibleByArgument {}
extension GroupRef.Kind: ExpressibleByArgument {}
