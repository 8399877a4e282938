import GRDB
import WanxiaDelivery

/// A volunteer team (志愿服务队), such as 送法律服务队, with its leaders and members.
public struct Team: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    /// Person ids of the leaders (also members).
    public var leaders: [String]
    /// Person ids of every member, leaders included.
    public var members: [String]

    public init(id: String, name: String, leaders: [String], members: [String]) {
        self.id = id
        self.name = name
        self.leaders = leaders
        self.members = members
    }

    /// The team with this id, with its members.
    static func find(_ id: String, in db: Database) throws -> Team? {
        guard let name = try String.fetchOne(db, sql: "SELECT name FROM team WHERE id = ?", arguments: [id]) else { return nil }
        let rows = try Row.fetchAll(db, sql: "SELECT person, leader FROM team_member WHERE team = ? ORDER BY person", arguments: [id])
        return Team(id: id, name: name, leaders: rows.filter { $0["leader"] as Bool }.map { $0["person"] },
                    members: rows.map { $0["person"] })
    }

    /// The team with this id, listing among its members (and leaders) only `person`, if they belong.
    ///
    /// What checking one scan needs: a team of hundreds is not read for every item. The result
    /// answers `isMember` and `isLeader` truly for `person` only; use `find(_:in:)` for the whole team.
    static func find(_ id: String, member person: String, in db: Database) throws -> Team? {
        guard let (name, leader) = try db.cachedStatement(sql: """
            SELECT team.name, team_member.leader FROM team
            LEFT JOIN team_member ON team_member.team = team.id AND team_member.person = ?
            WHERE team.id = ?
            """).fetchDirect({
                $0.bind(person)
                $0.bind(id)
            }, row: { row in (row.string(0), row.isNull(1) ? nil : row.int64(1) != 0) }).first else { return nil }
        return Team(id: id, name: name, leaders: leader == true ? [person] : [], members: leader == nil ? [] : [person])
    }

    /// Every team, by id.
    static func all(in db: Database) throws -> [Team] {
        try String.fetchAll(db, sql: "SELECT id FROM team ORDER BY id").compactMap { try find($0, in: db) }
    }

    public func isLeader(_ person: String) -> Bool { leaders.contains(person) }
    public func isMember(_ person: String) -> Bool { members.contains(person) }
}
