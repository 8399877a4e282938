import Foundation
import GRDB
import Testing
import WanxiaContract
@testable import WanxiaRegistrar
import WanxiaTesting

@Suite("People import, backup, integrity check and statistics")
struct OperationsTests {
    @Test("imports an Excel CSV with a BOM, Chinese headers, quotes and CRLF; reports every bad row")
    func importExcelCSV() throws {
        let book = try Book()
        let csv = "\u{FEFF}编号,姓名,类别,单位,年龄段\r\n"
            + "P-0001,张三,离退休干部,\"县财政局,预算科\",75-84\r\n"
            + "P-0002,\"李\"\"四\"\"\",退休,,\r\n"
            + ",王五,离退休干部,县委,\r\n"
            + "P-0003,赵六,干部,县委,\r\n"
            + "Y-0001,小明,青少年,,15-17\r\n"
            + "Y-0002,,青少年,,15-17\r\n"
            + "P-0001,张三,离退休干部,县财政局,\r\n"
            + "P 0004,钱七,工作人员,老干部局,\r\n"
            + "P-0005,孙八,staff,\"老干部局\r\n活动科\",\r\n"
            + "P-0006,周九,retiree,县委,65-74,extra\r\n"
        let report = try book.store.importPeople(Data(csv.utf8), file: "people.csv")
        #expect(report.imported == 4)
        #expect(report.badRows.map(\.line) == [4, 5, 6, 8, 9, 12])
        #expect(report.badRows[0].reason.contains("id"))
        #expect(report.badRows[1].reason.contains("干部"))
        #expect(report.badRows[2].reason.contains("name"))
        #expect(report.badRows[3].reason.contains("line 2"))
        #expect(report.badRows[4].reason.contains("P 0004"))
        #expect(report.text.hasPrefix("imported 4 people; 6 bad rows\n  line 4: "))
        let rows = try book.store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, kind, name, unit, age_band, source FROM person ORDER BY id")
        }
        #expect(rows.map { $0["id"] as String } == ["P-0001", "P-0002", "P-0005", "Y-0002"])
        #expect(rows[0]["unit"] == "县财政局,预算科")
        #expect(rows[0]["age_band"] == "75-84")
        #expect(rows[1]["name"] == "李\"四\"")
        #expect(rows[2]["unit"] == "老干部局\n活动科")
        #expect(rows[3]["name"] as String? == nil)
        #expect(rows.allSatisfy { $0["source"] == "import" })
        #expect(try book.count("person_import") == 1)
    }

    @Test("imports a TSV with English headers in another order, without a BOM")
    func importTSV() throws {
        let book = try Book()
        let tsv = "kind\tid\tname\nretiree\tP-0001\t张三\nstaff\tS-01\t王五\n"
        let report = try book.store.importPeople(Data(tsv.utf8), file: "people.tsv")
        #expect(report == PeopleImportReport(imported: 2, badRows: []))
        #expect(try book.count("person") == 2)
    }

    @Test("refuses files it cannot read at all, importing nothing", arguments: [
        (Data([0xD5, 0xC5, 0xC8, 0xFD]), "UTF-8"),  // 张三 in GBK
        (Data("编号,姓名,生日\nP-1,张三,1950\n".utf8), "生日"),
        (Data("姓名,单位\n张三,县委\n".utf8), "编号"),
        (Data("编号,类别\n\"P-1,retiree\n".utf8), "never closed"),
    ])
    func refusesFile(_ data: Data, _ mentions: String) throws {
        let book = try Book()
        let error = #expect(throws: RegistrarError.self) { try book.store.importPeople(data, file: "bad.csv") }
        #expect(error?.code == .importFailed)
        #expect(error?.message.contains(mentions) == true, "\(error?.message ?? "")")
        #expect(try book.count("person") == 0)
    }

    @Test("a backup taken while records are being written is consistent and matches a snapshot")
    func backupWhileWriting() async throws {
        let fixture = try Fixture()
        let book = fixture.book
        let destination = book.directory.appendingPathComponent("backup.sqlite").path

        // A writer keeps adding records while the backup runs.
        let writer = Task {
            var written = 0
            while !Task.isCancelled && written < 2000 {
                try book.apply(.took("P-0003", "E-3", "referee", hours: 1, status: "judged"))
                written += 1
            }
            return written
        }
        // A long wait: on a loaded machine the writer may start late, and only its start matters here.
        try await eventually("the writer has started", timeout: .seconds(120)) { try book.count("participation") > 20 }
        try book.store.backup(to: destination)
        writer.cancel()
        _ = try await writer.value

        let copy = try RegistrarStore(path: destination, configuration: .init(readOnly: true))
        #expect(try copy.integrityCheck() == IntegrityReport(problems: []))
        let copied = try copy.statistics()
        // The copy is the book at one instant: every record in it is whole, and it holds at least
        // what was there when the backup began.
        #expect(copied.records > 20)
        #expect(copied.records <= (try book.count("participation")))
        let history = try copy.queries.personHistory(person: "P-0003")
        #expect(history.records.count == copied.records - 12)
        #expect(#expect(throws: RegistrarError.self) { try book.store.backup(to: destination) }?.code == .invalidArgument)
    }

    @Test("a quiet backup equals the original")
    func backupSnapshot() throws {
        let fixture = try Fixture()
        let destination = fixture.book.directory.appendingPathComponent("copy.sqlite").path
        let before = try fixture.book.store.statistics()
        try fixture.book.store.backup(to: destination)
        let copy = try RegistrarStore(path: destination, configuration: .init(readOnly: true))
        var copied = try copy.statistics()
        copied.fileBytes = before.fileBytes
        #expect(copied == before)
        #expect(try copy.queries.periodTotals(period: Period(parsing: "2023")) == fixture.queries.periodTotals(period: Period(parsing: "2023")))
    }

    @Test("statistics count people, events, records and corrections")
    func statistics() throws {
        let fixture = try Fixture()
        let statistics = try fixture.book.store.statistics()
        #expect(statistics.people == 4)
        #expect(statistics.youth == 1)
        #expect(statistics.events == 7)
        #expect(statistics.eventVersions == 8)
        #expect(statistics.records == 13)
        #expect(statistics.corrections == 1)
        #expect(statistics.rejects == nil)
        #expect(statistics.fileBytes > 0)
    }

    @Test("the integrity check finds records that break the book's rules")
    func integrityProblems() throws {
        let fixture = try Fixture()
        #expect(try fixture.book.store.integrityCheck().isOK)
        // Damage the file behind the registrar's back, as a hand edit with foreign keys off would.
        try fixture.book.store.database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DELETE FROM person WHERE id = 'P-0003'")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let report = try fixture.book.store.integrityCheck()
        #expect(!report.isOK)
        #expect(report.problems.contains { $0.contains("unknown person P-0003") })
    }
}
