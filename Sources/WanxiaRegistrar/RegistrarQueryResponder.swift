import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import WanxiaContract
import WanxiaDelivery
import WanxiaMQTT

/// Answers ``QueryRequest``s on `wanxia/v1/registrar/query/{client}` with ``QueryReply``s on
/// `wanxia/v1/registrar/reply/{client}`.
///
/// Plain MQTT 3.1.1 is enough: the reply echoes `requestId`. If the request carries an MQTT 5
/// response topic, the reply is also published there with the request's correlation data. A bad
/// request (not JSON, wrong shape, unknown version, oversize, bad period, unknown person) gets an
/// `ok: false` reply with a code and a message; nothing a client sends can stop the responder.
///
/// Give it a client of its own: it consumes the client's whole message sequence. Requests are
/// answered one at a time, in arrival order, from the store's read connections (never blocked by
/// ingest). Stops on graceful shutdown or when the client shuts down.
public final class RegistrarQueryResponder: Service, Sendable {
    /// Requests larger than this are refused as `oversize`.
    public static let maximumRequestBytes = 64 * 1024

    private let client: MQTTClient
    private let queries: RegistrarQueries
    private let logger: Logger
    private let state = Mutex<(subscribed: Bool, answered: Int)>((false, 0))

    public init(client: MQTTClient, queries: RegistrarQueries, logger: Logger = Logger(label: "wanxia.registrar.query")) {
        self.client = client
        self.queries = queries
        self.logger = logger
    }

    /// Whether `run()` has subscribed (requests sent from now on will be answered).
    public var isReady: Bool { state.withLock { $0.subscribed } }

    /// Replies sent since `run()` began.
    public var answered: Int { state.withLock { $0.answered } }

    public func run() async throws {
        try await client.subscribe(Topic.allQueries, qos: .atLeastOnce)
        state.withLock { $0.subscribed = true }
        logger.info("answering registrar queries", metadata: ["mqtt.topic": "\(Topic.allQueries)"])
        for await message in client.messages.cancelOnGracefulShutdown() {
            do {
                try await handle(message)
            } catch let error as MQTTError where error.code == .shutdown {
                return
            } catch {
                logger.error("could not send a query reply", metadata: ["mqtt.topic": "\(message.topic)", "error": "\(error)"])
            }
        }
    }

    private func handle(_ message: MQTTMessage) async throws {
        let replyTopic: String?
        if case .query(let requester)? = try? Topic.parse(message.topic) {
            replyTopic = Topic.reply(client: requester)
        } else {
            replyTopic = nil
        }
        let reply = answer(message.payload)
        let payload = try WanxiaJSON.encode(reply)
        var targets: [(String, MQTTProperties)] = []
        if let replyTopic {
            targets.append((replyTopic, MQTTProperties(correlationData: message.properties.correlationData)))
        }
        if let responseTopic = message.properties.responseTopic, responseTopic != replyTopic {
            targets.append((responseTopic, MQTTProperties(correlationData: message.properties.correlationData)))
        }
        if targets.isEmpty {
            logger.warning("a query on a topic without a valid client id and no response topic: not answered",
                           metadata: ["mqtt.topic": "\(message.topic)"])
            return
        }
        for (topic, properties) in targets {
            try await client.publish(topic, payload: payload, qos: .atLeastOnce, properties: properties)
        }
        state.withLock { $0.answered += 1 }
        logger.debug("answered a query", metadata: [
            "mqtt.topic": "\(message.topic)", "query.request": "\(reply.requestId)", "query.ok": "\(reply.ok)",
        ])
    }

    /// The reply to `payload`, whatever it holds.
    func answer(_ payload: Data) -> QueryReply {
        let requestId = Self.requestId(in: payload)
        guard payload.count <= Self.maximumRequestBytes else {
            return QueryReply(requestId: requestId, error: .init(code: .oversize, message: "the request has \(payload.count) bytes; at most \(Self.maximumRequestBytes) are accepted"))
        }
        guard String(data: payload, encoding: .utf8) != nil else {
            return QueryReply(requestId: requestId, error: .init(code: .invalidUTF8, message: "the request is not UTF-8"))
        }
        let request: QueryRequest
        do {
            request = try WanxiaJSON.decode(QueryRequest.self, from: payload)
        } catch let error as ContractError {
            return QueryReply(requestId: requestId, error: .init(code: error.rejectCode, message: error.message))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                return QueryReply(requestId: requestId, error: .init(code: .malformedJSON, message: "the request is not a JSON object"))
            }
            return QueryReply(requestId: requestId, error: .init(code: .invalidField, message: DecodingErrorText.describe(error)))
        } catch {
            return QueryReply(requestId: requestId, error: .init(code: .invalidField, message: "the request could not be read: \(error)"))
        }
        return queries.answer(request)
    }

    /// The request's `requestId` if it can be found and is valid, else `unknown`.
    static func requestId(in payload: Data) -> String {
        struct Probe: Decodable { var requestId: String? }
        guard let probe = try? JSONDecoder().decode(Probe.self, from: payload), let id = probe.requestId,
              (1...64).contains(id.utf8.count),
              id.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._:-".unicodeScalars.contains($0)) })
        else {
            return "unknown"
        }
        return id
    }
}
