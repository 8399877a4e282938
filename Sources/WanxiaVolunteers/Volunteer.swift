import GRDB
import WanxiaDelivery

/// A volunteer in the talent pool (人才库).
public struct Volunteer: Sendable, Equatable, Codable {
    public var person: String
    public var name: String
    /// The card read at kiosks; nil if the person has none yet (then the person id is accepted).
    public var card: String?
    public var specialities: [String]
    public var phone: String?

    public init(person: String, name: String, card: String? = nil, specialities: [String] = [], phone: String? = nil) {
        self.person = person
        self.name = name
        self.card = card
        self.specialities = specialities
        self.phone = phone
    }

    init(row: Row) {
        person = row["person"]
        name = row["name"]
        card = row["card"]
        specialities = (row["specialities"] as String).split(separator: "、").map(String.init)
        phone = row["phone"]
    }

    /// The volunteer whose card, or failing that whose person id, is `card`.
    static func find(card: String, in db: Database) throws -> Volunteer? {
        // Read for each new card in an inbox commit: bound directly.
        try db.cachedStatement(sql: """
            SELECT person, name, card, specialities, phone FROM volunteer WHERE card = ?1
            UNION ALL SELECT person, name, card, specialities, phone FROM volunteer WHERE person = ?1 LIMIT 1
            """).fetchDirect({ $0.bind(card) }, row: { row in
                Volunteer(person: row.string(0), name: row.string(1), card: row.stringOrNil(2),
                          specialities: row.string(3).split(separator: "、").map(String.init), phone: row.stringOrNil(4))
            }).first
    }

    /// The volunteer with this person id.
    static func find(person: String, in db: Database) throws -> Volunteer? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM volunteer WHERE person = ?"), arguments: [person]).map(Volunteer.init(row:))
    }

    /// The name as a kiosk may show it: 张*华, 李*, W*g; the middle hidden.
    public var maskedName: String {
        let characters = Array(name)
        switch characters.count {
        case 0: return "*"
        case 1: return name
        case 2: return "\(characters[0])*"
        default: return "\(characters[0])*\(characters[characters.count - 1])"
        }
    }
}
