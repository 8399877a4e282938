import Foundation

/// One observation a simulated site publishes at a given time: the unit of a demo or load script.
///
/// `wanxia up --demo` replays each programme's scripted half-year through real site agents, so the
/// observations travel the same path as a kiosk's.
public struct ScriptedObservation: Sendable, Equatable {
    /// The site that publishes it.
    public var site: TopicID
    /// The programme topic it goes to.
    public var programme: Programme
    /// When it happened (the item's `at`).
    public var at: Date
    public var body: Observation

    public init(site: TopicID, programme: Programme, at: Date, body: Observation) {
        self.site = site
        self.programme = programme
        self.at = at
        self.body = body
    }
}
