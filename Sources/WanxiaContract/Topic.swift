/// Builders for every topic of the contract, subscription filters, and the parser.
///
/// Builders take ``TopicID`` and ``Programme`` values, which cannot hold `/`, `+` or `#`, so a topic
/// built from user input can never turn into a wildcard or another site's topic. Filters (which do
/// contain wildcards) are for subscribing only.
public enum Topic {
    /// The versioned root of every topic.
    public static let root = "wanxia/v1"

    // MARK: Sites

    /// `wanxia/v1/site/{site}/obs/{programme}`: a site's observation batches (QoS 1, not retained).
    public static func observations(site: TopicID, programme: Programme) -> String {
        "\(root)/site/\(site)/obs/\(programme)"
    }

    /// `wanxia/v1/site/{site}/ack`: acks from a programme service to a site.
    public static func siteAck(site: TopicID) -> String { "\(root)/site/\(site)/ack" }

    /// `wanxia/v1/site/{site}/reject`: rejects from a programme service to a site.
    public static func siteReject(site: TopicID) -> String { "\(root)/site/\(site)/reject" }

    /// `wanxia/v1/site/{site}/roster/{programme}`: the site's roster (retained).
    public static func roster(site: TopicID, programme: Programme) -> String {
        "\(root)/site/\(site)/roster/\(programme)"
    }

    /// `wanxia/v1/site/{site}/status`: the site's presence (retained; also its Will).
    public static func siteStatus(site: TopicID) -> String { "\(root)/site/\(site)/status" }

    /// `wanxia/v1/site/{site}/cmd`: commands to a site.
    public static func siteCommand(site: TopicID) -> String { "\(root)/site/\(site)/cmd" }

    // MARK: Services and registrar

    /// `wanxia/v1/registrar/records/{producer}`: a programme service's record batches.
    public static func records(producer: TopicID) -> String { "\(root)/registrar/records/\(producer)" }

    /// `wanxia/v1/service/{service}/ack`: acks from the registrar to a service.
    public static func serviceAck(service: TopicID) -> String { "\(root)/service/\(service)/ack" }

    /// `wanxia/v1/service/{service}/reject`: rejects from the registrar to a service.
    public static func serviceReject(service: TopicID) -> String { "\(root)/service/\(service)/reject" }

    /// `wanxia/v1/service/{service}/status`: a service's presence (retained; also its Will).
    public static func serviceStatus(service: TopicID) -> String { "\(root)/service/\(service)/status" }

    /// `wanxia/v1/registrar/query/{client}`: a client's queries to the registrar.
    public static func query(client: TopicID) -> String { "\(root)/registrar/query/\(client)" }

    /// `wanxia/v1/registrar/reply/{client}`: the registrar's replies to a client.
    public static func reply(client: TopicID) -> String { "\(root)/registrar/reply/\(client)" }

    /// `wanxia/v1/state/{programme}/{kind}/{id}`: a retained state document.
    public static func state(programme: Programme, kind: TopicID, id: TopicID) -> String {
        "\(root)/state/\(programme)/\(kind)/\(id)"
    }

    // MARK: Subscription filters

    /// `wanxia/v1/site/+/obs/{programme}`: every site's observations for one programme.
    public static func allObservations(programme: Programme) -> String { "\(root)/site/+/obs/\(programme)" }

    /// `wanxia/v1/site/+/obs/+`: every site's observations for every programme.
    public static let allObservations = "\(root)/site/+/obs/+"

    /// `wanxia/v1/site/{site}/roster/+`: a site's rosters for every programme.
    public static func rosters(site: TopicID) -> String { "\(root)/site/\(site)/roster/+" }

    /// `wanxia/v1/site/+/status`: presence of every site.
    public static let allSiteStatus = "\(root)/site/+/status"

    /// `wanxia/v1/registrar/records/+`: every producer's record batches (the registrar).
    public static let allRecords = "\(root)/registrar/records/+"

    /// `wanxia/v1/service/+/status`: presence of every service.
    public static let allServiceStatus = "\(root)/service/+/status"

    /// `wanxia/v1/registrar/query/+`: every client's queries (the registrar).
    public static let allQueries = "\(root)/registrar/query/+"

    /// `wanxia/v1/state/{programme}/#`: every state document of a programme.
    public static func allState(programme: Programme) -> String { "\(root)/state/\(programme)/#" }

    // MARK: Parsing

    /// Parses a topic name (not a filter) of the contract.
    ///
    /// Throws ``ContractError`` with code ``ContractError/Code/invalidTopic`` for a wrong root,
    /// wildcards, an empty level or an unknown shape, and ``ContractError/Code/invalidID`` for a level
    /// that is not a valid id (uppercase, spaces, ...) or not a programme.
    public static func parse(_ topic: String) throws -> ParsedTopic {
        func fail(_ problem: String) -> ContractError {
            ContractError(.invalidTopic, field: "topic", "\"\(topic)\" \(problem)")
        }
        guard !topic.isEmpty, topic.utf8.count <= 65_535 else {
            throw fail("must have 1 to 65535 bytes")
        }
        guard !topic.contains("+"), !topic.contains("#") else {
            throw fail("contains a wildcard; a topic name cannot contain + or #")
        }
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard levels.count > 2, levels[0] == "wanxia", levels[1] == "v1" else {
            throw fail("is not under \(root)/")
        }
        if let empty = levels.firstIndex(of: "") {
            throw fail("has an empty level at position \(empty + 1)")
        }
        let rest = Array(levels.dropFirst(2))

        func id(_ index: Int) throws -> TopicID {
            do {
                return try TopicID(validating: rest[index])
            } catch let error as ContractError {
                throw ContractError(.invalidID, field: "topic", "\"\(topic)\": level \(index + 3): \(error.problem)")
            }
        }
        func programme(_ index: Int) throws -> Programme {
            guard let programme = Programme(rawValue: rest[index]) else {
                throw ContractError(.invalidID, field: "topic", "\"\(topic)\": level \(index + 3): \"\(rest[index])\" is not a programme")
            }
            return programme
        }

        switch (rest[0], rest.count) {
        case ("site", 3):
            switch rest[2] {
            case "ack": return .siteAck(site: try id(1))
            case "reject": return .siteReject(site: try id(1))
            case "status": return .siteStatus(site: try id(1))
            case "cmd": return .siteCommand(site: try id(1))
            default: break
            }
        case ("site", 4):
            switch rest[2] {
            case "obs": return .observations(site: try id(1), programme: try programme(3))
            case "roster": return .roster(site: try id(1), programme: try programme(3))
            default: break
            }
        case ("registrar", 3):
            switch rest[1] {
            case "records": return .records(producer: try id(2))
            case "query": return .query(client: try id(2))
            case "reply": return .reply(client: try id(2))
            default: break
            }
        case ("service", 3):
            switch rest[2] {
            case "ack": return .serviceAck(service: try id(1))
            case "reject": return .serviceReject(service: try id(1))
            case "status": return .serviceStatus(service: try id(1))
            default: break
            }
        case ("state", 4):
            return .state(programme: try programme(1), kind: try id(2), id: try id(3))
        default:
            break
        }
        throw fail("is not a topic of the contract")
    }
}
