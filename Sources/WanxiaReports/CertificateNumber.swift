import Foundation

/// A certificate number: `WX-2024-000017-5`, the year of issue, a serial within the year, and a
/// check character.
///
/// The check character is ISO 7064 MOD 11-2 over the ten digits of year and serial, as on the
/// resident identity card (`0`-`9` or `X`), so a mistyped digit is caught before the register
/// is searched.
public struct CertificateNumber: Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var serial: Int

    public init(year: Int, serial: Int) {
        self.year = year
        self.serial = serial
    }

    /// Reads `WX-2024-000017-5` (case-insensitive, surrounding spaces ignored).
    ///
    /// Throws ``ReportError/Code/invalidArgument`` naming the problem: not the form, or a wrong
    /// check character (a mistyped number).
    public init(parsing text: String) throws {
        let cleaned = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard let match = cleaned.wholeMatch(of: /WX-(\d{4})-(\d{6})-([0-9X])/.asciiOnlyDigits()),
              let year = Int(match.1), let serial = Int(match.2) else {
            throw ReportError(.invalidArgument, "number: \"\(text)\" is not a certificate number like WX-2024-000017-5")
        }
        self.init(year: year, serial: serial)
        guard String(match.3) == String(check) else {
            throw ReportError(.invalidArgument, "number: \"\(text)\" has a wrong check character; please check the number for typing mistakes")
        }
    }

    /// The ISO 7064 MOD 11-2 check character of the year and serial digits.
    public var check: Character {
        let digits = String(format: "%04d%06d", year, serial).compactMap(\.wholeNumberValue)
        let sum = digits.reduce(0) { ($0 + $1) * 2 % 11 }
        let value = (12 - sum % 11) % 11
        return value == 10 ? "X" : Character(String(value))
    }

    public var description: String {
        String(format: "WX-%04d-%06d-", year, serial) + String(check)
    }
}
