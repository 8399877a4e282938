import Foundation
import Testing
import WanxiaTesting

/// Runs the built `wanxia` executable; returns (exit code, standard output, standard error).
private func wanxia(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wanxia")
    guard FileManager.default.isExecutableFile(atPath: executable.path) else {
        throw TestSupportError("build the wanxia executable first (swift build)")
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

@Suite("wanxia competitions on a file")
struct CompetitionsCLITests {
    @Test("import, create, register, draw, a result, a refused repeat, standings and an HTML bracket")
    func session() throws {
        let folder = try TemporaryDirectory.make(prefix: "wanxia-competitions-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = ["--db", folder.appendingPathComponent("competitions.sqlite").path]
        let roll = folder.appendingPathComponent("roll.csv")
        try Data("\u{FEFF}编号,姓名,原单位\nP1,张一,甲局\nP2,李二,乙局\nP3,王三,丙局\nP4,赵四,丁局\nREF,裁判,\n,无编号,\n".utf8).write(to: roll)

        let imported = try wanxia(["competitions", "people", roll.path] + db)
        #expect(imported.status == 1 && imported.out.contains("导入 imported 5; 错误 bad rows 1"))
        let created = try wanxia(["competitions", "create", "chess-cup", "--title", "象棋赛", "--kind", "象棋赛", "--game", "chinese-chess",
                                  "--format", "round-robin", "--site", "chess-room", "--start", "2024-09-01 09:00",
                                  "--end", "2024-09-01 17:00", "--seed", "5", "--hours", "3"] + db)
        #expect(created.status == 0 && created.out.contains("tie-breaks sonneborn-berger, wins, head-to-head"))
        for player in ["P1", "P2", "P3", "P4"] {
            #expect(try wanxia(["competitions", "register", "chess-cup", player] + db).status == 0)
        }
        let drawn = try wanxia(["competitions", "draw", "chess-cup"] + db)
        #expect(drawn.status == 0 && drawn.out.contains("r3-b2"))

        let result = try wanxia(["competitions", "result", "chess-cup", "r1-b1", "2", "0", "--referee", "REF"] + db)
        #expect(result.status == 0 && result.out.contains("recorded r1-b1: 2:0"))
        let repeated = try wanxia(["competitions", "result", "chess-cup", "r1-b1", "0", "2", "--referee", "REF"] + db)
        #expect(repeated.status == 1 && repeated.err.contains("already-decided"))
        let badFormat = try wanxia(["competitions", "create", "x", "--title", "t", "--kind", "k", "--game", "g", "--format", "league",
                                    "--site", "s", "--start", "2024-09-01 09:00", "--end", "2024-09-01 17:00"] + db)
        #expect(badFormat.status != 0 && badFormat.err.contains("--format"))

        let standings = try wanxia(["competitions", "standings", "chess-cup"] + db)
        #expect(standings.status == 0 && standings.out.contains("sonneborn-berger"))
        let html = try wanxia(["competitions", "fixtures", "chess-cup", "--html"] + db)
        #expect(html.status == 0 && html.out.hasPrefix("<!DOCTYPE html>") && html.out.contains("r1-b1"))
        let sheets = try wanxia(["competitions", "sheets", "chess-cup", "--round", "1"] + db)
        #expect(sheets.out.components(separatedBy: "记分表").count - 1 == 2)
    }
}
