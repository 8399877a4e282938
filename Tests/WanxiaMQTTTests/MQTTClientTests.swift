import Foundation
import Synchronization
import Testing
@testable import WanxiaMQTT
import WanxiaTesting

@Suite("MQTT transport against a real mosquitto")
struct MQTTClientTests {
    @Test("QoS 1 round trip", arguments: [MQTTProtocolVersion.v5, .v311])
    func roundTrip(version: MQTTProtocolVersion) async throws {
        try await TestBroker.with { broker in
            let subscriber = try await makeClient(broker, id: "sub", version: version)
            let publisher = try await makeClient(broker, id: "pub", version: version)
            let granted = try await subscriber.subscribe("wanxia/v1/test/#", qos: .atLeastOnce)
            #expect(granted == .atLeastOnce)

            let body = Data(#"{"v":1,"text":"晚霞"}"#.utf8)
            try await publisher.publish("wanxia/v1/test/a", payload: body, qos: .atLeastOnce)
            let messages = try await receive(1, from: subscriber)
            #expect(messages.first?.topic == "wanxia/v1/test/a")
            #expect(messages.first?.payload == body)
            #expect(messages.first?.qos == .atLeastOnce)
            #expect(messages.first?.retain == false)
            await publisher.shutdown()
            await subscriber.shutdown()
        }
    }

    @Test("MQTT 5 properties arrive as sent")
    func properties() async throws {
        try await TestBroker.with { broker in
            let subscriber = try await makeClient(broker, id: "sub")
            let publisher = try await makeClient(broker, id: "pub")
            try await subscriber.subscribe("req/#")
            let properties = MQTTProperties(
                responseTopic: "reply/kiosk-1",
                correlationData: Data([0, 1, 2, 255]),
                userProperties: [.init("site", "dongcheng"), .init("site", "xicheng")],
                messageExpiry: 60,
                contentType: "application/json")
            try await publisher.publish("req/q", payload: Data("{}".utf8), properties: properties)
            let message = try #require(try await receive(1, from: subscriber).first)
            #expect(message.properties.responseTopic == "reply/kiosk-1")
            #expect(message.properties.correlationData == Data([0, 1, 2, 255]))
            #expect(message.properties.userProperties == [.init("site", "dongcheng"), .init("site", "xicheng")])
            #expect(message.properties.contentType == "application/json")
            #expect((message.properties.messageExpiry ?? 0) > 0)
            await publisher.shutdown()
            await subscriber.shutdown()
        }
    }

    @Test("QoS 2 and QoS 0 publish")
    func otherQoS() async throws {
        try await TestBroker.with { broker in
            let subscriber = try await makeClient(broker, id: "sub")
            let publisher = try await makeClient(broker, id: "pub")
            try await subscriber.subscribe("q/#", qos: .exactlyOnce)
            try await publisher.publish("q/two", payload: Data("2".utf8), qos: .exactlyOnce)
            try await publisher.publish("q/zero", payload: Data("0".utf8), qos: .atMostOnce)
            let messages = try await receive(2, from: subscriber)
            #expect(Set(messages.map(\.topic)) == ["q/two", "q/zero"])
            #expect(messages.first { $0.topic == "q/two" }?.qos == .exactlyOnce)
            await publisher.shutdown()
            await subscriber.shutdown()
        }
    }

    @Test("a retained message reaches a later subscriber, flagged as retained")
    func retained() async throws {
        try await TestBroker.with { broker in
            let publisher = try await makeClient(broker, id: "pub")
            let roster = Data(#"{"v":1,"people":[]}"#.utf8)
            try await publisher.publish("wanxia/v1/site/s1/roster/volunteers", payload: roster, retain: true)
            let late = try await makeClient(broker, id: "late")
            try await late.subscribe("wanxia/v1/site/s1/roster/+")
            let message = try #require(try await receive(1, from: late).first)
            #expect(message.retain)
            #expect(message.payload == roster)
            await publisher.shutdown()
            await late.shutdown()
        }
    }

    @Test("the Will is published on an abrupt disconnect, with the connection number, and not on a clean one")
    func will() async throws {
        try await TestBroker.with { broker in
            let watcher = try await makeClient(broker, id: "watcher")
            try await watcher.subscribe("wanxia/v1/site/kiosk/status")
            let kiosk = try await makeClient(broker, id: "kiosk") { configuration in
                configuration.will = { connection in
                    MQTTWill(topic: "wanxia/v1/site/kiosk/status", payload: Array("offline \(connection)".utf8), retain: false)
                }
            }
            kiosk.dropConnectionAbruptly()
            let will = try #require(try await receive(1, from: watcher).first)
            #expect(String(decoding: will.payload, as: UTF8.self) == "offline 1")

            // It reconnects by itself; a clean shutdown then sends no Will: the next message the
            // watcher sees is the marker published after the shutdown.
            try await eventually("kiosk reconnected") { kiosk.state.connectionNumber == 2 }
            await kiosk.shutdown()
            let marker = try await makeClient(broker, id: "marker")
            try await marker.publish("wanxia/v1/site/kiosk/status", payload: Data("marker".utf8))
            let next = try #require(try await receive(1, from: watcher).first)
            #expect(String(decoding: next.payload, as: UTF8.self) == "marker")
            await marker.shutdown()
            await watcher.shutdown()
        }
    }

    @Test("after the broker is killed and restarted, the client reconnects and its subscriptions are renewed")
    func reconnectAndResubscribe() async throws {
        try await TestBroker.with { broker in
            let subscriber = try await makeClient(broker, id: "sub")
            try await subscriber.subscribe("wanxia/v1/site/+/obs/#")
            await broker.kill()
            try await eventually("subscriber noticed the broker is gone") {
                if case .connected = subscriber.state { return false }
                return true
            }
            try await broker.restart()
            try await eventually("subscriber reconnected") { subscriber.state.connectionNumber == 2 }

            // The restarted broker has no session (persistence off): only a renewed subscription
            // lets this message through. The SUBACK may trail the CONNACK, so publish until one arrives.
            let publisher = try await makeClient(broker, id: "pub")
            let got = try await within(.seconds(20), "message after resubscribe") {
                try await withThrowingTaskGroup(of: MQTTMessage?.self) { group -> MQTTMessage? in
                    group.addTask { try await receive(1, from: subscriber).first }
                    group.addTask {
                        while !Task.isCancelled {
                            try await publisher.publish("wanxia/v1/site/s1/obs/volunteers", payload: Data("x".utf8))
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        return nil
                    }
                    defer { group.cancelAll() }
                    while let next = try await group.next() { if let next { return next } }
                    return nil
                }
            }
            #expect(got?.topic == "wanxia/v1/site/s1/obs/volunteers")
            #expect(subscriber.statistics.connections == 2)
            await publisher.shutdown()
            await subscriber.shutdown()
        }
    }

    @Test("100,000 QoS 1 messages arrive, none lost, none twice")
    func hundredThousand() async throws {
        var options = TestBroker.Options()
        options.maxQueuedMessages = 200_000
        try await TestBroker.with(options) { broker in
            let count = 100_000
            let subscriber = try await makeClient(broker, id: "sub") { $0.receiveBuffer = count }
            let publisher = try await makeClient(broker, id: "pub") { $0.publishWindow = 200 }
            try await subscriber.subscribe("bulk/#")
            let receiving = Task {
                var seen = Set<Int>()
                var duplicates = 0
                for await message in subscriber.messages {
                    let n = Int(String(decoding: message.payload, as: UTF8.self))!
                    if !seen.insert(n).inserted { duplicates += 1 }
                    if seen.count == count { break }
                }
                return (seen.count, duplicates)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<8 {
                    group.addTask {
                        for n in stride(from: lane, to: count, by: 8) {
                            try await publisher.publish("bulk/\(lane)", payload: Data(String(n).utf8))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let (distinct, duplicates) = try await within(.seconds(120), "all messages") { await receiving.value }
            #expect(distinct == count)
            #expect(duplicates == 0)
            #expect(subscriber.statistics.droppedMessages == 0)
            #expect(publisher.statistics.publishesInFlight == 0)
            await publisher.shutdown()
            await subscriber.shutdown()
        }
    }

    @Test("a full publish window makes callers wait instead of queueing without bound")
    func windowBackPressure() async throws {
        try await TestBroker.with { broker in
            let publisher = try await makeClient(broker, id: "pub") { $0.publishWindow = 2 }
            broker.pause()
            let done = Counter()
            let publishes = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for n in 0..<5 {
                        group.addTask {
                            try await publisher.publish("w/\(n)", payload: Data("\(n)".utf8))
                            done.increment()
                        }
                    }
                    try await group.waitForAll()
                }
            }
            try await eventually("two in flight and three waiting") {
                publisher.statistics.publishesInFlight == 2 && publisher.core.windowWaitersCount == 3
            }
            #expect(done.value == 0)
            broker.resume()
            try await within(.seconds(20), "publishes after resume") { try await publishes.value }
            #expect(done.value == 5)
            #expect(publisher.statistics.publishesInFlight == 0)
            await publisher.shutdown()
        }
    }

    @Test("a full receive buffer drops and counts, never silently")
    func receiveOverflowIsCounted() async throws {
        try await TestBroker.with { broker in
            let subscriber = try await makeClient(broker, id: "sub") { $0.receiveBuffer = 10 }
            let publisher = try await makeClient(broker, id: "pub")
            try await subscriber.subscribe("flood/#", qos: .atLeastOnce)
            for n in 0..<100 {
                try await publisher.publish("flood/x", payload: Data("\(n)".utf8), qos: .atLeastOnce)
            }
            try await eventually("all 100 accounted for") {
                let s = subscriber.statistics
                return s.receivedMessages + s.droppedMessages == 100
            }
            #expect(subscriber.statistics.receivedMessages == 10)
            #expect(subscriber.statistics.droppedMessages == 90)
            await publisher.shutdown()
            await subscriber.shutdown()
        }
    }

    @Test("a call from a task cancelled before it waits returns at once, not a wait nothing ends",
          arguments: ["subscribe", "publish"])
    func cancelledBeforeWaiting(call: String) async throws {
        // Port 1 on loopback: nothing listens there (a free port found now could be a parallel
        // test's broker a moment later), so nothing but the cancellation can end a wait.
        let client = try MQTTClient(configuration: .init(
            host: "127.0.0.1", port: 1, clientID: "never",
            reconnect: .init(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(100))))
        client.start()
        // Not awaited directly: without the fix the call never returns, and the test must fail, not hang.
        let outcome = Outcome()
        Task {
            withUnsafeCurrentTask { $0?.cancel() }
            do {
                if call == "subscribe" {
                    _ = try await client.subscribe("a/b")
                } else {
                    try await client.publish("a/b", payload: Data("x".utf8))
                }
                outcome.set("returned")
            } catch {
                outcome.set("\(type(of: error))")
            }
        }
        defer { Task { await client.shutdown() } }
        try await eventually("the cancelled \(call) returns", timeout: .seconds(60)) { outcome.value != nil }
        #expect(outcome.value == "CancellationError")
    }

    final class Outcome: Sendable {
        private let text = Mutex<String?>(nil)
        var value: String? { text.withLock { $0 } }
        func set(_ value: String) { text.withLock { $0 = value } }
    }

    @Test("an unknown host or a closed port gives a timeout naming the last network error")
    func badHost() async throws {
        for (host, port) in [("no-such-host.invalid", 1883), ("127.0.0.1", try FreePort.find())] {
            let client = try MQTTClient(configuration: .init(
                host: host, port: port, clientID: "lost",
                reconnect: .init(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(100))))
            let error = await #expect(throws: MQTTError.self) { try await client.connect(timeout: .milliseconds(500)) }
            #expect(error?.code == .timeout)
            #expect(error?.message.contains("last error") == true)
            #expect(error?.mosquittoCode != nil)
            await client.shutdown()
            #expect(client.state == .closed)
        }
    }

    @Test("refused credentials throw connectionRefused with the broker's reason; good ones connect",
          arguments: [MQTTProtocolVersion.v5, .v311])
    func refusedCredentials(version: MQTTProtocolVersion) async throws {
        var options = TestBroker.Options()
        options.allowAnonymous = false
        options.passwords = ["kiosk-1": "right-password"]
        try await TestBroker.with(options) { broker in
            let wrong = try MQTTClient(configuration: .init(
                host: broker.host, port: broker.port, clientID: "kiosk-1", protocolVersion: version,
                username: "kiosk-1", password: "wrong"))
            // A refusal comes at once; the long timeout only keeps a loaded machine from turning it
            // into a timeout.
            let error = await #expect(throws: MQTTError.self) { try await wrong.connect(timeout: .seconds(30)) }
            #expect(error?.code == .connectionRefused)
            #expect((error?.reasonCode ?? 0) != 0)
            await wrong.shutdown()

            let anonymous = try MQTTClient(configuration: .init(
                host: broker.host, port: broker.port, clientID: "anon", protocolVersion: version))
            await #expect(throws: MQTTError.self) { try await anonymous.connect(timeout: .seconds(30)) }
            await anonymous.shutdown()

            let right = try await makeClient(broker, id: "kiosk-1", version: version) {
                $0.username = "kiosk-1"
                $0.password = "right-password"
            }
            #expect(right.state.isConnected)
            await right.shutdown()
        }
    }

    @Test("a subscription the broker denies is refused with its reason")
    func subscriptionRefused() async throws {
        // mosquitto's acl_file only filters at delivery; the dynamic-security plugin refuses
        // subscriptions outright (its default for subscribe is deny), which is what we need here.
        let folder = try TemporaryDirectory.make(prefix: "wanxia-dynsec")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("dynsec.json")
        try Command.run("mosquitto_ctrl", ["dynsec", "init", config.path, "operator", "pw"])
        // A second client, "kiosk", with the operator's password hash and no role at all.
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any])
        var clients = try #require(document["clients"] as? [[String: Any]])
        var kiosk = try #require(clients.first)
        kiosk["username"] = "kiosk"
        kiosk["roles"] = [Any]()
        clients.append(kiosk)
        document["clients"] = clients
        try JSONSerialization.data(withJSONObject: document).write(to: config)
        var options = TestBroker.Options()
        options.allowAnonymous = false
        options.extraConfig = """
            plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so
            plugin_opt_config_file \(config.path)
            """
        try await TestBroker.with(options) { broker in
            let client = try await makeClient(broker, id: "kiosk") {
                $0.username = "kiosk"
                $0.password = "pw"
            }
            let error = await #expect(throws: MQTTError.self) { try await client.subscribe("wanxia/v1/site/+/ack") }
            #expect(error?.code == .subscriptionRefused)
            #expect(error?.reasonCode == 0x87)
            await client.shutdown()
        }
    }

    @Test("shutdown releases everything once and fails later calls")
    func shutdown() async throws {
        try await TestBroker.with { broker in
            let client = try await makeClient(broker, id: "c")
            let states = client.stateChanges()
            await client.shutdown()
            await client.shutdown()
            #expect(client.state == .closed)
            let error = await #expect(throws: MQTTError.self) {
                try await client.publish("x", payload: Data(), qos: .atLeastOnce)
            }
            #expect(error?.code == .shutdown)
            var seen: [MQTTConnectionState] = []
            for await state in states { seen.append(state) }
            #expect(seen.last == .closed)
            var iterator = client.messages.makeAsyncIterator()
            #expect(await iterator.next() == nil)
        }
    }

    @Test("invalid topics and settings are refused before reaching the network")
    func invalidInput() async throws {
        #expect(throws: MQTTError.self) { try MQTTClient(configuration: .init(port: 0, clientID: "x")) }
        #expect(throws: MQTTError.self) { try MQTTClient(configuration: .init(clientID: "", cleanStart: false)) }
        #expect(throws: MQTTError.self) { try MQTTClient(configuration: .init(clientID: "x", publishWindow: 70_000)) }
        try await TestBroker.with { broker in
            let client = try await makeClient(broker, id: "c")
            await #expect(throws: MQTTError.self) { try await client.publish("a/+/b", payload: Data()) }
            await #expect(throws: MQTTError.self) { try await client.subscribe("a/#/b") }
            await client.shutdown()
        }
    }
}

@Suite("Reconnect back-off")
struct ReconnectPolicyTests {
    @Test("delays double up to the maximum and are jittered within the upper half")
    func backoff() {
        let policy = MQTTReconnectPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(3))
        var generator = SystemRandomNumberGenerator()
        let ceilings: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
                                    .milliseconds(1600), .seconds(3), .seconds(3)]
        for (attempt, ceiling) in ceilings.enumerated() {
            for _ in 0..<50 {
                let delay = policy.delay(attempt: attempt, using: &generator)
                #expect(delay <= ceiling)
                #expect(delay >= ceiling / 2)
            }
        }
        #expect(MQTTReconnectPolicy.ceiling(initial: .seconds(1), maximum: .seconds(30), attempt: 1_000) == .seconds(30))
    }
}

