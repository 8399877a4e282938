import Foundation
import WanxiaMQTT

/// WanxiaMQTT alone: one client publishing N 200-byte messages at QoS 1 from 4 tasks, another receiving.
enum TransportBench {
    static func run(_ context: BenchContext) async throws -> Double {
        let n = context.options.n
        var configuration = MQTTConfiguration(port: context.port, clientID: "bench-transport-sub")
        configuration.receiveBuffer = n
        let subscriber = try MQTTClient(configuration: configuration)
        let publisher = try MQTTClient(configuration: .init(port: context.port, clientID: "bench-transport-pub"))
        try await subscriber.connect()
        try await publisher.connect()
        try await subscriber.subscribe("bench/transport", qos: .atLeastOnce)
        let payloads = (0..<n).map { Data(BenchContext.payload($0).utf8) }
        let start = ContinuousClock.now
        async let received: Int = {
            var count = 0
            for await _ in subscriber.messages {
                count += 1
                if count == n { break }
            }
            return count
        }()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<4 {
                group.addTask {
                    for index in stride(from: lane, to: n, by: 4) {
                        try await publisher.publish("bench/transport", payload: payloads[index], qos: .atLeastOnce)
                    }
                }
            }
            try await group.waitForAll()
        }
        _ = await received
        let elapsed = ContinuousClock.now - start
        await publisher.shutdown()
        await subscriber.shutdown()
        return Double(n) / elapsed.timeInterval
    }
}
