/// Knockout brackets: the standard seeding order, byes to the top seeds, and a seeded draw that
/// keeps entrants of the same unit (同单位) apart for as long as the bracket allows.
///
/// Slots are numbered 0..<size from the top of the bracket; the first round's match k is slots 2k
/// and 2k+1, and the winner of round r's match k meets the winner of match k^1 in match k/2.
public enum KnockoutBracket {
    /// The smallest power of two holding `count` entrants (at least 2).
    public static func size(for count: Int) -> Int {
        var size = 2
        while size < count { size *= 2 }
        return size
    }

    /// The seed in each slot of a full bracket of `size` (a power of two): for 16,
    /// 1,16,8,9,4,13,5,12,2,15,7,10,3,14,6,11.
    public static func seedOrder(size: Int) -> [Int] {
        precondition(size >= 1 && size & (size - 1) == 0, "a bracket's size is a power of two")
        var order = [1]
        while order.count < size {
            let next = 2 * order.count + 1
            order = order.flatMap { [$0, next - $0] }
        }
        return order
    }

    /// The entrant (an index into `units`, which is in seed order) in each slot, nil for a bye.
    ///
    /// The top `protectedSeeds` entrants keep their seeded slots; byes go to the top seeds (seed
    /// numbers above the entrant count are byes, so no bye meets a bye). The others are drawn by
    /// lot from `seed` and, when `separateUnits`, each goes to the free slot whose half, then
    /// quarter, then eighth... holds the fewest entrants of its unit (nil units are never kept apart).
    /// The same inputs always give the same draw.
    public static func draw(units: [String?], protectedSeeds: Int, separateUnits: Bool, seed: UInt64) -> [Int?] {
        let count = units.count
        let size = size(for: count)
        let order = seedOrder(size: size)
        let protected = min(max(protectedSeeds, 0), count)
        var slots = [Int?](repeating: nil, count: size)
        var free: [Int] = []
        for (slot, seedNumber) in order.enumerated() {
            if seedNumber <= protected {
                slots[slot] = seedNumber - 1
            } else if seedNumber <= count {
                free.append(slot)
            }
        }
        var random = SeededRandom(seed: seed)
        var drawn = Array(protected..<count)
        random.shuffle(&drawn)
        random.shuffle(&free)
        guard separateUnits else {
            for (entrant, slot) in zip(drawn, free) { slots[slot] = entrant }
            return slots
        }
        var levels: [Int] = []
        var part = size / 2
        while part >= 2 { levels.append(part); part /= 2 }
        for entrant in drawn {
            let unit = units[entrant]
            func clash(_ slot: Int) -> [Int] {
                guard let unit else { return levels.map { _ in 0 } }
                return levels.map { width in
                    let low = (slot / width) * width
                    return (low..<(low + width)).filter { slots[$0].map { units[$0] == unit } ?? false }.count
                }
            }
            let best = free.indices.min { a, b in clash(free[a]).lexicographicallyPrecedes(clash(free[b])) } ?? 0
            slots[free[best]] = entrant
            free.remove(at: best)
        }
        return slots
    }
}