@Suite("MQTT over TLS against a real mosquitto")
struct MQTTTLSTests {
    @Test("TLS with the broker's CA connects and carries messages; another CA is refused")
    func tls() async throws {
        try await TemporaryDirectory.with { folder in
            let good = try TestCertificates.make(in: folder.appendingPathComponent("good", isDirectory: true).creatingFolder())
            let other = try TestCertificates.make(in: folder.appendingPathComponent("other", isDirectory: true).creatingFolder(),
                                                  name: "some-other-ca")
            var options = TestBroker.Options()
            options.tls = (good.caFile, good.certificateFile, good.keyFile)
            try await TestBroker.with(options) { broker in
                let client = try await makeClient(broker, id: "tls-kiosk") { $0.tls = MQTTTLSConfiguration(caFile: good.caFile) }
                try await client.subscribe("secure/#")
                try await client.publish("secure/a", payload: Data("晚霞".utf8))
                #expect(try await receive(1, from: client).first?.payload == Data("晚霞".utf8))
                await client.shutdown()

                let wrong = try MQTTClient(configuration: .init(
                    host: broker.host, port: broker.port, clientID: "impostor",
                    tls: MQTTTLSConfiguration(caFile: other.caFile),
                    reconnect: .init(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(100))))
                let error = await #expect(throws: MQTTError.self) { try await wrong.connect(timeout: .seconds(2)) }
                #expect(error?.message.contains("last error") == true)
                await wrong.shutdown()
            }
        }
    }
}

extension URL {
    func creatingFolder() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
