import Foundation
import Synchronization
import Logging
import ServiceLifecycle
import WanxiaContract
import WanxiaMQTT
import WanxiaRegistrar

/// Acknowledgement latency at half the ingest rate: 4 raw MQTT producers publish one-item record
/// batches on a fixed schedule and listen on their ack topics; each item is timed from its
/// *scheduled* publish time (so a stall is not hidden by publishing late) to the ack naming it.
enum IngestLatencyBench {
    static let producers = 4

    static func run(_ context: BenchContext, fullRate: Double?, stock: Double?) async throws {
        let rate = context.options.latencyRate.map(Double.init) ?? (fullRate ?? 2_000) / 2
        let count = min(context.options.n, max(2_000, Int(rate * 8)))  // about 8 s of traffic
        let data = try context.scratch("latency-registrar")
        let registrar = RegistrarService(configuration: .init(
            dataDirectory: data, mqtt: MQTTConfiguration(port: context.port, clientID: "registrar")))
        let registrarGroup = ServiceGroup(configuration: .init(services: [.init(service: registrar)], logger: Logger(label: "bench")))
        let registrarTask = Task { try await registrarGroup.run() }
        defer { registrarTask.cancel() }

        let lanes = try await withThrowingTaskGroup(of: Lane.self) { group in
            for lane in 0..<producers {
                group.addTask {
                    try await producer(lane: lane, count: count / producers, rate: rate / Double(producers), context: context)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let samples = lanes.flatMap(\.latencies)
        // The lanes' own rates, each from its first paced publish to its last ack, added up: a lane's
        // set-up (connecting, its person and event acknowledged) may end seconds after another's.
        let achieved = lanes.reduce(0.0) { sum, lane in
            guard let end = lane.end, end > lane.begin else { return sum }
            return sum + Double(lane.latencies.count) / (end - lane.begin).timeInterval
        }
        let pace = context.options.latencyRate == nil ? "(half)" : "(--latency-rate)"
        BenchReport.line(String(format: "ingest paced at %.0f/s %@, achieved", rate, pace), achieved,
                         unit: "records/s", reference: stock.map { ("stock", $0) })
        BenchReport.latency("ack latency, publish to ack", samples)
        await registrarGroup.triggerGracefulShutdown()
        try? await registrarTask.value
    }

    /// What one producer measured: each record's latency in seconds, when its paced run began and
    /// when its last record was acknowledged.
    struct Lane: Sendable {
        var latencies: [Double]
        var begin: ContinuousClock.Instant
        var end: ContinuousClock.Instant?
    }

    /// One producer: its person and event first (acknowledged before timing starts), then `count`
    /// records at `rate` per second.
    static func producer(lane: Int, count: Int, rate: Double, context: BenchContext) async throws -> Lane {
        let name = TopicID(stringLiteral: "bench-latency-\(lane)")
        let client = try MQTTClient(configuration: .init(port: context.port, clientID: name.rawValue))
        try await client.connect()
        _ = try await client.subscribe(Topic.serviceAck(service: name), qos: .atLeastOnce)
        _ = try await client.subscribe(Topic.serviceReject(service: name), qos: .atLeastOnce)
        let topic = Topic.records(producer: name)
        let at = Date(timeIntervalSince1970: 1_683_853_200)
        let event = "ev-latency-\(lane)"
        let person = "p-latency-\(lane)"
        var seq: Int64 = 0
        func batch(_ record: Record) throws -> (MessageID, Data) {
            seq += 1
            let item = Item(seq: seq, at: at, body: record)
            return (item.id, try WanxiaJSON.encode(RecordBatch(producer: name, items: [item])))
        }
        let setup = [
            try batch(.person(PersonRecord(person: person, kind: .retiree, name: "志愿者"))),
            try batch(.event(EventRecord(event: event, programme: .volunteers, kind: "法律援助进社区", title: "时延",
                                         start: at, end: at.addingTimeInterval(4 * 3600)))),
        ]
        let records = try (0..<count).map { _ in
            try batch(.participation(ParticipationRecord(person: person, event: event, role: "volunteer", hours: 1.5,
                                                         ledger: .clocked, status: "served")))
        }
        // The receiver: when each id was acknowledged; a refusal is a failure of the bench.
        let acks = AckTimes()
        let receiver = Task {
            for await message in client.messages {
                let now = ContinuousClock.now
                if message.topic.hasSuffix("/reject") {
                    acks.refused(String(decoding: message.payload, as: UTF8.self))
                } else if let ack = try? WanxiaJSON.decode(Ack.self, from: message.payload) {
                    acks.record(ack.ids, at: now)
                }
            }
        }
        defer { receiver.cancel() }
        // The person and event are stored before the paced run; resent, as an outbox would, until the
        // registrar (perhaps still subscribing) acknowledges them.
        var attempts = 0
        repeat {
            attempts += 1
            for (_, payload) in setup {
                try await client.publish(topic, payload: payload, qos: .atLeastOnce)
            }
        } while try await acks.wait(for: setup.map(\.0), lane: lane, timeout: .seconds(attempts < 60 ? 2 : 120)) == nil
        let interval = Duration.seconds(1 / rate)
        let begin = ContinuousClock.now
        var scheduled: [ContinuousClock.Instant] = []
        scheduled.reserveCapacity(count)
        for (index, (_, payload)) in records.enumerated() {
            let due = begin + interval * index
            if due > .now { try await Task.sleep(until: due) }
            scheduled.append(due)
            try await client.publish(topic, payload: payload, qos: .atLeastOnce)
        }
        guard let seen = try await acks.wait(for: records.map(\.0), lane: lane, timeout: .seconds(120)) else {
            throw BenchOptionsError("latency lane \(lane): acks missing after 120 s")
        }
        await client.shutdown()
        return Lane(latencies: records.indices.map { (seen[$0] - scheduled[$0]).timeInterval }, begin: begin, end: seen.max())
    }

    /// When each id was acknowledged, shared by a lane's receiver and its publisher.
    final class AckTimes: Sendable {
        private let state = Mutex<(times: [MessageID: ContinuousClock.Instant], refusal: String?)>(([:], nil))

        func record(_ ids: [MessageID], at instant: ContinuousClock.Instant) {
            state.withLock { state in
                for id in ids where state.times[id] == nil { state.times[id] = instant }
            }
        }

        func refused(_ text: String) {
            state.withLock { $0.refusal = $0.refusal ?? text }
        }

        /// Polls until every id is acknowledged: their ack times, in order; nil after `timeout`.
        func wait(for ids: [MessageID], lane: Int, timeout: Duration) async throws -> [ContinuousClock.Instant]? {
            let deadline = ContinuousClock.now + timeout
            while true {
                let (times, refusal) = state.withLock { state in (ids.compactMap { state.times[$0] }, state.refusal) }
                if let refusal { throw BenchOptionsError("latency lane \(lane): the registrar refused a record: \(refusal)") }
                if times.count == ids.count { return times }
                guard ContinuousClock.now < deadline else { return nil }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }
}
