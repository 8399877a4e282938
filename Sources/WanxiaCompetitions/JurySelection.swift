/// One round of a juried exhibition: rank the works still in by the jurors' scores and keep the
/// round's quota ("200 works collected, 50 selected").
///
/// Works are anonymous: jurors score a blind id. A juror's score for a work he or she is recused
/// from (own work, own unit, student or relative) is ignored. A work's score is the mean of the
/// counted scores; a work no juror could score ranks last. Works tied at the cut-off are separated
/// by lot from the recorded seed, so the selection can be repeated by anyone with the seed.
public enum JurySelection {
    public struct Ballot: Sendable, Equatable {
        public var juror: String
        public var work: String
        public var score: Double

        public init(juror: String, work: String, score: Double) {
            self.juror = juror
            self.work = work
            self.score = score
        }
    }

    /// The selected works, best first, and whether lots decided the last places.
    public static func select(works: [String], ballots: [Ballot], recused: Set<[String]>, quota: Int,
                              seed: UInt64) -> (selected: [String], byLot: Bool) {
        var sums: [String: Double] = [:]
        var counts: [String: Int] = [:]
        for ballot in ballots where !recused.contains([ballot.juror, ballot.work]) {
            sums[ballot.work, default: 0] += ballot.score
            counts[ballot.work, default: 0] += 1
        }
        func mean(_ work: String) -> Double {
            guard let count = counts[work], count > 0 else { return -1 }
            return (sums[work] ?? 0) / Double(count)
        }
        var drawn = works.sorted()
        var random = SeededRandom(seed: seed)
        random.shuffle(&drawn)
        let lot = Dictionary(uniqueKeysWithValues: drawn.enumerated().map { ($1, $0) })
        let ranked = works.sorted { (mean($0), -lot[$0, default: 0]) > (mean($1), -lot[$1, default: 0]) }
        let take = min(max(quota, 0), ranked.count)
        let selected = Array(ranked.prefix(take))
        let byLot = take > 0 && take < ranked.count && mean(ranked[take - 1]) == mean(ranked[take])
        return (selected, byLot)
    }
}
