import WanxiaContract

/// One batch item of the bad-input corpus, as JSON text the test writes itself.
///
/// Every field is pre-rendered JSON (so a field can be wrongly typed, oddly escaped or missing),
/// `tag` names the content (two items with one id and equal tags are copies; different tags
/// conflict), and `fate` is what the consumer must do with the first copy it sees.
struct BadInputItem: Sendable {
    /// What a consumer must do with an item the first time it sees the id.
    enum Fate: Sendable, Equatable {
        case stored
        case rejected(RejectCode)
    }

    /// What the item is, for the record kept in the consumer's file.
    enum Kind: Sendable, Equatable {
        case person(String)
        case event(String)
        case participation(person: String, hours: Double)
        case observation
        case other
    }

    var id: MessageID
    /// Pre-rendered JSON values; nil leaves the key out.
    var fields: [(key: String, json: String?)]
    var tag: Int
    var fate: Fate
    var kind: Kind
    /// A label for the corpus summary: which kind of valid or bad item this is.
    var label: String

    init(id: MessageID, seq: String, at: String, type: String, body: String, tag: Int = 0,
         fate: Fate, kind: Kind, label: String) {
        self.id = id
        self.fields = [("at", at), ("body", body), ("id", BadInputJSON.string(id.rawValue)), ("seq", seq), ("type", type)]
        self.tag = tag
        self.fate = fate
        self.kind = kind
        self.label = label
    }

    /// Replaces (or, with nil, removes) the JSON of one field.
    func with(_ key: String, _ json: String?) -> BadInputItem {
        var copy = self
        copy.fields = fields.map { $0.key == key ? (key, json) : $0 }
        return copy
    }

    /// The item as compact JSON, keys in the order given (sorted, unless `reversed`).
    func json(reversed: Bool = false) -> String {
        let present = fields.compactMap { field in field.json.map { (field.key, $0) } }
        let ordered = reversed ? present.reversed() : present
        return "{" + ordered.map { "\(BadInputJSON.string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}
