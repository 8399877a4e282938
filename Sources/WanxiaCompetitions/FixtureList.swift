/// The body of the retained `fixtures` state document of a competition.
public struct FixtureList: Codable, Sendable, Equatable {
    public var competition: String
    public var title: String
    public var format: Competition.Format
    public var status: Competition.Status
    /// The recorded seed of the draw, as text.
    public var seed: String
    public var fixtures: [Fixture]
}
