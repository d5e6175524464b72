import Foundation
import GRDB

/// A results database as CSV for any tool: `runs` one row per run (its key, status, the swept
/// keys, steps, t, losses, every configuration key, then each family's stored quantities as
/// `<family>.<name>`), `series` one row per run, step and family. Integers print as integers
/// (64, not 64.0), other numbers in their shortest round-trip form, NULL as an empty field.
extension ResultsDatabase {
    public func runsCSV() throws(OutputError) -> String {
        try read { db in
            let columns = try db.columns(in: "runs").map(\.name).filter { $0 != "config" }
            let configKeys = Config.keys.filter { !columns.contains(Self.column(of: $0)) }
            let families = try String.fetchAll(db, sql: "SELECT DISTINCT family FROM families ORDER BY family")
            let quantities = Self.familyColumns.dropFirst().map(\.name)
            var header = columns + configKeys.map(Self.column(of:))
            for f in families { header += quantities.map { "\(f).\($0)" } }
            let select = (columns.map { "r.\"\($0)\"" } + configKeys.map { "json_extract(r.config, '$.\"\($0)\"')" })
                .joined(separator: ", ")
            var lines = [header.map(Self.csvField).joined(separator: ",")]
            let perFamily = try Row.fetchAll(db, sql: "SELECT * FROM families")
            var byRun: [String: [String: Row]] = [:]
            for row in perFamily { byRun[row["run_id"] as String, default: [:]][row["family"] as String] = row }
            for row in try Row.fetchAll(db, sql: "SELECT \(select) FROM runs r ORDER BY r.id") {
                var fields = (0..<row.count).map { Self.csvValue(row[$0] as DatabaseValue) }
                let id = row[0] as String
                for f in families {
                    let fr = byRun[id]?[f]
                    fields += quantities.map { q in fr.map { Self.csvValue($0[q] as DatabaseValue) } ?? "" }
                }
                lines.append(fields.joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    public func seriesCSV() throws(OutputError) -> String {
        try read { db in
            let swept = try db.columns(in: "runs").map(\.name).filter { !Set(Self.runColumns.map(\.name)).contains($0) }
            let series = try db.columns(in: "series").map(\.name).filter { $0 != "run_id" && $0 != "step" && $0 != "family" }
            let header = ["run_id"] + swept + ["step", "time", "family"] + series
            let select = ["s.run_id"] + swept.map { "r.\"\($0)\"" } + ["s.step", "s.step * json_extract(r.config, '$.lr')", "s.family"]
                + series.map { "s.\"\($0)\"" }
            var lines = [header.map(Self.csvField).joined(separator: ",")]
            for row in try Row.fetchAll(db, sql: """
                SELECT \(select.joined(separator: ", ")) FROM series s JOIN runs r ON r.id = s.run_id ORDER BY s.run_id, s.step, s.family
                """) {
                lines.append((0..<row.count).map { Self.csvValue(row[$0] as DatabaseValue) }.joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static func csvValue(_ v: DatabaseValue) -> String {
        switch v.storage {
        case .null: ""
        case .int64(let n): "\(n)"
        case .double(let d): d.isFinite ? "\(d)" : ""
        case .string(let s): csvField(s)
        case .blob: ""
        }
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
