import Foundation
import WanxiaSpreadsheet
import WanxiaContract

/// Reads the bureau's people roll from CSV or TSV into person records, row by row.
///
/// The header names the columns, in English or Chinese, in any order: `id`/`编号`/`人员编号`
/// (required), `kind`/`类别`/`人员类别` (required: retiree/离退休干部/离休/退休, staff/工作人员,
/// youth/青少年), `name`/`姓名`, `unit`/`单位`/`原单位`/`工作单位`, `age_band`/`年龄段`. Each row becomes
/// a ``PersonRecord`` checked with the contract's rules (a young person may not have a name or
/// unit); a row that breaks a rule, or repeats an id seen earlier in the file, is reported with
/// its line number and not imported.
struct PeopleImport {
    var people: [PersonRecord] = []
    var badRows: [PeopleImportReport.BadRow] = []

    static let headers: [String: String] = [
        "id": "id", "person": "id", "编号": "id", "人员编号": "id", "证号": "id",
        "kind": "kind", "类别": "kind", "人员类别": "kind", "类型": "kind",
        "name": "name", "姓名": "name",
        "unit": "unit", "单位": "unit", "原单位": "unit", "工作单位": "unit", "原工作单位": "unit",
        "age_band": "ageBand", "ageband": "ageBand", "age band": "ageBand", "年龄段": "ageBand",
    ]

    static let kinds: [String: PersonRecord.Kind] = [
        "retiree": .retiree, "离退休干部": .retiree, "离休干部": .retiree, "退休干部": .retiree, "离休": .retiree, "退休": .retiree,
        "staff": .staff, "工作人员": .staff,
        "youth": .youth, "青少年": .youth,
    ]

    /// Parses `data`; throws ``RegistrarError/Code/importFailed`` only for a file that cannot be
    /// read at all (not UTF-8, no header, missing required column).
    init(data: Data) throws {
        let text: DelimitedText
        do {
            text = try DelimitedText(data: data)
        } catch {
            throw RegistrarError(.importFailed, error.message)
        }
        guard let header = text.lines.first else {
            throw RegistrarError(.importFailed, "the file is empty; the first line must name the columns (编号,姓名,类别,单位)")
        }
        var columns: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let column = Self.headers[key] else {
                throw RegistrarError(.importFailed, "line \(header.number): unknown column \"\(name)\"; known columns are id/编号, name/姓名, kind/类别, unit/单位, age_band/年龄段")
            }
            columns[column] = index
        }
        for required in ["id", "kind"] where columns[required] == nil {
            throw RegistrarError(.importFailed, "line \(header.number): the header has no \(required == "id" ? "id/编号" : "kind/类别") column")
        }

        var seen: [String: Int] = [:]
        for line in text.lines.dropFirst() {
            func value(_ column: String) -> String? {
                guard let index = columns[column], index < line.fields.count else { return nil }
                let text = line.fields[index].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            guard line.fields.count <= header.fields.count else {
                badRows.append(.init(line: line.number, reason: "has \(line.fields.count) fields but the header names \(header.fields.count)"))
                continue
            }
            guard let id = value("id") else {
                badRows.append(.init(line: line.number, reason: "id: is empty"))
                continue
            }
            guard let kindText = value("kind") else {
                badRows.append(.init(line: line.number, reason: "kind: is empty; write retiree/离退休干部, staff/工作人员 or youth/青少年"))
                continue
            }
            guard let kind = Self.kinds[kindText.lowercased()] else {
                badRows.append(.init(line: line.number, reason: "kind: \"\(kindText)\" is not retiree/离退休干部, staff/工作人员 or youth/青少年"))
                continue
            }
            let person = PersonRecord(person: id, kind: kind, name: value("name"), unit: value("unit"), ageBand: value("ageBand"))
            do {
                try person.validate()
            } catch let error as ContractError {
                badRows.append(.init(line: line.number, reason: error.message))
                continue
            }
            if let first = seen[id] {
                badRows.append(.init(line: line.number, reason: "id: \"\(id)\" already appears on line \(first)"))
                continue
            }
            seen[id] = line.number
            people.append(person)
        }
    }
}
