/// One game of a round: `home` (white, red, first to play) against `away`, or a bye when `away` is nil.
///
/// Participants are pairing numbers, 1-based, as in the published tables.
public struct Pairing: Sendable, Hashable, Codable, CustomStringConvertible {
    public var round: Int
    public var board: Int
    public var home: Int
    public var away: Int?

    public init(round: Int, board: Int, home: Int, away: Int?) {
        self.round = round
        self.board = board
        self.home = home
        self.away = away
    }

    /// `1-6` as the tables print it, or `3-bye`.
    public var description: String { "\(home)-\(away.map(String.init) ?? "bye")" }
}
