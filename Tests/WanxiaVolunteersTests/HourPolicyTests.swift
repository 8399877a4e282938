import Foundation
import Testing
@testable import WanxiaVolunteers

@Suite("The hour rules: time served, clipped, rounded, with a minimum share")
struct HourPolicyTests {
    let window = DateInterval(start: t("2024-05-12T09:00"), end: t("2024-05-12T12:00"))

    @Test("served time is clipped to the window and overlapping pairs count once", arguments: [
        // (check-in, check-out, seconds served) in a 09:00-12:00 window
        ([("08:30", "09:45")], 45 * 60),
        ([("11:30", "12:40")], 30 * 60),
        ([("07:00", "08:00")], 0),
        ([("09:00", "10:00"), ("10:30", "11:00")], 90 * 60),
        ([("09:00", "10:30"), ("10:00", "11:00")], 120 * 60),
    ] as [([(String, String)], Int)])
    func served(pairs: [(String, String)], seconds: Int) {
        let dated = pairs.map { (checkin: t("2024-05-12T\($0.0)"), checkout: t("2024-05-12T\($0.1)")) }
        #expect(HourPolicy().servedSeconds(dated, window: window) == TimeInterval(seconds))
    }

    @Test("rounding and the minimum share of a 3-hour activity", arguments: [
        // (minutes served, rounding, step, minimum share, hours, too short)
        (140, HourPolicy.Rounding.down, 0.5, 0.5, 2.0, false),   // 2 h 20 -> 2.0
        (140, .nearest, 0.5, 0.5, 2.5, false),                   // 2 h 20 -> 2.5 (2.33 nearer 2.5)
        (140, .up, 0.5, 0.5, 2.5, false),
        (100, .down, 0.5, 0.5, 1.5, false),                      // 1 h 40 = 56 % -> 1.5
        (80, .down, 0.5, 0.5, 0, true),                          // 1 h 20 = 44 % < 50 % -> 0
        (80, .down, 0.5, 0.4, 1.0, false),                       // ... but 44 % >= 40 %
        (90, .down, 0.5, 0.5, 1.5, false),                       // exactly half counts
        (135, .down, 0.25, 0.5, 2.25, false),                    // quarter hours
        (137, .down, 0, 0.5, 137.0 / 60, false),                 // no rounding
        (175, .up, 1, 0.5, 3.0, false),                          // never more than the activity
    ])
    func hours(minutes: Int, rounding: HourPolicy.Rounding, step: Double, share: Double, hours: Double, tooShort: Bool) {
        let policy = HourPolicy(roundingStep: step, rounding: rounding, minimumShare: share)
        let result = policy.hours(served: TimeInterval(minutes * 60), activityLength: 3 * 3600)
        #expect(abs(result.hours - hours) < 1e-9)
        #expect(result.tooShort == tooShort)
    }

    @Test("a kiosk shows only the first and last character of a name")
    func masking() {
        #expect(Volunteer(person: "P-1", name: "张建华").maskedName == "张*华")
        #expect(Volunteer(person: "P-1", name: "李明").maskedName == "李*")
        #expect(Volunteer(person: "P-1", name: "欧阳秀英").maskedName == "欧*英")
    }
}
