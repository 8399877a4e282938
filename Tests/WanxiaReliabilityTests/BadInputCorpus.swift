import Foundation
import WanxiaContract

/// A seeded corpus of record batches for the registrar: valid messages interleaved with every kind
/// of bad one, each message knowing what the registrar must answer.
///
/// The same seed gives the same messages byte for byte (ids included: they are drawn from the seed,
/// not the clock); only `sentAt`, stamped by the caller, differs between runs, and no outcome
/// depends on it. Messages come in rounds: an item that refers to an earlier one (a resent copy, a
/// conflicting copy, a correction) is always in a later round than the item it refers to, so the
/// test can wait for one round's answers before it sends the next and the outcome never depends on
/// the order the broker happens to deliver messages in. `roll` (people and events) goes first.
///
/// Kinds of bad input, with the code the registrar must answer (docs/registrar.md, docs/topics.md):
/// whole messages that are not JSON, truncated, of the wrong shape, oversize, not UTF-8, with an
/// unknown schema version, the wrong producer, zero or too many items, or an item envelope that
/// cannot be read; single items with seq 0, bad or unknown types, bodies of the wrong shape,
/// missing or wrongly typed fields, out-of-range hours and times, bad ids, unknown people, events
/// and corrected records, conflicting copies; plain copies, which must be acknowledged again.
struct BadInputCorpus: Sendable {
    /// A stored participation record as the registrar must hold it.
    struct Participation: Sendable, Equatable {
        var person: String
        var hours: Double
    }

    let seed: UInt64
    /// People and events the corpus refers to; every item in it must be stored.
    var roll: [BadInputMessage] = []
    var rounds: [[BadInputMessage]] = []
    /// Participation records that must be stored, by id, as first sent.
    var participations: [MessageID: Participation] = [:]
    /// Event items that must be stored (roll included).
    var eventItems: Set<MessageID> = []
    /// Person ids that must be on the roll.
    var people: Set<String> = []
    /// Events whose title is odd Unicode, with the exact title that must be stored.
    var oddTitles: [String: String] = [:]
    /// Records corrected by a stored correction.
    var superseded: Set<MessageID> = []
    /// Ids that must be acknowledged, with how many acks each must get.
    var acks: [MessageID: Int] = [:]
    /// Ids that must be rejected, with the code of each reject they must get.
    var itemRejects: [MessageID: [RejectCode]] = [:]
    /// How many messages of each kind, and how many items, for the summary.
    var labels: [String: Int] = [:]

    var messageCount: Int { roll.count + rounds.reduce(0) { $0 + $1.count } }
    var allMessages: [BadInputMessage] { roll + rounds.flatMap { $0 } }

