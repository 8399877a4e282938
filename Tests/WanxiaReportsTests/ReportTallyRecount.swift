import Foundation
import GRDB
import WanxiaRegistrar

/// The report tally worked out from scratch, in Swift, from the rows of `record_current`.
///
/// Follows docs/measures.md directly (not the migration's SQL), so a mistake in the triggers or the
/// migration shows as a difference. Months are cut in the offset stored in `tally_zone`.
struct ReportTallyRecount {
    struct Key: Hashable, CustomStringConvertible {
        var month: String
        var programme: String
        var kind: String
        var person: String
        var description: String { "\(month) \(programme) \(kind) \(person)" }
    }

    struct Figures: Equatable {
        var records = 0
        var hours = 0.0
        var eventsTaking = 0
        var played = 0
        var judged = 0
        var given = 0
        var metHours = 0.0
        var marks = 0
        var attended = 0
        var completed = 0
        var notCompleted = 0

        /// Every figure is 0, hours within rounding of 0.
        var isEmpty: Bool {
            var zero = self
            zero.hours = 0
            zero.metHours = 0
            return zero == Figures() && abs(hours) < 1e-9 && abs(metHours) < 1e-9
        }

        /// Equal counts, hours within rounding.
        func matches(_ other: Figures) -> Bool {
            var left = self, right = other
            left.hours = 0; right.hours = 0; left.metHours = 0; right.metHours = 0
            return left == right && abs(hours - other.hours) < 1e-9 && abs(metHours - other.metHours) < 1e-9
        }
    }

    private(set) var tally: [Key: Figures] = [:]
    /// `month|team|person` to volunteer records taking part.
    private(set) var teams: [String: Int] = [:]

    init(_ db: Database) throws {
        let offset = try Int64.fetchOne(db, sql: "SELECT offset_ms FROM tally_zone") ?? 0
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(secondsFromGMT: 0)!
        var takingEvents: [Key: Set<String>] = [:]
        let rows = try Row.fetchAll(db, sql: """
            SELECT person, ev_start, event, role, hours, status, team, programme, kind, parent FROM record_current
            """)
        for row in rows {
            let start: Int64 = row["ev_start"]
            let shifted = utc.dateComponents([.year, .month], from: Date(timeIntervalSince1970: Double((start + offset) / 1000)))
            let month = String(format: "%04d-%02d", shifted.year ?? 0, shifted.month ?? 0)
            let programme: String = row["programme"]
            let role: String = row["role"]
            let status: String = row["status"]
            let parent: String? = row["parent"]
            let team: String? = row["team"]
            let hours: Double = row["hours"]
            let person: String = row["person"]
            let session = parent != nil
            let taking = programme == "classes"
                ? role == "learner" && ["present", "late"].contains(status) && session
                : !RegistrarQueries.nonAttendance.contains(status)
            let key = Key(month: month, programme: programme, kind: row["kind"], person: person)
            var figures = tally[key] ?? Figures()
            figures.records += 1
            figures.hours += hours
            if taking { takingEvents[key, default: []].insert(row["event"]) }
            if programme == "competitions" && role == "player" && status == "played" { figures.played += 1 }
            if programme == "competitions" && ["referee", "judge", "juror"].contains(role) && status == "judged" { figures.judged += 1 }
            if programme == "mentoring" && role == "sponsored" && status == "given" { figures.given += 1 }
            if programme == "mentoring" && role == "mentor" && status == "met" { figures.metHours += hours }
            if programme == "classes" && role == "learner" {
                if session {
                    figures.marks += 1
                    if ["present", "late"].contains(status) { figures.attended += 1 }
                } else {
                    if status == "completed" { figures.completed += 1 }
                    if status == "not-completed" { figures.notCompleted += 1 }
                }
            }
            tally[key] = figures
            if programme == "volunteers", taking, let teamKey = team ?? parent {
                teams["\(month)|\(teamKey)|\(person)", default: 0] += 1
            }
        }
        for (key, events) in takingEvents { tally[key]?.eventsTaking = events.count }
    }
}
