/// Registrar to client: the answer to a ``QueryRequest``, echoing its `requestId`.
///
/// `ok` true carries a `result` (decode it with ``result(as:)`` as ``PersonHistory``,
/// ``GroupParticipation`` or ``PeriodTotals``, by the query asked); `ok` false carries an `error`.
public struct QueryReply: Codable, Sendable, Equatable, Validatable {
    /// Why a query failed.
    public struct Failure: Codable, Sendable, Equatable {
        /// Kebab-case reason, e.g. `unknown-person` or `invalid-field`.
        public var code: RejectCode
        public var message: String

        public init(code: RejectCode, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var v: SchemaVersion = .current
    public var requestId: String
    public var ok: Bool
    public var result: JSONValue?
    public var error: Failure?

    /// A successful reply carrying `result`.
    public init(requestId: String, result: some Encodable) throws {
        self.requestId = requestId
        self.ok = true
        self.result = try JSONValue(encoding: result)
    }

    /// A failed reply.
    public init(requestId: String, error: Failure) {
        self.requestId = requestId
        self.ok = false
        self.error = error
    }

    /// The result decoded as `type`; throws ``ContractError`` if the reply is a failure.
    public func result<T: Decodable>(as type: T.Type = T.self) throws -> T {
        guard ok, let result else {
            throw ContractError(.invalidField, field: "result", "the query failed: \(error?.message ?? "no result")")
        }
        return try result.decode(as: type)
    }

    public func validate() throws {
        try QueryRequest.checkRequestID(requestId)
        if ok {
            guard result != nil else { throw ContractError(.invalidField, field: "result", "is required when ok is true") }
            guard error == nil else { throw ContractError(.invalidField, field: "error", "must be absent when ok is true") }
        } else {
            guard let error else { throw ContractError(.invalidField, field: "error", "is required when ok is false") }
            guard result == nil else { throw ContractError(.invalidField, field: "result", "must be absent when ok is false") }
            try Check.keyword(error.code.rawValue, "error.code")
            try Check.text(error.message, "error.message")
        }
    }
}
