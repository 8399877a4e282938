import WanxiaDeliveryTesting
import WanxiaSite

/// Runs an in-process `SiteAgent` under `Running` (which takes `RunnableService`s), without
/// making `SiteAgent` itself conform: another test target of the package already does that.
struct SiteAgentRunner: RunnableService {
    let agent: SiteAgent

    func run() async throws { try await agent.run() }
}
