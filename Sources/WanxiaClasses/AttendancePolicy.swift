import Foundation
import WanxiaContract

/// How attendance is marked and counted: points per status, the kiosk's late window, the default
/// for learners nobody marked, and when a session closes.
///
/// Defaults follow Moodle's attendance plugin (present 2, late 1, excused 1, absent 0).
public struct AttendancePolicy: Sendable, Equatable, Codable {
    /// Points per status (2, 1, 1, 0 by default).
    public var points: [AttendanceMark.Status: Int]
    /// A kiosk check-in later than this many seconds after the start is `late` (10 minutes).
    public var lateAfter: TimeInterval
    /// A kiosk check-in earlier than this many seconds before the start is refused (1 hour).
    public var earliestCheckIn: TimeInterval
    /// What an enrolled learner nobody marked gets when the session closes (`absent`).
    public var unmarked: AttendanceMark.Status
    /// A session closes this many seconds after its end (2 hours): unmarked learners get
    /// ``unmarked`` and the records go out. A mark after that is a correction.
    public var closeGrace: TimeInterval

    public init(points: [AttendanceMark.Status: Int] = [.present: 2, .late: 1, .excused: 1, .absent: 0],
                lateAfter: TimeInterval = 600, earliestCheckIn: TimeInterval = 3600,
                unmarked: AttendanceMark.Status = .absent, closeGrace: TimeInterval = 7200) {
        self.points = points
        self.lateAfter = lateAfter
        self.earliestCheckIn = earliestCheckIn
        self.unmarked = unmarked
        self.closeGrace = closeGrace
    }

    /// The points of a status (0 if not set).
    public func points(for status: AttendanceMark.Status) -> Int { points[status] ?? 0 }

    /// The highest points of any status: the most a session can give.
    public var maximumPoints: Int { points.values.max() ?? 0 }

    /// The status a kiosk check-in at `at` earns for a session starting at `start`.
    public func checkInStatus(at: Date, sessionStart start: Date) -> AttendanceMark.Status {
        at.timeIntervalSince(start) > lateAfter ? .late : .present
    }
}
