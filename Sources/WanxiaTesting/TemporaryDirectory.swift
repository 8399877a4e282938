import Foundation

/// Fresh folders under the system's temporary directory.
public enum TemporaryDirectory {
    /// Creates and returns a new empty folder whose name starts with `prefix`.
    public static func make(prefix: String = "wanxia-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `body` with a fresh folder and removes it afterwards.
    public static func with<R>(prefix: String = "wanxia-test", _ body: (URL) async throws -> R) async throws -> R {
        let url = try make(prefix: prefix)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url)
    }
}
