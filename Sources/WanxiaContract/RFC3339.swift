import Foundation

/// RFC 3339 times as the contract writes and reads them.
///
/// Writes `yyyy-MM-dd'T'HH:mm:ssXXXXX` in a given zone (China Standard Time by default), adding
/// `.SSS` only when the time has a non-zero fractional part (rounded to milliseconds). Reads any
/// offset or `Z`, with or without fractional seconds, and refuses a time without an offset, which
/// would be ambiguous. Pure arithmetic: safe from any thread.
public enum RFC3339 {
    /// Formats `date` in `timeZone`, e.g. `2026-05-12T09:01:08+08:00` (or `...Z` at offset zero).
    public static func string(from date: Date, timeZone: TimeZone = WanxiaJSON.defaultTimeZone) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = floorDivide(totalMilliseconds, 1000)
        let milliseconds = totalMilliseconds - seconds * 1000
        let offset = Int64(timeZone.secondsFromGMT(for: date)) / 60 * 60
        let local = seconds + offset
        let days = floorDivide(local, 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = civil(fromDays: days)

        // The digits go straight into one buffer (the string-by-string form cost a fifth of each
        // participation record's JSON encoding); only a year outside 0...9999 is made apart.
        let longYear = (0...9999).contains(year) ? nil : Array(pad(year, 4).utf8)
        return String(unsafeUninitializedCapacity: 25 + (longYear?.count ?? 4)) { text in
            var end = 0
            func put(_ byte: Character) {
                text[end] = byte.asciiValue!
                end += 1
            }
            func put(_ value: Int64, width: Int) {
                var rest = value
                for index in stride(from: end + width - 1, through: end, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                end += width
            }
            if let longYear {
                for byte in longYear {
                    text[end] = byte
                    end += 1
                }
            } else {
                put(year, width: 4)
            }
            put("-"); put(month, width: 2); put("-"); put(day, width: 2); put("T")
            put(secondOfDay / 3600, width: 2); put(":"); put(secondOfDay / 60 % 60, width: 2); put(":")
            put(secondOfDay % 60, width: 2)
            if milliseconds != 0 {
                put("."); put(milliseconds, width: 3)
            }
            if offset == 0 {
                put("Z")
            } else {
                let minutes = abs(offset) / 60
                put(offset < 0 ? "-" : "+"); put(minutes / 60 % 100, width: 2); put(":"); put(minutes % 60, width: 2)
            }
            return end
        }
    }

    /// Parses an RFC 3339 time; throws ``ContractError`` (code ``ContractError/Code/invalidTime``)
    /// saying what is wrong, in particular when the offset is missing.
    public static func date(from text: String) throws -> Date {
        let bytes = Array(text.utf8)
        func fail(_ problem: String) -> ContractError {
            ContractError(.invalidTime, "\"\(text)\" \(problem)")
        }
        func number(_ start: Int, _ length: Int) -> Int64? {
            guard start + length <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[start..<start + length] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ index: Int, is allowed: String) -> Bool {
            index < bytes.count && allowed.utf8.contains(bytes[index])
        }

        guard let year = number(0, 4), byte(4, is: "-"), let month = number(5, 2), byte(7, is: "-"),
              let day = number(8, 2), byte(10, is: "Tt"), let hour = number(11, 2), byte(13, is: ":"),
              let minute = number(14, 2), byte(16, is: ":"), let second = number(17, 2)
        else {
            throw fail("is not an RFC 3339 time like 2026-05-12T09:01:08+08:00")
        }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else {
            throw fail("has a date or time field out of range")
        }

        var index = 19
        var fraction = 0.0
        if byte(index, is: ".") {
            let start = index + 1
            index = start
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                index += 1
            }
            guard index > start, let value = Double("0." + String(decoding: bytes[start..<index], as: UTF8.self)) else {
                throw fail("has a decimal point without digits")
            }
            fraction = value
        }

        var offset: Int64 = 0
        if index == bytes.count {
            throw fail("has no UTC offset; RFC 3339 needs Z or ±hh:mm")
        } else if byte(index, is: "Zz"), index + 1 == bytes.count {
            offset = 0
        } else if byte(index, is: "+-"), let hours = number(index + 1, 2), byte(index + 3, is: ":"),
                  let minutes = number(index + 4, 2), index + 6 == bytes.count, hours <= 23, minutes <= 59 {
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            throw fail("has a malformed UTC offset; RFC 3339 needs Z or ±hh:mm at the end")
        }

        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, after Howard Hinnant's algorithms)

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
