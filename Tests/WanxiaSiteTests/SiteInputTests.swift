import Foundation
import Testing
import WanxiaContract
@testable import WanxiaSite

@Suite("What the site agent reads")
struct SiteInputTests {
    @Test("lines for every programme parse into their observation", arguments: [
        ("0012345678", SiteInput.swipe(card: "0012345678")),
        ("checkin C-1 act-2023-0412", .observation(.checkin(CardScan(activity: "act-2023-0412", card: "C-1")), programme: .volunteers, activityNeeded: false)),
        ("checkout C-1", .observation(.checkout(CardScan(activity: "", card: "C-1")), programme: .volunteers, activityNeeded: true)),
        ("attendance ses-1 p-0007 late t-01", .observation(.attendance(AttendanceMark(session: "ses-1", learner: "p-0007", status: .late, markedBy: "t-01")), programme: .classes, activityNeeded: false)),
        ("result cmp-1 m-3 7 5 p-0100 home", .observation(.matchResult(MatchResult(competition: "cmp-1", match: "m-3", homeScore: 7, awayScore: 5, outcome: .home, referee: "p-0100")), programme: .competitions, activityNeeded: false)),
        ("score cmp-2 e-4 p-0200 9.25", .observation(.judgeScore(JudgeScore(competition: "cmp-2", entrant: "e-4", judge: "p-0200", score: 9.25)), programme: .competitions, activityNeeded: false)),
        ("meeting pr-9 p-0003 90 call", .observation(.meetingLog(MeetingLog(pair: "pr-9", mentor: "p-0003", minutes: 90, mode: .call)), programme: .mentoring, activityNeeded: false)),
        ("essay coh-1 p-0008 学习心得 第一篇", .observation(.essay(Essay(cohort: "coh-1", learner: "p-0008", title: "学习心得 第一篇")), programme: .classes, activityNeeded: false)),
        (#"{"type":"checkin","body":{"activity":"act-1","card":"C-2"}}"#, .observation(.checkin(CardScan(activity: "act-1", card: "C-2")), programme: .volunteers, activityNeeded: false)),
        ("status", .status),
        ("help", .help),
    ])
    func parses(line: String, expected: SiteInput) throws {
        #expect(try SiteInput.parse(line) == expected)
    }

    @Test("blank lines and comments are skipped")
    func skipped() throws {
        #expect(try SiteInput.parse("   ") == nil)
        #expect(try SiteInput.parse("# a comment") == nil)
    }

    @Test("bad lines are refused with a message naming the problem", arguments: [
        ("attendance ses-1 p-1 sleeping", "status must be one of"),
        ("meeting pr-9 p-0003 0", "minutes"),
        ("meeting pr-9 p-0003 ninety", "minutes must be a number"),
        ("result cmp m 1", "usage: result"),
        ("frobnicate a b", "unknown command"),
        (#"{"type":"teleport","body":{}}"#, "teleport"),
        (#"{"type":"checkin","body":{"card":"C"}}"#, "activity"),
        ("{not json", "JSON line"),
    ])
    func refuses(line: String, fragment: String) {
        #expect {
            _ = try SiteInput.parse(line)
        } throws: { error in
            guard let error = error as? SiteError, error.code == .badInput else { return false }
            return error.message.contains(fragment)
        }
    }

    @Test("a swipe file with a BOM, a header, both time forms and bad rows")
    func swipeFile() throws {
        let text = "\u{FEFF}time,card,activity,direction\r\n"
            + "2023-05-12 09:01:07,C-1,act-1,in\r\n"
            + "2023-05-12T11:30:00+08:00,C-1,,out\r\n"
            + "yesterday,C-2,act-1\r\n"
            + "2023-05-12 09:05:00,,act-1\r\n"
            + "2023-05-12 09:06:00,C-3,act-1,sideways\r\n"
            + "# comment\r\n\r\n"
        let (swipes, report) = SwipeFile.parse(text, defaultActivity: "act-default")
        try #require(swipes.count == 2)
        #expect(swipes[0].card == "C-1" && !swipes[0].checkout && swipes[0].activity == "act-1")
        #expect(swipes[1].checkout && swipes[1].activity == "act-default")
        #expect(swipes[0].at == (try? RFC3339.date(from: "2023-05-12T09:01:07+08:00")))
        #expect(report.imported == 2)
        #expect(report.bad.map(\.line) == [4, 5, 6])
        #expect(report.bad.first?.problem.contains("yesterday") == true)
    }

    @Test("configuration from a file, then the environment")
    func configuration() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"site":"xicheng-court","port":8883,"programme":"competitions"}"#.utf8).write(to: file)
        let configuration = try SiteConfiguration.load(file: file.path, environment: ["WANXIA_HOST": "broker.lan", "WANXIA_PORT": "1884"])
        #expect(configuration.site == "xicheng-court")
        #expect(configuration.host == "broker.lan")
        #expect(configuration.port == 1884)
        #expect(configuration.programme == .competitions)
        #expect(throws: SiteError.self) { try SiteConfiguration.load(file: nil, environment: ["WANXIA_PORT": "eighty"]) }
        #expect(throws: (any Error).self) { try SiteConfiguration.load(file: nil, environment: ["WANXIA_SITE": "Bad/Site"]) }
        try Data(#"{"site": 12}"#.utf8).write(to: file)
        #expect(throws: SiteError.self) { try SiteConfiguration.load(file: file.path, environment: [:]) }
    }
}
