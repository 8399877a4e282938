/// A topic of the contract, taken apart by ``Topic/parse(_:)``.
public enum ParsedTopic: Hashable, Sendable {
    case observations(site: TopicID, programme: Programme)
    case siteAck(site: TopicID)
    case siteReject(site: TopicID)
    case roster(site: TopicID, programme: Programme)
    case siteStatus(site: TopicID)
    case siteCommand(site: TopicID)
    case records(producer: TopicID)
    case serviceAck(service: TopicID)
    case serviceReject(service: TopicID)
    case serviceStatus(service: TopicID)
    case query(client: TopicID)
    case reply(client: TopicID)
    case state(programme: Programme, kind: TopicID, id: TopicID)

    /// The topic name again, as the matching ``Topic`` builder writes it.
    public var topic: String {
        switch self {
        case let .observations(site, programme): Topic.observations(site: site, programme: programme)
        case let .siteAck(site): Topic.siteAck(site: site)
        case let .siteReject(site): Topic.siteReject(site: site)
        case let .roster(site, programme): Topic.roster(site: site, programme: programme)
        case let .siteStatus(site): Topic.siteStatus(site: site)
        case let .siteCommand(site): Topic.siteCommand(site: site)
        case let .records(producer): Topic.records(producer: producer)
        case let .serviceAck(service): Topic.serviceAck(service: service)
        case let .serviceReject(service): Topic.serviceReject(service: service)
        case let .serviceStatus(service): Topic.serviceStatus(service: service)
        case let .query(client): Topic.query(client: client)
        case let .reply(client): Topic.reply(client: client)
        case let .state(programme, kind, id): Topic.state(programme: programme, kind: kind, id: id)
        }
    }

    /// Whether messages on this topic are published retained (rosters, presence, state documents).
    public var isRetained: Bool {
        switch self {
        case .roster, .siteStatus, .serviceStatus, .state: true
        default: false
        }
    }
}
