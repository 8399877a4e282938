import Foundation

/// One step of a pair's lifecycle, as logged: from, to, when, who and why.
public struct PairTransition: Sendable, Equatable, Codable {
    public var pair: String
    /// Nil for the proposal itself.
    public var from: PairState?
    public var to: PairState
    public var at: Date
    /// Staff or mentor person id.
    public var actor: String
    public var reason: String
}
