import GRDB

/// A person on the classes roll: a learner, or a teacher (who is on the roll too).
public struct Learner: Sendable, Equatable, Codable {
    public var person: String
    public var name: String
    /// The card read at kiosks; nil if the person has none (then the person id is accepted).
    public var card: String?
    /// Former work unit (原单位).
    public var unit: String?
    public var phone: String?

    public init(person: String, name: String, card: String? = nil, unit: String? = nil, phone: String? = nil) {
        self.person = person
        self.name = name
        self.card = card
        self.unit = unit
        self.phone = phone
    }

    init(row: Row) {
        person = row["person"]
        name = row["name"]
        card = row["card"]
        unit = row["unit"]
        phone = row["phone"]
    }

    /// The person whose card, or failing that whose person id, is `card`.
    static func find(card: String, in db: Database) throws -> Learner? {
        try Row.fetchOne(db, sql: "SELECT * FROM learner WHERE card = ? UNION ALL SELECT * FROM learner WHERE person = ? LIMIT 1",
                         arguments: [card, card]).map(Learner.init(row:))
    }

    /// The person with this id.
    static func find(person: String, in db: Database) throws -> Learner? {
        try Row.fetchOne(db, sql: "SELECT * FROM learner WHERE person = ?", arguments: [person]).map(Learner.init(row:))
    }

    /// The name as a kiosk may show it: 张*华, 李*; the middle hidden.
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
