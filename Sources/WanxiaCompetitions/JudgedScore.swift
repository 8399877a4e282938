import Foundation

/// A judged entrant's score from a panel: n judges, highest and lowest dropped from `dropFrom`
/// judges up, rounding only of the final score.
///
/// The rules (IJRU calculations, Olympic-style trimmed mean): with at least `dropFrom` judges
/// (default 4) one highest and one lowest score are dropped and the rest averaged; with 3 judges
/// (below `dropFrom`) the two closest scores are averaged (on an equal spread, the two higher);
/// with 2 or 1, all. Scores are added as decimals (so 8.55 stays 8.55), and only the final value is
/// rounded, half away from zero, to `places`.
public enum JudgedScore {
    /// The unrounded panel score, or nil without scores.
    public static func exact(_ scores: [Double], dropFrom: Int = 4) -> Decimal? {
        guard !scores.isEmpty else { return nil }
        let sorted = scores.map(decimal).sorted()
        let counted: [Decimal]
        if sorted.count >= max(dropFrom, 3) {
            counted = Array(sorted.dropFirst().dropLast())
        } else if sorted.count == 3 {
            let low = sorted[1] - sorted[0]
            let high = sorted[2] - sorted[1]
            counted = low < high ? Array(sorted[0...1]) : Array(sorted[1...2])
        } else {
            counted = sorted
        }
        return counted.reduce(0, +) / Decimal(counted.count)
    }

    /// The panel score rounded to `places` decimals (half away from zero), or nil without scores.
    public static func final(_ scores: [Double], dropFrom: Int = 4, places: Int = 2) -> Decimal? {
        guard var value = exact(scores, dropFrom: dropFrom) else { return nil }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, places, .plain)
        return rounded
    }

    /// The score as the judge wrote it (shortest decimal form of the double).
    static func decimal(_ score: Double) -> Decimal {
        Decimal(string: "\(score)", locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(score)
    }
}
