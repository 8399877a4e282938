import Foundation
import GRDB
import WanxiaContract

/// Writes a random registrar book with direct SQL, step by step, from a recorded seed.
///
/// Each step is one of: a new event version (often out of `at` order, possibly moving the event's
/// start, programme, kind or parent), a record (sometimes for an event with no version yet), or a
/// correction of a current record (so chains form). `recorded_at` grows by one second a step.
struct CurrentViewBookGenerator {
    var random: SplitMix64
    let people: [String] = (0..<12).map { String(format: "P-%03d", $0) } + ["Y-001", "Y-002"]
    let events: [String] = (0..<30).map { "E-\($0)" }
    let firstRecordedAt: Int64 = 1_704_038_400_000  // 2024-01-01 +08:00
    private var step = 0
    private var versions = 0
    private var serial: UInt64 = 0
    /// Records no correction supersedes yet.
    private var open: [(record: String, person: String, event: String)] = []

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    var groups: [GroupRef] {
        ["team-1", "team-2", "cohort-1", "pair-1"].map { GroupRef(kind: .team, id: $0) }
            + ["cohort-1", "cohort-2"].map { GroupRef(kind: .cohort, id: $0) }
            + ["site-1", "site-2"].map { GroupRef(kind: .site, id: $0) }
            + ["E-3", "E-7", "E-404"].map { GroupRef(kind: .event, id: $0) }
    }

    mutating func pick<T>(_ values: [T]) -> T {
        values[Int(random.below(UInt64(values.count)))]
    }

    mutating func write(steps: Int, in db: Database, people writePeople: Bool) throws {
        if writePeople {
            for person in people {
                let youth = person.hasPrefix("Y")
                try db.execute(sql: "INSERT INTO person (id, kind, name, updated_at) VALUES (?, ?, ?, ?)",
                               arguments: [person, youth ? "youth" : pick(["retiree", "staff"]), youth ? nil : "名" + person, firstRecordedAt])
            }
        }
        for _ in 0..<steps {
            step += 1
            let recordedAt = firstRecordedAt + Int64(step) * 1000
            switch random.below(10) {
            case 0...2: try eventVersion(recordedAt: recordedAt, in: db)
            case 3...7: try record(recordedAt: recordedAt, supersedes: nil, in: db)
            default:
                if open.isEmpty { try record(recordedAt: recordedAt, supersedes: nil, in: db) } else {
                    let index = Int(random.below(UInt64(open.count)))
                    let target = open.remove(at: index)
                    try record(recordedAt: recordedAt, supersedes: target, in: db)
                }
            }
        }
    }

    /// 2023 in ms (+08:00), the instant `days` and `hours` into it.
    func instant(days: UInt64, hours: UInt64) -> Int64 {
        1_672_502_400_000 + Int64(days) * 86_400_000 + Int64(hours) * 3_600_000
    }

    mutating func uuid() -> String {
        serial += 1
        let ms = firstRecordedAt + Int64(serial)
        return String(format: "%08x-%04x-7000-8000-%012llx", ms >> 16, ms & 0xFFFF, serial)
    }

    private mutating func eventVersion(recordedAt: Int64, in db: Database) throws {
        versions += 1
        let event = pick(events)
        let programme = pick(Programme.allCases).rawValue
        let kind = pick(["甲", "乙"])
        let parent: String? = pick([nil, "team-1", "team-2", "cohort-1", "cohort-2", "pair-1"])
        let site: String? = pick([nil, "site-1", "site-2"])
        let start = instant(days: random.below(365), hours: random.below(24))
        let hours = 1 + Int64(random.below(4))
        // `at` out of arrival order: a later version may carry an earlier item time.
        let at = instant(days: 365 + random.below(30), hours: 0) + Int64(random.below(3)) * 60_000
        let audience: Int? = random.below(3) == 0 ? Int(random.below(200)) : nil
        let works: Int? = random.below(4) == 0 ? Int(random.below(50)) : nil
        try db.execute(sql: """
            INSERT INTO event (version, item_id, event, programme, kind, title, site, parent, start, "end", audience,
                               works_submitted, works_selected, essays, suggestions_collected, suggestions_adopted,
                               producer, at, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'test', ?, ?)
            """, arguments: [versions, uuid(), event, programme, kind, "\(event) v\(versions)", site, parent,
                             start, start + hours * 3_600_000, audience, works, works.map { $0 / 2 }, works.map { $0 / 5 },
                             works, works.map { $0 / 3 }, at, recordedAt])
    }

    private mutating func record(recordedAt: Int64, supersedes: (record: String, person: String, event: String)?,
                                 in db: Database) throws {
        let record = uuid()
        let person = supersedes?.person ?? pick(people)
        let event = supersedes?.event ?? pick(events)
        let role = pick(["learner", "mentor", "mentee", "player", "speaker", "volunteer", "sponsored", "referee", "judge"])
        let status = pick(["present", "late", "absent", "served", "met", "paired", "closed", "played", "judged", "given",
                           "completed", "not-completed", "excused"])
        let hours = Double(random.below(7)) * 0.5
        let team: String? = pick([nil, nil, "team-1", "team-2"])
        let start: Int64? = random.below(3) == 0 ? instant(days: random.below(365), hours: 0) : nil
        let end: Int64? = start.flatMap { random.below(2) == 0 ? $0 + Int64(random.below(200)) * 86_400_000 : nil }
        try db.execute(sql: """
            INSERT INTO participation (record, person, event, role, hours, ledger, status, start, "end", team, producer,
                                       at, recorded_at, supersedes)
            VALUES (?, ?, ?, ?, ?, 'clocked', ?, ?, ?, ?, 'test', ?, ?, ?)
            """, arguments: [record, person, event, role, hours, status, start, end, team, recordedAt, recordedAt,
                             supersedes?.record])
        open.append((record, person, event))
    }
}
