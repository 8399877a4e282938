import Foundation
import Testing
@testable import WanxiaContract

@Suite("The shared field rules")
struct CheckTests {
    /// Every string of up to 4 characters from an alphabet with each kind of character the rule
    /// treats differently, and lengths around the limit, judged by the rule and by its regular
    /// expression.
    @Test("a keyword is accepted exactly when it matches ^[a-z][a-z0-9]*(-[a-z0-9]+)*$ in at most 32 bytes")
    func keywordMatchesItsExpression() throws {
        let pattern = try Regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
        let alphabet = ["a", "z", "0", "9", "-", "A", "_", "é", " "]
        var candidates = [""]
        var previous = [""]
        for _ in 1...4 {
            previous = previous.flatMap { prefix in alphabet.map { prefix + $0 } }
            candidates += previous
        }
        for length in 30...34 {
            candidates += [String(repeating: "a", count: length), "a" + String(repeating: "-b", count: length / 2)]
        }
        var accepted = 0
        for candidate in candidates {
            let expected = candidate.utf8.count <= 32 && candidate.wholeMatch(of: pattern) != nil
            let actual = (try? Check.keyword(candidate, "role")) != nil
            #expect(actual == expected, "\"\(candidate)\"")
            if actual { accepted += 1 }
        }
        #expect(accepted > 100)  // the alphabet does reach accepted words, not only refusals
        #expect(throws: ContractError.self) { try Check.keyword("a--b", "role") }
    }
}
