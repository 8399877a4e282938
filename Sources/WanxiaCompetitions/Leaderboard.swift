import Foundation

/// A competition's ranking as screens, sites and printouts show it, whatever the format.
///
/// Match formats rank by ``Standings`` (points, the tie-break list, lots); a knockout ranks by the
/// round reached (final, then third-place match); a judged event by the panel score (rounded only
/// at the end), then the unrounded score, then lots; an exhibition lists works by the round reached.
public struct Leaderboard: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var rank: Int
        public var entrant: String
        public var name: String
        /// Points (match formats), the panel score (judged) or the rounds passed (exhibitions).
        public var score: String
        /// Played/won/drawn/lost and tie-break values, judges' count, or selection.
        public var detail: String
        public var byLot: Bool
    }

    public var competition: String
    public var title: String
    public var format: Competition.Format
    public var status: Competition.Status
    public var tieBreaks: [TieBreak]
    /// The recorded seed of the draws and lots, as text (exact beyond 2^53).
    public var seed: String
    public var rows: [Row]

    public init(competition: String, title: String, format: Competition.Format, status: Competition.Status,
                tieBreaks: [TieBreak], seed: UInt64, rows: [Row]) {
        self.competition = competition
        self.title = title
        self.format = format
        self.status = status
        self.tieBreaks = tieBreaks
        self.seed = String(seed)
        self.rows = rows
    }

    /// A number as the tables print it: 2, 1.5, 8.55.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%g", value)
    }
}
