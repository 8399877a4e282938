import Foundation

/// A recorded consent to take part (and to the processing of the young person's data).
///
/// Under 14 it must come from a guardian (PIPL art. 31, Minors Protection Law art. 72); from 14
/// the young person may consent themselves. The details stay in the identity store; the
/// operational file learns only that consent exists, its date and whether a guardian gave it.
public struct Consent: Sendable, Equatable {
    /// Who gave it.
    public enum Giver: String, Sendable, CaseIterable {
        case guardian
        /// The young person, allowed from 14.
        case themselves = "self"
    }

    public var giver: Giver
    /// The guardian's relation to the young person (父亲, 母亲, 祖父母, 班主任...), or 本人.
    public var relation: String
    public var guardianName: String?
    /// The day it was given (China Standard Time).
    public var givenOn: Date
    /// How it was given: 书面 (written), 电子, 口头...
    public var how: String
    /// Where the signed form is kept, or its number.
    public var document: String?

    public init(giver: Giver, relation: String, guardianName: String? = nil, givenOn: Date, how: String, document: String? = nil) {
        self.giver = giver
        self.relation = relation
        self.guardianName = guardianName
        self.givenOn = givenOn
        self.how = how
        self.document = document
    }
}
