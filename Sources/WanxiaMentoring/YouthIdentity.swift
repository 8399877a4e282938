import Foundation

/// A young person's real identity: kept only in the identity store, never on the bus, never at the
/// registrar, never in the operational file.
public struct YouthIdentity: Sendable, Equatable {
    /// The pseudonym it is filed under (`Y-...`); set on enrolment.
    public var pseudonym: String?
    public var name: String
    /// 身份证号 (18 characters), optional.
    public var idNumber: String?
    /// Year, month, day; taken from the ID number when not given.
    public var birthDate: DateComponents?
    public var school: String?
    public var guardianName: String?
    public var guardianPhone: String?

    public init(pseudonym: String? = nil, name: String, idNumber: String? = nil, birthDate: DateComponents? = nil,
                school: String? = nil, guardianName: String? = nil, guardianPhone: String? = nil) {
        self.pseudonym = pseudonym
        self.name = name
        self.idNumber = idNumber
        self.birthDate = birthDate
        self.school = school
        self.guardianName = guardianName
        self.guardianPhone = guardianPhone
    }

    /// The birth date written in an 18-character resident ID number (digits 7-14), if it is one.
    public static func birthDate(fromIDNumber number: String) -> DateComponents? {
        let characters = Array(number.uppercased())
        guard characters.count == 18, characters[0..<17].allSatisfy({ $0.isASCII && $0.isNumber }),
              characters[17].isNumber || characters[17] == "X" else { return nil }
        return AgeBand.parseDate(String(characters[6..<14]))
    }
}
