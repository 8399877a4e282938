import Foundation

/// One criterion of a standings' ordered tie-break list, fixed before the first round.
///
/// Points always come first; the list then orders participants still level. Criteria marked
/// *among the tied* are computed only from the games between the participants still level, and are
/// re-applied to a smaller set as soon as some places are settled (the ITTF group rule and the head-
/// to-head rule of the Chinese chess regulations). A list always ends, implicitly, with drawing of
/// lots from the competition's recorded seed (FIDE C.07 art. 4.2).
public enum TieBreak: String, Codable, Sendable, CaseIterable {
    /// 直胜 / DE (C.07 §6): points scored in games among the tied.
    case headToHead = "head-to-head"
    /// ITTF: games won ÷ games lost in matches among the tied (a clean sheet ranks above any ratio).
    case gameRatioAmongTied = "game-ratio-among-tied"
    /// 对手分 / BH (C.07 §8.1): sum of the opponents' points; a round not played counts as a game
    /// against a dummy opponent with the participant's own points (C.07 §16, 2024).
    case buchholz
    /// BH-C1: Buchholz without the lowest contribution.
    case buchholzCut1 = "buchholz-cut1"
    /// 小分 / SB (C.07 §9.1): for each opponent played, the game's share of a win (1, ½, 0) times
    /// that opponent's points.
    case sonnebornBerger = "sonneborn-berger"
    /// WIN (C.07 §7.1): games won, with or without playing.
    case wins
    /// 累进分 / PS (C.07 §7.5): the sum of the running score after each round.
    case progressive
    /// Score difference (gateball points for minus against, goal difference).
    case scoreDifference = "score-difference"
    /// Score for (gateball points scored, goals).
    case scoreFor = "score-for"
    /// Drawing of lots from the recorded seed (also the implicit last criterion).
    case lots

    /// Whether the criterion looks only at games among the tied participants.
    public var amongTied: Bool { self == .headToHead || self == .gameRatioAmongTied }

    /// Parses a comma-separated list such as `head-to-head,sonneborn-berger,wins`.
    public static func list(_ text: String) throws -> [TieBreak] {
        try text.split(separator: ",").map { part in
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let criterion = TieBreak(rawValue: name) else {
                throw CompetitionsError(.invalidArgument, "tie-breaks: \"\(name)\" is not one of \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return criterion
        }
    }

    /// The Chinese chess regulations' order for a single round robin (2011 rules, art. 14): 小分, wins, 直胜.
    public static let chineseChessRoundRobin: [TieBreak] = [.sonnebornBerger, .wins, .headToHead]
    /// The Chinese chess regulations' Swiss option A: 对手分, wins.
    public static let chineseChessSwiss: [TieBreak] = [.buchholz, .wins]
    /// The ITTF group rule: match points among the tied, then their game ratio.
    public static let tableTennis: [TieBreak] = [.headToHead, .gameRatioAmongTied]
    /// Gateball leagues: head-to-head, then score difference, then score for.
    public static let gateball: [TieBreak] = [.headToHead, .scoreDifference, .scoreFor]
}
