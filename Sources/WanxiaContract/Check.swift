import Foundation

/// The rules shared by the `validate()` methods; each throws a ``ContractError`` naming `field`.
enum Check {
    /// Plain ids (person, card, event, activity, ...): `^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`.
    static func id(_ value: String, _ field: String) throws {
        let bytes = value.utf8
        let ok = (1...128).contains(bytes.count)
            && isAlphanumeric(bytes[bytes.startIndex])
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
                || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "-") }
        guard ok else {
            throw ContractError(.invalidID, field: field,
                                "\"\(value)\" is not an id (1-128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit)")
        }
    }

    static func id(_ value: String?, _ field: String) throws {
        if let value { try id(value, field) }
    }

    /// Open lowercase vocabularies (role, status, codes): `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`, at most 32.
    ///
    /// Checked byte by byte: it runs for every record and scan a service receives.
    static func keyword(_ value: String, _ field: String) throws {
        let hyphen = UInt8(ascii: "-")
        var count = 0
        var previous = hyphen  // so that a leading hyphen is refused like a doubled one
        var ok = true
        for byte in value.utf8 {
            count += 1
            let fits = byte == hyphen ? previous != hyphen
                : count == 1 ? isLowercaseLetter(byte) : isLowerAlphanumeric(byte)
            guard fits, count <= 32 else {
                ok = false
                break
            }
            previous = byte
        }
        guard ok, count > 0, previous != hyphen else {
            throw ContractError(.invalidField, field: field, "\"\(value)\" is not a lowercase kebab-case word of at most 32 characters")
        }
    }

    /// Human-readable text: 1...500 characters, no NUL (U+0000).
    ///
    /// SQLite text bound from a Swift string ends at the first NUL, so a NUL would silently cut
    /// what is stored short: it is refused instead.
    static func text(_ value: String?, _ field: String, max: Int = 500) throws {
        guard let value else { return }
        guard !value.isEmpty, value.count <= max else {
            throw ContractError(.invalidField, field: field, "text must have 1 to \(max) characters, not \(value.count)")
        }
        guard !value.utf8.contains(0) else {
            throw ContractError(.invalidField, field: field, "text must not contain NUL (\\u0000)")
        }
    }

    static func range<T: Comparable>(_ value: T, _ range: ClosedRange<T>, _ field: String) throws {
        guard range.contains(value) else {
            throw ContractError(.invalidField, field: field, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
    }

    static func atLeast<T: Comparable>(_ value: T?, _ minimum: T, _ field: String) throws {
        guard let value else { return }
        guard value >= minimum else {
            throw ContractError(.invalidField, field: field, "\(value) is less than \(minimum)")
        }
    }

    /// Hours and scores: finite and not negative.
    static func nonNegative(_ value: Double, _ field: String) throws {
        guard value.isFinite, value >= 0 else {
            throw ContractError(.invalidField, field: field, "\(value) must be a finite number >= 0")
        }
    }

    static func count(_ count: Int, _ range: ClosedRange<Int>, _ field: String) throws {
        guard range.contains(count) else {
            throw ContractError(.invalidField, field: field, "must hold \(range.lowerBound) to \(range.upperBound) entries, not \(count)")
        }
    }

    static func order(start: Date?, end: Date?, _ field: String) throws {
        guard let start, let end else { return }
        guard end >= start else {
            throw ContractError(.invalidField, field: field, "ends before it starts")
        }
    }

    /// Reporting periods: `2023`, `2023H1`, `2023上半年`, `2023下半年`, `2023Q2`, `2023-05`,
    /// `2023-01-01..2023-06-30`.
    static func period(_ value: String?, _ field: String) throws {
        guard let value else { return }
        let pattern = #/\d{4}(?:H[12]|上半年|下半年|Q[1-4]|-(?:0[1-9]|1[0-2]))?|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}/#
        guard value.wholeMatch(of: pattern.asciiOnlyDigits()) != nil else {
            throw ContractError(.invalidField, field: field,
                                "\"\(value)\" is not a period (2023, 2023H1, 2023上半年, 2023Q2, 2023-05 or 2023-01-01..2023-06-30)")
        }
    }

    /// Runs `body` and puts `prefix` in front of the field of any ``ContractError`` it throws.
    static func nested<T>(_ prefix: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ContractError {
            throw error.within(prefix)
        }
    }

    /// Validates each element, naming it `field[i]` in errors.
    static func each<S: Sequence>(_ elements: S, _ field: String, _ body: (S.Element) throws -> Void) throws {
        for (index, element) in elements.enumerated() {
            try nested("\(field)[\(index)]") { try body(element) }
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        isLowercaseLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
