import Foundation

/// The volunteer-hour rules and their settings: how check-in/check-out pairs become hours.
///
/// Hours count time served only (not travel), clipped to the activity's window; the total is
/// rounded to `roundingStep` hours by `rounding`; a total below `minimumShare` of the activity's
/// length counts 0 hours (status `too-short`). A person may check in at most `maxPairsPerDay`
/// times a day, and scans further than `leeway` before the start or after the end are refused.
/// A plain value: pure functions, safe from any thread.
public struct HourPolicy: Sendable, Equatable, Codable {
    /// How a total is brought to a multiple of the rounding step.
    public enum Rounding: String, Sendable, Codable, CaseIterable {
        /// To the step below (the usual rule: an unfinished half hour does not count).
        case down
        /// To the nearest step (a half step goes up).
        case nearest
        /// To the step above.
        case up
    }

    /// The step in hours (0.5 counts half hours; 0 or less keeps minutes as they are).
    public var roundingStep: Double
    public var rounding: Rounding
    /// The share of the activity's length, 0...1, a person must serve for any hours to count.
    public var minimumShare: Double
    /// The most check-in/check-out pairs one person may have on one day (UTC+8 by default).
    public var maxPairsPerDay: Int
    /// How far before the start or after the end a scan is still accepted, in seconds.
    public var leeway: TimeInterval
    /// The zone in which "a day" is counted.
    public var timeZone: TimeZone

    public init(roundingStep: Double = 0.5, rounding: Rounding = .down, minimumShare: Double = 0.5,
                maxPairsPerDay: Int = 2, leeway: TimeInterval = 2 * 3600,
                timeZone: TimeZone = TimeZone(secondsFromGMT: 8 * 3600)!) {
        self.roundingStep = roundingStep
        self.rounding = rounding
        self.minimumShare = minimumShare
        self.maxPairsPerDay = maxPairsPerDay
        self.leeway = leeway
        self.timeZone = timeZone
    }

    /// Seconds served in `pairs` (check-in, check-out) inside `window`; overlapping pairs count once.
    public func servedSeconds(_ pairs: [(checkin: Date, checkout: Date)], window: DateInterval) -> TimeInterval {
        let clipped = pairs.compactMap { pair -> (Date, Date)? in
            let start = max(pair.checkin, window.start)
            let end = min(pair.checkout, window.end)
            return start < end ? (start, end) : nil
        }.sorted { $0.0 < $1.0 }
        var total: TimeInterval = 0
        var reach = Date.distantPast
        for (start, end) in clipped where end > reach {
            total += end.timeIntervalSince(max(start, reach))
            reach = end
        }
        return total
    }

    /// The hours that `served` seconds earn in an activity of `length` seconds, and whether they
    /// fall short of the minimum share (then the hours are 0). Never more than the activity's length.
    public func hours(served: TimeInterval, activityLength length: TimeInterval) -> (hours: Double, tooShort: Bool) {
        guard served > 0, length > 0, served + 0.5 >= minimumShare * length else { return (0, true) }
        let raw = served / 3600
        var rounded = raw
        if roundingStep > 0 {
            let steps = raw / roundingStep
            // A hair of tolerance, so 2.9999999 h (float noise) still counts as 3.
            switch rounding {
            case .down: rounded = (steps + 1e-9).rounded(.down) * roundingStep
            case .nearest: rounded = steps.rounded(.toNearestOrAwayFromZero) * roundingStep
            case .up: rounded = (steps - 1e-9).rounded(.up) * roundingStep
            }
        }
        return (min(rounded, length / 3600), false)
    }

    /// The start of the day holding `date`, in ``timeZone``.
    func day(of date: Date) -> DateInterval {
        // A zone whose offset holds all day (China's always does): plain arithmetic.
        let offset = timeZone.secondsFromGMT(for: date)
        let local = date.timeIntervalSince1970 + Double(offset)
        let start = Date(timeIntervalSince1970: (local / 86_400).rounded(.down) * 86_400 - Double(offset))
        let day = DateInterval(start: start, duration: 86_400)
        if timeZone.secondsFromGMT(for: day.start) == offset, timeZone.secondsFromGMT(for: day.end) == offset {
            return day
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateInterval(of: .day, for: date) ?? DateInterval(start: date, duration: 86_400)
    }
}
