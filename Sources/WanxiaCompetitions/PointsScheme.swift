/// The points a game is worth in the standings: win, draw, loss, a bye, and a forfeit's two sides.
///
/// Presets follow the rules in the research notes: chess 1 / ½ / 0; Chinese chess (2011 rules,
/// art. 13) 2 / 1 / 0 with a bye scored as a win; table tennis (ITTF groups) 2 for a win, 1 for a
/// loss played, 0 for a match not played; gateball and the rest 2 / 1 / 0.
public struct PointsScheme: Codable, Sendable, Equatable {
    public var win: Double
    public var draw: Double
    public var loss: Double
    /// A bye (pairing-allocated, or an odd round robin's rest round).
    public var bye: Double
    /// The side that forfeits (did not play).
    public var forfeitLoss: Double

    public init(win: Double = 2, draw: Double = 1, loss: Double = 0, bye: Double? = nil, forfeitLoss: Double = 0) {
        self.win = win
        self.draw = draw
        self.loss = loss
        self.bye = bye ?? win
        self.forfeitLoss = forfeitLoss
    }

    public static let chess = PointsScheme(win: 1, draw: 0.5, loss: 0)
    public static let chineseChess = PointsScheme(win: 2, draw: 1, loss: 0)
    public static let tableTennis = PointsScheme(win: 2, draw: 1, loss: 1, bye: 2, forfeitLoss: 0)
    public static let standard = PointsScheme()
}
