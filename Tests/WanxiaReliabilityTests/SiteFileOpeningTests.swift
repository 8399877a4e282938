import Foundation
import Testing
import WanxiaSite
import WanxiaTesting

/// Two programs opening a new site file at the same moment (the agent starting while
/// `wanxia site import-swipes` runs): both must open it, neither may fail on the other's schema.
@Suite("Opening a new site file from two programs at once")
struct SiteFileOpeningTests {
    @Test("two agents opening the same new file at once both succeed, 20 times over")
    func concurrentOpening() async throws {
        try await TemporaryDirectory.with { folder in
            for round in 0..<20 {
                var configuration = SiteConfiguration()
                configuration.site = "race-site"
                configuration.port = try FreePort.find()  // offline: nothing is sent
                configuration.data = folder.appendingPathComponent("round-\(round)").path
                let settings = configuration
                let opened = await withTaskGroup(of: String?.self) { group in
                    for _ in 0..<2 {
                        group.addTask {
                            do {
                                let agent = try SiteAgent(configuration: settings)
                                await agent.client.shutdown()
                                return nil
                            } catch {
                                return "\(error)"
                            }
                        }
                    }
                    return await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
                }
                #expect(opened.isEmpty, "round \(round): \(opened)")
            }
        }
    }
}
