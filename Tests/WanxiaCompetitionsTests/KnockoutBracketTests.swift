import Testing
@testable import WanxiaCompetitions

@Suite("Knockout brackets")
struct KnockoutBracketTests {
    @Test("the standard seeding order")
    func seedOrder() {
        #expect(KnockoutBracket.seedOrder(size: 2) == [1, 2])
        #expect(KnockoutBracket.seedOrder(size: 4) == [1, 4, 2, 3])
        #expect(KnockoutBracket.seedOrder(size: 8) == [1, 8, 4, 5, 2, 7, 3, 6])
        #expect(KnockoutBracket.seedOrder(size: 16) == [1, 16, 8, 9, 4, 13, 5, 12, 2, 15, 7, 10, 3, 14, 6, 11])
    }

    @Test("byes go to the top seeds and never meet each other", arguments: [5, 6, 7, 9, 12, 13])
    func byes(count: Int) {
        let slots = KnockoutBracket.draw(units: Array(repeating: nil, count: count), protectedSeeds: count,
                                         separateUnits: false, seed: 1)
        let size = KnockoutBracket.size(for: count)
        #expect(slots.count == size)
        let byes = size - count
        for match in 0..<(size / 2) {
            let pair = [slots[2 * match], slots[2 * match + 1]]
            #expect(pair.contains { $0 != nil }, "bye against bye in match \(match)")
            if pair.contains(where: { $0 == nil }) {
                let seedNumber = (pair.compactMap { $0 }.first ?? 0) + 1
                #expect(seedNumber <= byes, "seed \(seedNumber) got a bye though \(byes) byes go to the top seeds")
            }
        }
    }

    @Test("a draw is the same from the same seed, and keeps a unit apart across halves then quarters")
    func separation() {
        // 16 players, four from each of four units; seeds 1-4 fixed, one of each unit.
        let units: [String?] = ["A", "B", "C", "D"] + (0..<12).map { ["A", "B", "C", "D"][$0 % 4] }
        let first = KnockoutBracket.draw(units: units, protectedSeeds: 4, separateUnits: true, seed: 20_240_512)
        let again = KnockoutBracket.draw(units: units, protectedSeeds: 4, separateUnits: true, seed: 20_240_512)
        #expect(first == again)
        #expect(first[0] == 0 && first[8] == 1 && first[12] == 2 && first[4] == 3)
        for unit in ["A", "B", "C", "D"] {
            for quarter in 0..<4 {
                let members = (quarter * 4..<(quarter * 4 + 4)).filter { first[$0].map { units[$0] == unit } ?? false }
                #expect(members.count == 1, "unit \(unit) has \(members.count) in quarter \(quarter + 1)")
            }
        }
        let other = KnockoutBracket.draw(units: units, protectedSeeds: 4, separateUnits: true, seed: 7)
        #expect(other != first)
    }
}
