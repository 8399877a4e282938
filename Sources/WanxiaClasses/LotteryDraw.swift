import Foundation
import WanxiaContract

/// A lottery (摇号) for an oversubscribed cohort, as stored and as re-drawn for an audit.
///
/// The applicants are sorted by person id before the draw, so the order depends only on the seed
/// and who applied: ``SplitMix64/shuffled(_:)`` of that list. The first `places` of the drawn
/// order are enrolled, the rest go to the waiting list in drawn order.
public struct LotteryDraw: Sendable, Equatable {
    public var cohort: String
    public var seed: UInt64
    public var places: Int
    /// Who applied, sorted by person id.
    public var applicants: [String]
    /// The stored drawn order.
    public var drawn: [String]
    public var at: Date

    /// The order the seed gives for the applicants, computed again.
    public var redrawn: [String] {
        var generator = SplitMix64(seed: seed)
        return generator.shuffled(applicants)
    }

    /// Whether the stored order is the one the seed gives.
    public var verifies: Bool { redrawn == drawn }

    /// Those the draw enrolled.
    public var enrolled: [String] { Array(drawn.prefix(places)) }

    /// Those the draw put on the waiting list, in order.
    public var waiting: [String] { Array(drawn.dropFirst(places)) }
}
