import Foundation
import Testing
@testable import WanxiaRegistrar

@Suite("Reporting periods in UTC+8")
struct PeriodTests {
    @Test("parses every accepted form", arguments: [
        ("2023H1", "2023H1", "2023-01-01T00:00", "2023-07-01T00:00"),
        ("2023h2", "2023H2", "2023-07-01T00:00", "2024-01-01T00:00"),
        ("2023上半年", "2023H1", "2023-01-01T00:00", "2023-07-01T00:00"),
        ("2023年下半年", "2023H2", "2023-07-01T00:00", "2024-01-01T00:00"),
        ("2023", "2023", "2023-01-01T00:00", "2024-01-01T00:00"),
        ("2023年", "2023", "2023-01-01T00:00", "2024-01-01T00:00"),
        ("2023Q2", "2023Q2", "2023-04-01T00:00", "2023-07-01T00:00"),
        ("2023年第二季度", "2023Q2", "2023-04-01T00:00", "2023-07-01T00:00"),
        ("2023年第4季度", "2023Q4", "2023-10-01T00:00", "2024-01-01T00:00"),
        ("2023-05", "2023-05", "2023-05-01T00:00", "2023-06-01T00:00"),
        ("2023年5月", "2023-05", "2023-05-01T00:00", "2023-06-01T00:00"),
        ("2024年2月", "2024-02", "2024-02-01T00:00", "2024-03-01T00:00"),
        ("2023-01-01..2023-06-30", "2023-01-01..2023-06-30", "2023-01-01T00:00", "2023-07-01T00:00"),
        (" 2023-03-01至2023-03-31 ", "2023-03-01..2023-03-31", "2023-03-01T00:00", "2023-04-01T00:00"),
        ("2023-05-12", "2023-05-12..2023-05-12", "2023-05-12T00:00", "2023-05-13T00:00"),
    ])
    func parses(_ text: String, _ canonical: String, _ from: String, _ to: String) throws {
        let period = try Period(parsing: text)
        #expect(period.canonical == canonical)
        #expect(period.from == t(from))
        #expect(period.to == t(to))
        // The canonical form is what travels on the bus: it must parse to the same interval.
        #expect(try Period(parsing: canonical) == period)
    }

    @Test("refuses anything else with a message listing the forms", arguments: [
        "2023H3", "2023Q5", "2023-13", "2023年13月", "23H1", "2023-02-30..2023-03-01", "2023-06-30..2023-01-01", "上半年", "", "1999",
    ])
    func refuses(_ text: String) {
        let error = #expect(throws: RegistrarError.self) { try Period(parsing: text) }
        #expect(error?.code == .invalidPeriod)
        #expect(error?.message.contains("2023上半年") == true)
    }

    @Test("23:30 on 30 June (UTC+8) is in the first half-year; midnight starts the second")
    func halfYearBoundary() throws {
        let h1 = try Period(parsing: "2023H1")
        #expect(h1.contains(t("2023-06-30T23:30")))
        #expect(!h1.contains(t("2023-07-01T00:00")))
        #expect(try Period(parsing: "2023H2").contains(t("2023-07-01T00:00")))
        let utc = try Period(parsing: "2023H1", timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.contains(t("2023-07-01T07:00")))
    }
}
