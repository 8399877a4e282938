import Foundation
import Testing
@testable import WanxiaCompetitions

@Suite("Judged scores")
struct JudgedScoreTests {
    /// Duke "Extreme Judgment" vectors (highest and lowest always dropped), IJRU's 3- and 2-judge
    /// rules, and rounding of the final value only.
    @Test("published vectors and the panel rules", arguments: [
        ([4, 10, 5], 3, "5"),                          // Duke, drop from 3 judges
        ([8, 8, 8, 8], 4, "8"),                        // Duke
        ([1.75, 1, 2, 2.25, 1.75, 2.2], 4, "1.925"),   // Duke: unrounded
        ([4, 10, 5], 4, "4.5"),                        // IJRU: 3 judges, the two closest
        ([4, 6, 8], 4, "7"),                           // IJRU: equal spread, the two higher
        ([7.5, 8.5], 4, "8"),                          // 2 judges: both
    ] as [([Double], Int, String)])
    func vectors(scores: [Double], dropFrom: Int, expected: String) throws {
        #expect(JudgedScore.exact(scores, dropFrom: dropFrom) == Decimal(string: expected))
    }

    @Test("only the final score is rounded, half away from zero")
    func rounding() {
        #expect(JudgedScore.final([1.75, 1, 2, 2.25, 1.75, 2.2]) == Decimal(string: "1.93"))
        // Rounding each judge first (8.56 -> 8.6 ...) would give 8.6; the panel's exact mean is 8.553...
        #expect(JudgedScore.final([8.55, 8.56, 8.55, 9.9, 1.0]) == Decimal(string: "8.55"))
        #expect(JudgedScore.final([9.335, 9.335, 9.335, 9.335]) == Decimal(string: "9.34"))
        #expect(JudgedScore.final([]) == nil)
    }
}
