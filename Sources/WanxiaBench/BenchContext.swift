import Foundation

/// What every benchmark shares: the options, the broker's port, a scratch folder, the executables.
struct BenchContext: Sendable {
    let options: BenchOptions
    /// The broker every benchmark uses, on 127.0.0.1.
    let port: Int
    /// A scratch folder, removed at the end of the run.
    let folder: URL
    let started = ContinuousClock.now

    /// The release-built `wanxia` next to this executable (`swift build -c release --product wanxia`).
    var wanxia: URL {
        get throws {
            let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            let candidate = here.appendingPathComponent("wanxia")
            guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
                throw BenchOptionsError("\(candidate.path) is missing: build it with `swift build -c release --product wanxia`")
            }
            return candidate
        }
    }

    /// A fresh sub-folder of the scratch folder.
    func scratch(_ name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A 200-byte JSON payload, the size the references use.
    static func payload(_ index: Int) -> String {
        let head = #"{"seq":\#(index),"person":"p-\#(index % 500)","hours":1.5,"site":"dongcheng-centre","pad":""#
        return head + String(repeating: "x", count: max(0, 198 - head.count)) + #""}"#
    }
}