    /// One line per kind, for the test output.
    var summary: String {
        labels.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }.joined(separator: "\n")
    }

    /// Builds a corpus of at least `messages` messages (roll not counted) from `producers`.
    static func registrar(seed: UInt64, messages: Int, producers: [TopicID], sentAt: Date,
                          roundSize: Int = 5000) -> BadInputCorpus {
        var builder = Builder(seed: seed, producers: producers, sentAt: sentAt)
        builder.makeRoll()
        var base: [[BadInputMessage]] = []
        var made = 0
        while made < messages {
            let round = base.count
            var messagesOfRound: [BadInputMessage] = []
            while messagesOfRound.count < roundSize && made < messages {
                let message = builder.makeMessage(round: round)
                messagesOfRound.append(message)
                made += 1 + builder.scheduledSinceLastCall
            }
            base.append(messagesOfRound)
        }
        let roundCount = max(base.count, (builder.followUps.keys.max() ?? 0) + 1)
        var corpus = builder.corpus
        for round in 0..<roundCount {
            let messagesOfRound = (round < base.count ? base[round] : []) + (builder.followUps[round] ?? [])
            corpus.rounds.append(builder.rng.shuffled(messagesOfRound))
        }
        return corpus
    }

    // MARK: The generator

    private struct Builder {
        var rng: SplitMix64
        var corpus: BadInputCorpus
        let producers: [TopicID]
        let sentAt: String
        var sequence: [TopicID: Int64] = [:]
        var idCounter: UInt64 = 0
        /// The first copy of each id the registrar will read: its content tag and fate.
        var firstSeen: [MessageID: (tag: Int, fate: BadInputItem.Fate)] = [:]
        /// Messages that must wait for an earlier round, by round.
        var followUps: [Int: [BadInputMessage]] = [:]
        var scheduledSinceLastCall = 0
        var rollPeople: [String] = []
        var rollYouth: [String] = []
        /// Roll events: id and length in hours, and start.
        var rollEvents: [(id: String, hours: Double, start: Date)] = []
        var newPeople = 0
        var newEvents = 0

        /// 2024-03-01T08:00:00+08:00: roll events lie in the months after it.
        static let origin = Date(timeIntervalSince1970: 1_709_251_200)
        /// 2000-01-01T00:00:00+08:00, the earliest time the registrar takes.
        static let earliest = Date(timeIntervalSince1970: 946_656_000)

        init(seed: UInt64, producers: [TopicID], sentAt: Date) {
            rng = SplitMix64(seed: seed)
            corpus = BadInputCorpus(seed: seed)
            self.producers = producers
            self.sentAt = BadInputJSON.time(sentAt)
        }

        // MARK: Drawing

        mutating func below(_ bound: Int) -> Int { Int(rng.below(UInt64(bound))) }
        mutating func chance(_ perMille: Int) -> Bool { below(1000) < perMille }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

        /// A UUIDv7 drawn from the seed: time-ordered (a fixed origin plus a counter), random bits
        /// from the generator.
        mutating func makeID() -> MessageID {
            idCounter += 1
            let millis = UInt64(1_709_251_200_000) + idCounter
            let random = rng.next()
            let randA = random & 0xFFF
            let randB = (rng.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
            let hex = String(millis, radix: 16).leftPadded(12) + "7" + String(randA, radix: 16).leftPadded(3)
                + String(randB, radix: 16).leftPadded(16)
            let text = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4),
                        hex.dropFirst(16).prefix(4), hex.dropFirst(20)].joined(separator: "-")
            // The generator builds valid text by construction; a failure here is a bug in the test.
            return try! MessageID(validating: text)
        }

        mutating func nextSeq(_ producer: TopicID) -> Int64 {
            sequence[producer, default: 0] += 1
            return sequence[producer]!
        }

        mutating func count(_ label: String, _ n: Int = 1) { corpus.labels[label, default: 0] += n }

        // MARK: Messages

        func batch(_ producer: String, _ items: [String], v: String = "1", sentAt: String? = nil,
                   itemsJSON: String? = nil) -> String {
            BadInputJSON.object([
                ("items", itemsJSON ?? "[" + items.joined(separator: ",") + "]"),
                ("producer", BadInputJSON.string(producer)),
                ("sentAt", sentAt ?? self.sentAt),
                ("v", v),
            ])
        }

        /// A readable message: registers its items with the model and returns the answers they get.
        mutating func readable(_ producer: TopicID, _ items: [BadInputItem], label: String,
                               reversedKeys: Bool = false) -> BadInputMessage {
            var answers: [BadInputMessage.Answer] = []
            for item in items {
                let answer: BadInputMessage.Answer
                if let seen = firstSeen[item.id] {
                    if seen.tag != item.tag {
                        answer = .init(id: item.id, rejection: .conflict, first: false)
                    } else if case .rejected(let code) = seen.fate {
                        answer = .init(id: item.id, rejection: code, first: false)
                    } else {
                        answer = .init(id: item.id, rejection: nil, first: false)
                    }
                } else {
                    // A refusal that is not final (unknown person or event) is not remembered:
                    // the next copy with this id is judged afresh.
                    if case .rejected(let code) = item.fate, !code.isFinal {} else { firstSeen[item.id] = (item.tag, item.fate) }
                    if case .rejected(let code) = item.fate {
                        answer = .init(id: item.id, rejection: code, first: true)
                    } else {
                        answer = .init(id: item.id, rejection: nil, first: true)
                        store(item)
                    }
                }
                answers.append(answer)
                if let code = answer.rejection {
                    corpus.itemRejects[item.id, default: []].append(code)
                } else {
                    corpus.acks[item.id, default: 0] += 1
                }
                count("item " + item.label)
            }
            count("message " + label)
            let text = batch(producer.rawValue, items.map { $0.json(reversed: reversedKeys) })
            return BadInputMessage(producer: producer, topic: Topic.records(producer: producer), payload: Data(text.utf8),
                                   fate: .items(answers), label: label)
        }

        mutating func store(_ item: BadInputItem) {
            switch item.kind {
            case .person(let id): corpus.people.insert(id)
            case .event: corpus.eventItems.insert(item.id)
            case .participation(let person, let hours): corpus.participations[item.id] = .init(person: person, hours: hours)
            case .observation, .other: break
            }
        }

        mutating func refused(_ producer: TopicID, _ payload: Data, _ code: RejectCode, label: String) -> BadInputMessage {
            count("message " + label)
            return BadInputMessage(producer: producer, topic: Topic.records(producer: producer), payload: payload,
                                   fate: .refused(code), label: label)
        }

        mutating func refused(_ producer: TopicID, _ text: String, _ code: RejectCode, label: String) -> BadInputMessage {
            refused(producer, Data(text.utf8), code, label: label)
        }

        mutating func schedule(_ message: BadInputMessage, round: Int) {
            followUps[round, default: []].append(message)
            scheduledSinceLastCall += 1
        }

        // MARK: The roll

        mutating func makeRoll() {
            let producer: TopicID = producers[0]
            var items: [BadInputItem] = []
            for n in 1...300 {
                let id = "P-\(String(n).leftPadded(5, with: "0"))"
                rollPeople.append(id)
                items.append(person(id, kind: n % 10 == 0 ? "staff" : "retiree", name: "退休干部\(n)", producer: producer))
            }
            for n in 1...40 {
                let id = "Y-\(String(n).leftPadded(4, with: "0"))"
                rollYouth.append(id)
                items.append(person(id, kind: "youth", name: nil, ageBand: "15-17", producer: producer))
            }
            for n in 1...150 {
                let id = "E-\(String(n).leftPadded(4, with: "0"))"
                let hours = pick([1.0, 1.5, 2, 3, 4])
                let start = Self.origin.addingTimeInterval(Double(below(180)) * 86_400 + Double(below(10)) * 3600)
                rollEvents.append((id, hours, start))
                items.append(event(id, title: "法律援助进社区 第\(n)场", start: start, hours: hours, producer: producer))
            }
            for chunk in stride(from: 0, to: items.count, by: 100) {
                corpus.roll.append(readable(producer, Array(items[chunk..<min(chunk + 100, items.count)]), label: "roll"))
            }
        }

        // MARK: Valid items

        mutating func item(_ producer: TopicID, type: String, body: String, at: Date, fate: BadInputItem.Fate,
                           kind: BadInputItem.Kind, label: String) -> BadInputItem {
            BadInputItem(id: makeID(), seq: String(nextSeq(producer)), at: BadInputJSON.time(at), type: BadInputJSON.string(type),
                         body: body, fate: fate, kind: kind, label: label)
        }

        mutating func person(_ id: String, kind: String, name: String?, ageBand: String? = nil,
                             producer: TopicID, nameJSON: String? = nil) -> BadInputItem {
            let body = BadInputJSON.object([("ageBand", ageBand.map(BadInputJSON.string)), ("kind", BadInputJSON.string(kind)),
                                            ("name", nameJSON ?? name.map(BadInputJSON.string)),
                                            ("person", BadInputJSON.string(id))])
            return item(producer, type: "person", body: body, at: Self.origin, fate: .stored, kind: .person(id), label: "valid person")
        }

        mutating func event(_ id: String, title: String, titleJSON: String? = nil, start: Date, hours: Double,
                            producer: TopicID) -> BadInputItem {
            let end = start.addingTimeInterval(hours * 3600)
            let body = BadInputJSON.object([
                ("end", BadInputJSON.time(end)), ("event", BadInputJSON.string(id)), ("kind", BadInputJSON.string("法律援助进社区")),
                ("parent", BadInputJSON.string("team-law")), ("programme", BadInputJSON.string("volunteers")),
                ("start", BadInputJSON.time(start)), ("title", titleJSON ?? BadInputJSON.string(title)),
            ])
            return item(producer, type: "event", body: body, at: end, fate: .stored, kind: .event(id), label: "valid event")
        }

        /// The fields of a valid participation body, to be changed by the bad kinds.
        mutating func participationFields(person: String? = nil) -> (fields: [(String, String?)], person: String, hours: Double, event: (id: String, hours: Double, start: Date)) {
            let who = person ?? (chance(100) ? pick(rollYouth) : pick(rollPeople))
            let event = pick(rollEvents)
            let hours = Double(below(Int(event.hours * 4) + 1)) / 4
            let fields: [(String, String?)] = [
                ("event", BadInputJSON.string(event.id)), ("hours", BadInputJSON.number(hours)),
                ("ledger", BadInputJSON.string(chance(800) ? "clocked" : "backfilled")),
                ("person", BadInputJSON.string(who)), ("role", BadInputJSON.string(pick(["volunteer", "leader", "learner", "player"]))),
                ("status", BadInputJSON.string("served")),
            ]
            return (fields, who, hours, event)
        }

        mutating func participation(_ producer: TopicID, person: String? = nil) -> BadInputItem {
            let made = participationFields(person: person)
            let at = made.event.start.addingTimeInterval(made.event.hours * 3600 + Double(below(3600)))
            return item(producer, type: "participation", body: BadInputJSON.object(made.fields), at: at, fate: .stored,
                        kind: .participation(person: made.person, hours: made.hours), label: "valid participation")
        }

        /// Text that is odd but valid (stored exactly), as JSON and as the string it must become.
        static let oddTexts: [(json: String, text: String)] = [
            (#""法律援助进社区 · 东城""#, "法律援助进社区 · 东城"),
            (#""\u202e右到左\u200f mark""#, "\u{202E}右到左\u{200F} mark"),
            (#""emoji 😀 family 👨‍👩‍👧""#, "emoji 😀 family 👨‍👩‍👧"),
            (#""\ud83d\ude00 escaped pair""#, "😀 escaped pair"),
            (#""e\u0301 combining""#, "e\u{301} combining"),
            (#""line\u2028sep\tab""#, "line\u{2028}sep\tab"),
            (#""\ufeffBOM first""#, "\u{FEFF}BOM first"),
            (#""'); DROP TABLE participation; --""#, "'); DROP TABLE participation; --"),
            ("\"" + String(repeating: "晚", count: 500) + "\"", String(repeating: "晚", count: 500)),
        ]

        mutating func validItem(_ producer: TopicID) -> BadInputItem {
            let roll = below(100)
            if roll < 6 {
                newPeople += 1
                let id = "NP-\(newPeople)"
                let odd = pick(Self.oddTexts)
                return chance(500)
                    ? person(id, kind: "retiree", name: odd.text, producer: producer, nameJSON: odd.json)
                    : person(id, kind: "youth", name: nil, ageBand: "65-74", producer: producer)
            }
            if roll < 12 {
                newEvents += 1
                let id = "NE-\(newEvents)"
                let odd = pick(Self.oddTexts)
                corpus.oddTitles[id] = odd.text
                let start = Self.origin.addingTimeInterval(Double(below(200)) * 86_400)
                return event(id, title: odd.text, titleJSON: odd.json, start: start, hours: 2, producer: producer)
            }
            if roll < 14 {
                // Boundaries that are still fine: 0 hours, all of the event, the earliest time allowed.
                var made = participationFields()
                let edge = below(3)
                let hours = edge == 1 ? made.event.hours : 0
                made.fields[1].1 = BadInputJSON.number(hours)
                let at = edge == 2 ? Self.earliest : made.event.start.addingTimeInterval(made.event.hours * 3600)
                return item(producer, type: "participation", body: BadInputJSON.object(made.fields), at: at, fate: .stored,
                            kind: .participation(person: made.person, hours: hours), label: "valid participation at a boundary")
            }
            return participation(producer)
        }

        // MARK: Bad items

        /// The number of kinds `badItem` knows.
        static let badItemKinds = 34

        mutating func badItem(_ producer: TopicID, kind: Int) -> BadInputItem {
            let made = participationFields()
            let at = made.event.start.addingTimeInterval(made.event.hours * 3600)
            func body(_ key: String, _ json: String?) -> String {
                BadInputJSON.object(made.fields.map { $0.0 == key ? ($0.0, json) : $0 } + (made.fields.contains { $0.0 == key } ? [] : [(key, json)]))
            }
            func participation(_ body: String, _ code: RejectCode, _ label: String, at: Date = at,
                               type: String = #""participation""#, seq: String? = nil) -> BadInputItem {
                BadInputItem(id: makeID(), seq: seq ?? String(nextSeq(producer)), at: BadInputJSON.time(at), type: type, body: body,
                             fate: .rejected(code), kind: .other, label: label)
            }
            let plain = BadInputJSON.object(made.fields)
            switch kind {
            case 0: return participation(plain, .invalidField, "seq 0", seq: "0")
            case 1: return participation(plain, .invalidField, "seq negative", seq: "-\(1 + below(1000))")
            case 2: return participation(plain, .invalidField, "type not a keyword", type: pick([#""Participation""#, #""""#, #""part icipation""#]))
            case 3: return participation(plain, .unknownType, "unknown item type", type: pick([#""reward""#, #""checkin""#, #""participation-v2""#]))
            case 4: return participation(pick([#""a string""#, "[1,2]", "null", "42", "true"]), .invalidField, "body not an object")
            case 5: return participation(body("hours", nil), .invalidField, "missing hours")
            case 6: return participation(body("person", nil), .invalidField, "missing person")
            case 7: return participation(body("ledger", nil), .invalidField, "missing ledger")
            case 8: return participation(body("hours", #""2""#), .invalidField, "hours as a string")
            case 9: return participation(body("person", "12345"), .invalidField, "person as a number")
            case 10: return participation(body("ledger", #""manual""#), .invalidField, "unknown ledger")
            case 11: return participation(body("hours", "-" + BadInputJSON.number(Double(1 + below(40)) / 4)), .outOfRange, "negative hours")
            case 12: return participation(body("hours", pick(["1e6", "99999", "1.7976931348623157e308"])), .outOfRange, "huge hours")
            case 13: return participation(body("hours", BadInputJSON.number(made.event.hours + 0.25)), .outOfRange, "hours longer than the event")
            case 14: return participation(plain, .outOfRange, "time before 2000",
                                          at: pick([Date(timeIntervalSince1970: 0), Self.earliest.addingTimeInterval(-1), Date(timeIntervalSince1970: 915_148_800)]))
            case 15: return participation(plain, .outOfRange, "time far in the future",
                                          at: pick([Date(timeIntervalSince1970: 4_102_444_800), Date(timeIntervalSince1970: 32_503_680_000)]))
            case 16: return participation(body("person", #""""#), .invalidField, "empty person id")
            case 17: return participation(body("person", BadInputJSON.string(String(repeating: "P", count: pick([129, 2000])))), .invalidField, "over-long person id")
            case 18: return participation(body("person", pick([#""张三""#, #""\u202eP-00001""#, #""P 00001""#, #""P-0\u00001""#])), .invalidField, "person id with odd characters")
            case 19: return participation(body("person", BadInputJSON.string("P-9\(below(100_000))")), .unknownPerson, "unknown person")
            case 20: return participation(body("event", BadInputJSON.string("X-\(below(100_000))")), .unknownEvent, "unknown event")
            case 21: return participation(body("role", pick([#""""#, #""Volunteer""#, #""志愿者""#])), .invalidField, "bad role")
            case 22: return participation(body("status", pick([#""已到""#, #""SERVED""#, #""served-""#])), .invalidField, "bad status")
            case 23:
                // Check-out before check-in.
                let start = made.event.start.addingTimeInterval(3600)
                return participation(BadInputJSON.object(made.fields + [("end", BadInputJSON.time(made.event.start)), ("start", BadInputJSON.time(start))]),
                                     .invalidField, "end before start")
            case 24: return participation(body("start", BadInputJSON.time(Date(timeIntervalSince1970: 4_102_444_800))), .outOfRange, "start far in the future")
            case 25: return participation(body("supersedes", BadInputJSON.string(makeID().rawValue)) .replacingOccurrences(of: "}", with: #","correction":{"by":"clerk-1","reason":"typo"}}"#),
                                          .unknownRecord, "correction of an unknown record")
            case 26: return participation(body("supersedes", BadInputJSON.string(makeID().rawValue)), .invalidField, "correction without who and why")
            case 27: return participation(body("supersedes", #""not-a-uuid""#), .invalidField, "supersedes not an id")
            case 28:
                let id = makeID()
                return BadInputItem(id: id, seq: String(nextSeq(producer)), at: BadInputJSON.time(Self.origin), type: #""person""#,
                                    body: BadInputJSON.object([("kind", #""youth""#), ("name", #""李小明""#), ("person", BadInputJSON.string("YN-\(idCounter)"))]),
                                    fate: .rejected(.invalidField), kind: .other, label: "young person with a name")
            case 29:
                return BadInputItem(id: makeID(), seq: String(nextSeq(producer)), at: BadInputJSON.time(Self.origin), type: #""person""#,
                                    body: BadInputJSON.object([("idCard", #""110101195001011234""#), ("kind", #""retiree""#), ("person", BadInputJSON.string("PX-\(idCounter)"))]),
                                    fate: .rejected(.invalidField), kind: .other, label: "person with an unknown field")
            case 30:
                return BadInputItem(id: makeID(), seq: String(nextSeq(producer)), at: BadInputJSON.time(Self.origin), type: #""person""#,
                                    body: BadInputJSON.object([("kind", pick([#""alien""#, #""Retiree""#, "3"])), ("person", BadInputJSON.string("PK-\(idCounter)"))]),
                                    fate: .rejected(.invalidField), kind: .other, label: "person of an unknown kind")
            case 31:
                let start = Self.origin.addingTimeInterval(Double(below(100)) * 86_400)
                // A NUL would be cut off by SQLite's text binding, so text refuses it.
                let title = pick([#""""#, "\"" + String(repeating: "题", count: 501) + "\"", #""NUL\u0000inside""#])
                return BadInputItem(id: makeID(), seq: String(nextSeq(producer)), at: BadInputJSON.time(start), type: #""event""#,
                                    body: BadInputJSON.object([("end", BadInputJSON.time(start.addingTimeInterval(3600))), ("event", BadInputJSON.string("BE-\(idCounter)")),
                                                               ("kind", #""门球赛""#), ("programme", #""competitions""#), ("start", BadInputJSON.time(start)), ("title", title)]),
                                    fate: .rejected(.invalidField), kind: .other, label: "event title empty, over 500 or with NUL")
            case 32:
                let start = Self.origin.addingTimeInterval(Double(below(100)) * 86_400)
                return BadInputItem(id: makeID(), seq: String(nextSeq(producer)), at: BadInputJSON.time(start), type: #""event""#,
                                    body: BadInputJSON.object([("end", BadInputJSON.time(start.addingTimeInterval(-60))), ("event", BadInputJSON.string("BE-\(idCounter)")),
                                                               ("kind", #""门球赛""#), ("programme", pick([#""competitions""#, #""knitting""#])), ("start", BadInputJSON.time(start)), ("title", #""决赛""#)]),
                                    fate: .rejected(.invalidField), kind: .other, label: "event ending before it starts or of no programme")
            default:
                let start = Date(timeIntervalSince1970: 915_148_800)
                return BadInputItem(id: makeID(), seq: String(nextSeq(producer)), at: BadInputJSON.time(Self.origin), type: #""event""#,
                                    body: BadInputJSON.object([("end", BadInputJSON.time(start.addingTimeInterval(3600))), ("event", BadInputJSON.string("BE-\(idCounter)")),
                                                               ("kind", #""门球赛""#), ("programme", #""competitions""#), ("start", BadInputJSON.time(start)), ("title", #""1999 年的比赛""#)]),
                                    fate: .rejected(.outOfRange), kind: .other, label: "event held before 2000")
            }
        }

        // MARK: One message of the corpus

        mutating func makeMessage(round: Int) -> BadInputMessage {
            scheduledSinceLastCall = 0
            let producer = pick(producers)
            let roll = below(1000)
            if roll < 560 {
                let items = (0..<(1 + below(2))).map { _ in validItem(producer) }
                let message = readable(producer, items, label: "valid batch")
                followUp(message, items: items, producer: producer, round: round)
                return message
            }
            if roll < 800 {
                var items = (0..<(1 + below(2))).map { _ in validItem(producer) }
                for _ in 0..<(1 + below(2)) {
                    items.insert(badItem(producer, kind: below(Self.badItemKinds)), at: below(items.count + 1))
                }
                let message = readable(producer, items, label: "mixed batch")
                followUp(message, items: items, producer: producer, round: round)
                return message
            }
            return badMessage(producer)
        }

        /// Now and then, a later copy of `message`, a conflicting copy, or a correction.
        mutating func followUp(_ message: BadInputMessage, items: [BadInputItem], producer: TopicID, round: Int) {
            let roll = below(1000)
            if roll < 30 {
                // The very same bytes again, as an outbox resends after a timeout.
                schedule(resend(message, items: items, producer: producer, label: "resent copy"), round: round + 1 + below(2))
            } else if roll < 40 {
                // The same items with keys in another order: the same content, so acknowledged again.
                var copy = readable(producer, items, label: "resent copy, keys reordered", reversedKeys: true)
                copy.label = "resent copy, keys reordered"
                schedule(copy, round: round + 1)
            } else if roll < 55, let original = items.first(where: { if case .participation = $0.kind { return $0.fate == .stored } else { return false } }) {
                // The same id with other content: refused as a conflict; the first copy stands.
                var changed = original.with("body", original.fields.first { $0.key == "body" }!.json!.replacingOccurrences(of: #""status":"served""#, with: #""status":"late""#))
                changed.tag = original.tag + 1
                changed.label = "conflicting copy"
                schedule(readable(producer, [changed], label: "conflicting copy"), round: round + 1)
            } else if roll < 60, let rejected = items.first(where: { $0.fate != .stored }) {
                // A "fixed" resend of a refused item under its old id: a conflict if the refusal
                // was final; stored if it was not (an unknown person or event: nothing remembered).
                var fixed = participation(producer)
                fixed.id = rejected.id
                fixed.fields = fixed.fields.map { $0.key == "id" ? ("id", BadInputJSON.string(rejected.id.rawValue)) : $0 }
                fixed.tag = rejected.tag + 1
                if case .rejected(let code) = rejected.fate, !code.isFinal {} else {
                    fixed.fate = .rejected(.conflict)
                    fixed.kind = .other
                }
                fixed.label = "refused item resent fixed under its old id"
                schedule(readable(producer, [fixed], label: "refused item resent fixed"), round: round + 1)
            } else if roll < 75, let original = items.first(where: { if case .participation = $0.kind { return $0.fate == .stored } else { return false } }),
                      case .participation(let person, _) = original.kind {
                // A correction (stored), then a second correction of the same record (refused).
                let corrected = original.id
                let first = correction(producer, of: corrected, person: person, fate: .stored, label: "valid correction")
                corpus.superseded.insert(corrected)
                schedule(readable(producer, [first], label: "correction"), round: round + 1)
                let second = correction(producer, of: corrected, person: person, fate: .rejected(.invalidField),
                                        label: "second correction of a corrected record")
                schedule(readable(producer, [second], label: "second correction"), round: round + 2)
            }
        }

        mutating func resend(_ message: BadInputMessage, items: [BadInputItem], producer: TopicID, label: String) -> BadInputMessage {
            var copy = readable(producer, items, label: label)
            copy.payload = message.payload
            return copy
        }

        mutating func correction(_ producer: TopicID, of record: MessageID, person: String, fate: BadInputItem.Fate,
                                 label: String) -> BadInputItem {
            var made = participationFields(person: person)
            let event = made.fields[0]
            made.fields = made.fields.filter { $0.0 != "event" }
            made.fields.insert(event, at: 0)
            made.fields.append(("supersedes", BadInputJSON.string(record.rawValue)))
            made.fields.insert(("correction", #"{"by":"clerk-1","reason":"签到时间录错"}"#), at: 0)
            let at = made.event.start.addingTimeInterval(made.event.hours * 3600 + 86_400)
            let kind: BadInputItem.Kind = fate == .stored ? .participation(person: person, hours: made.hours) : .other
            return item(producer, type: "participation", body: BadInputJSON.object(made.fields), at: at, fate: fate, kind: kind, label: label)
        }

        // MARK: Bad messages

        mutating func badMessage(_ producer: TopicID) -> BadInputMessage {
            let p = producer.rawValue
            let valid = [participation(producer).json()]
            // Items of a refused message never reach the item checks: they are not registered.
            switch below(22) {
            case 0: return refused(producer, pick(["wanxia", "<batch/>", "{items:[]}", "", " ", "{\"v\":1,", "undefined", "晚霞"]), .malformedJSON, label: "not JSON")
            case 1:
                var bytes = Array(batch(p, valid).utf8)
                var cut = 1 + below(bytes.count - 1)
                while cut > 1 && (0x80...0xBF).contains(bytes[cut]) { cut -= 1 }
                bytes.removeSubrange(cut...)
                return refused(producer, Data(bytes), .malformedJSON, label: "truncated JSON")
            case 2: return refused(producer, pick(["[1,2,3]", "42", "\"batch\"", "null", "true", "[]"]), .invalidField, label: "JSON not an object")
            case 3: return refused(producer, pick(["{}", #"{"v":1}"#, BadInputJSON.object([("items", "[" + valid[0] + "]"), ("producer", BadInputJSON.string(p)), ("v", "1")])]),
                                   .invalidField, label: "batch missing fields")
            case 4: return refused(producer, pick([batch(p, valid, v: #""1""#), batch(p, valid, itemsJSON: "{}"), batch(p, valid, sentAt: "12345"),
                                                   BadInputJSON.object([("items", "[" + valid[0] + "]"), ("producer", "7"), ("sentAt", sentAt), ("v", "1")])]),
                                   .invalidField, label: "batch field of the wrong type")
            case 5: return refused(producer, batch(p, valid, v: pick(["2", "0", "99", "-1"])), .unsupportedVersion, label: "unknown schema version")
            case 6: return refused(producer, batch(pick(producers.filter { $0 != producer } + ["kiosk-1"]).description, valid), .invalidField, label: "wrong producer")
            case 7: return refused(producer, batch(pick(["Volunteers", "", "a/b", "志愿"]), valid), .invalidField, label: "producer not an id")
            case 8: return refused(producer, batch(p, []), .invalidField, label: "zero items")
            case 9:
                if chance(20) {
                    let items = (0..<1001).map { _ in participation(producer).json() }
                    return refused(producer, batch(p, items), .invalidField, label: "1001 items")
                }
                return refused(producer, batch(p, valid, sentAt: pick([#""2024-05-01T09:00:00""#, #""yesterday""#, "null"])), .invalidField, label: "sentAt not a time")
            case 10:
                if chance(8) {
                    let title = BadInputJSON.string(String(repeating: "x", count: 1024 * 1024 + below(1000)))
                    let big = event("BIG-\(idCounter)", title: "", titleJSON: title, start: Self.origin, hours: 1, producer: producer)
                    return refused(producer, batch(p, [big.json()]), .oversize, label: "oversize")
                }
                return refused(producer, batch(p, valid, sentAt: "\"2024-02-30T09:00:00+08:00\""), .invalidField, label: "sentAt not a time")
            case 11:
                var bytes = Array(batch(p, valid).utf8)
                let at = 1 + below(bytes.count - 2)
                let bad: [UInt8] = pick([[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE6, 0x99], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE, 0xFF]])
                bytes.replaceSubrange(at..<(at + 1), with: bad)
                return refused(producer, Data(bytes), .invalidUTF8, label: "not UTF-8")
            case 12:
                let good = participation(producer)
                let id = pick([#""""#, #""x""#, BadInputJSON.string(String(repeating: "0", count: 129)),
                               BadInputJSON.string(good.id.rawValue.uppercased()), #""0190a5e2-3c4d-4e5f-8a6b-7c8d9e0f1a2b""#, "12345", "null"])
                return refused(producer, batch(p, [good.with("id", id).json()]), .invalidField, label: "item id not a UUIDv7")
            case 13:
                let good = participation(producer)
                return refused(producer, batch(p, [good.with(pick(["id", "seq", "at", "type", "body"]), nil).json()]), .invalidField, label: "item envelope missing a field")
            case 14:
                let good = participation(producer)
                let change = pick([("seq", #""1""#), ("seq", "1.5"), ("seq", "1e30"), ("at", #""2024-05-01T09:00:00""#), ("at", #""yesterday""#),
                                   ("at", "1714525200"), ("type", "7"), ("type", "null")])
                return refused(producer, batch(p, [good.with(change.0, change.1).json()]), .invalidField, label: "item envelope field of the wrong type")
            case 15:
                // A raw control character inside a string is not JSON (RFC 8259): the whole message
                // is refused, wherever the string is (the envelope, or an item's body).
                let text = chance(500)
                    ? batch(p, valid).replacingOccurrences(of: #""sentAt":""#, with: "\"sentAt\":\"\u{0}")
                    : batch(p, valid).replacingOccurrences(of: #""served""#, with: "\"ser\u{0}ved\"")
                return refused(producer, text, .malformedJSON, label: "raw NUL in a string")
            case 16:
                if chance(300) {
                    count("message kept: topic names no producer")
                    let text = batch(p, valid)
                    let topic = "wanxia/v1/registrar/records/" + pick(["Bad_Producer", "-dash", "UPPER", "晚霞"])
                    return BadInputMessage(producer: producer, topic: topic, payload: Data(text.utf8), fate: .kept(.invalidField),
                                           label: "topic names no producer")
                }
                return refused(producer, batch(p, valid) + pick(["}", " trailing", ",{}"]), .malformedJSON, label: "trailing garbage")
            case 17: return refused(producer, "{\"v\":1,\"items\":[" + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "]}", .malformedJSON, label: "deeply nested")
            default:
                // Mostly valid-looking messages, in the share bad ones have in a busy bureau.
                return refused(producer, batch(p, valid, v: "1.0e0x"), .malformedJSON, label: "number not JSON")
            }
        }
    }
}

extension String {
    /// The string padded on the left to `width` with `pad`.
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

extension RejectCode {
    /// A correction names no record the registrar holds (the registrar's own code).
    static let unknownRecord: RejectCode = "unknown-record"
}
