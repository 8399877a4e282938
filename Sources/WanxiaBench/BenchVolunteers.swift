import Foundation
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaMQTT
import WanxiaVolunteers

/// A volunteers service file set up for the benches: `people` volunteers with cards `c-0000`...,
/// all in team `bench` (leader v-0000), and the activities the caller plans.
enum BenchVolunteers {
    /// The hour rules with the per-day pair limit lifted: the benches check people in many times a day.
    static let policy = HourPolicy(maxPairsPerDay: 1_000_000)

    static func person(_ index: Int) -> String { String(format: "v-%04d", index) }
    static func card(_ index: Int) -> String { String(format: "c-%04d", index) }

    /// Creates the service's file in `data` with the volunteers, the team and `activities`.
    static func prepare(data: URL, people: Int, activities: [Activity]) throws {
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let store = try VolunteersStore(path: data.appendingPathComponent("volunteers.sqlite").path, policy: policy)
        let pool = "编号,姓名,卡号\n" + (0..<people).map { "\(person($0)),志愿者\($0),\(card($0))" }.joined(separator: "\n")
        let team = "队伍编号,队伍名称,编号,角色\n" + (0..<people).map {
            "bench,基准服务队,\(person($0)),\($0 == 0 ? "队长" : "队员")"
        }.joined(separator: "\n")
        let imported = try store.importVolunteers(Data(pool.utf8), file: "pool.csv")
        let members = try store.importTeams(Data(team.utf8), file: "team.csv")
        guard imported.badRows.isEmpty, members.badRows.isEmpty else {
            throw BenchOptionsError("bench volunteers: import refused \(imported.badRows + members.badRows)")
        }
        for activity in activities { _ = try store.plan(activity) }
    }

    /// The service over `data`, on the bench's broker.
    static func service(data: URL, port: Int) -> VolunteersService {
        VolunteersService(configuration: .init(dataDirectory: data, mqtt: MQTTConfiguration(port: port, clientID: "volunteers"),
                                               policy: policy))
    }
}
