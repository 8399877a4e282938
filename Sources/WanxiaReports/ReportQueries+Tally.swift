import Foundation
import GRDB
import WanxiaRegistrar

extension ReportQueries {
    /// The first month of `period` and the month after it (`yyyy-MM`) when the tally can answer
    /// the report: the file has it, the book has not changed since `asOf`, the period is whole
    /// months in the tally's offset, and that offset is the report zone's at both ends.
    func tallyMonths(_ db: Database, period: Period, asOf: Int64?) throws -> (first: String, after: String)? {
        guard try db.tableExists("tally_zone"), try RegistrarQueries.currentViewAnswers(db, asOf: asOf),
              let offset = try Int64.fetchOne(db, sql: "SELECT offset_ms FROM tally_zone WHERE id = 1"),
              offset % 1000 == 0, let zone = TimeZone(secondsFromGMT: Int(offset / 1000)) else { return nil }
        guard Int64(timeZone.secondsFromGMT(for: period.from)) * 1000 == offset,
              Int64(timeZone.secondsFromGMT(for: period.to)) * 1000 == offset,
              let first = Self.monthStart(period.from, zone), let after = Self.monthStart(period.to, zone),
              first < after else { return nil }
        return (first, after)
    }

    /// `yyyy-MM` when `date` is the first instant (to the millisecond) of a month in `zone`.
    static func monthStart(_ date: Date, _ zone: TimeZone) -> String? {
        let ms = milliseconds(date)
        guard ms % 1000 == 0 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                            from: Date(timeIntervalSince1970: TimeInterval(ms / 1000)))
        guard parts.day == 1, parts.hour == 0, parts.minute == 0, parts.second == 0,
              let year = parts.year, let month = parts.month, (1...9999).contains(year) else { return nil }
        return String(format: "%04d-%02d", year, month)
    }
}
