import Foundation
import GRDB

/// Curves from a sweep's time series (`--series-every K`): one quantity of one family against
/// step k or t = ηk, one band per value of a swept key (`--by lr`: the mean over the seeds there
/// ± the error), with the theory's curves dashed beside it: the exact prediction (★), the
/// symmetric reference Q⁽⁰⁾ and the continuum NM for a charge, the equilibrium angle for the
/// RMS angle.
public enum CurvePlot {
    /// The series columns a curve can show, each with the columns of its theory curves.
    public static let theories: [String: [String]] = [
        "median_charge": ["predicted_median", "reference_median", "continuum_median"],
        "rms_angle": ["rms_angle_predicted"],
    ]

    public static var quantities: [String] { ResultsDatabase.seriesColumns.dropFirst(2).map(\.name) }

    /// `x` is "step" or "time"; `by` a swept key or nil.
    public static func plot(_ database: ResultsDatabase, value name: String, family: String?, by: String?,
                            x: String, error: ErrorKind) throws(OutputError) -> Plot
    {
        let path = database.path
        let value = Vocabulary.term(name)?.name ?? name
        guard quantities.contains(value) else {
            throw OutputError(path: path, message: "no series quantity '\(name)'; choose one of \(quantities.joined(separator: ", "))")
        }
        return try database.read { db in
            let stored = Set(try db.columns(in: "series").map(\.name))
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM series") ?? 0 > 0 else {
                throw OutputError(path: path, message: "no time series: run the sweep with --series-every K to store one")
            }
            guard stored.contains(value) else {
                throw OutputError(path: path, message: "this database's series has no \(value) (it was written before that was stored): run the sweep again into a new database")
            }
            let families = try String.fetchAll(db, sql: "SELECT DISTINCT family FROM series ORDER BY family")
            let symmetry = try Row.fetchAll(db, sql: "SELECT DISTINCT family, symmetry FROM families")
            var chosen = family, choice: String?
            if let family {
                guard families.contains(family) else {
                    throw OutputError(path: path, message: "no family '\(family)' in the series; families there: \(families.joined(separator: ", "))")
                }
            } else {
                let scale = symmetry.first { ($0["symmetry"] as String) == "scale" && families.contains($0["family"] as String) }
                chosen = (scale?["family"] as String?) ?? families.first
                choice = scale == nil ? "the first family" : "the first scale family"
            }
            var bySQL = "NULL"
            if let by {
                let column = ResultsDatabase.column(of: by)
                let runColumns = try db.columns(in: "runs").map(\.name)
                if runColumns.contains(column) {
                    bySQL = "r.\"\(column)\""
                } else if Config.keys.contains(by.replacingOccurrences(of: "_", with: "-")) {
                    bySQL = "json_extract(r.config, '$.\"\(by.replacingOccurrences(of: "_", with: "-"))\"')"
                } else {
                    throw OutputError(path: path, message: "no key '\(by)' to draw one band per value of")
                }
            }
            let theory = (theories[value] ?? []).filter(stored.contains)
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.step AS step, s.step * json_extract(r.config, '$.lr') AS t, \(bySQL) AS by, s."\(value)" AS value
                  \(theory.map { ", s.\"\($0)\" AS \"\($0)\"" }.joined())
                FROM series s JOIN runs r ON r.id = s.run_id WHERE s.family = ? ORDER BY s.step
                """, arguments: [chosen])
            var groups: [String: (by: Double?, label: String, steps: [Int: (x: Double, values: [Double], theory: [String: [Double]])])] = [:]
            var order: [String] = []
            for row in rows {
                let byValue = row["by"] as DatabaseValue
                let label = by == nil ? "" : (byValue.storage.value.map { "\($0)" } ?? "-")
                if groups[label] == nil {
                    groups[label] = (Double.fromDatabaseValue(byValue), label, [:])
                    order.append(label)
                }
                let step = row["step"] as Int
                let xv = x == "time" ? (row["t"] as Double? ?? Double(step)) : Double(step)
                var entry = groups[label]!.steps[step] ?? (xv, [], [:])
                if let v = row["value"] as Double?, v.isFinite { entry.values.append(v) }
                for c in theory { if let t = row[c] as Double?, t.isFinite { entry.theory[c, default: []].append(t) } }
                groups[label]!.steps[step] = entry
            }
            order.sort { (groups[$0]!.by ?? 0, $0) < (groups[$1]!.by ?? 0, $1) }
            let counts = groups.values.flatMap { $0.steps.values.map(\.values.count) }.filter { $0 > 0 }
            let n = counts.isEmpty ? "no values" : "n = \(counts.min()! == counts.max()! ? "\(counts.min()!)" : "\(counts.min()!)–\(counts.max()!)") runs per curve"
            var plot = Plot(
                title: "\(Vocabulary.label(value)) of \(chosen ?? "-") against \(Vocabulary.label(x == "time" ? "time" : "step"))",
                subtitle: choice.map { "family \(chosen ?? "-"): \($0) (--family picks another)" },
                caption: "Solid: mean over seeds with a band \(error.caption); dashed: the theory's curves "
                    + "from the same runs; \(n).",
                xLabel: Vocabulary.label(x == "time" ? "time" : "step"), yLabel: Vocabulary.label(value))
            for (k, label) in order.enumerated() {
                let group = groups[label]!
                let steps = group.steps.keys.sorted()
                let named = by.map { "\(Vocabulary.label($0)) = \(label)" }
                let points = steps.compactMap { s -> Plot.Point? in
                    let e = group.steps[s]!
                    guard let spread = Spread(e.values) else { return nil }
                    let err = spread.error(error)
                    return Plot.Point(x: e.x, y: spread.mean, low: err.map { spread.mean - $0 }, high: err.map { spread.mean + $0 }, n: spread.n)
                }
                plot.lines.append(Plot.Line(label: "measured" + (named.map { ", " + $0 } ?? ""), style: .band, points: points, colour: k))
                for (d, c) in theory.enumerated() {
                    let curve = steps.compactMap { s -> Plot.Point? in
                        let e = group.steps[s]!
                        return Spread(e.theory[c] ?? []).map { Plot.Point(x: e.x, y: $0.mean) }
                    }
                    guard !curve.isEmpty else { continue }
                    var line = Plot.Line(label: Vocabulary.label(c) + (named.map { ", " + $0 } ?? ""), style: .theory, points: curve, colour: k)
                    line.dash = Plot.dashes[d % Plot.dashes.count]
                    plot.lines.append(line)
                }
            }
            plot.logY = PhaseDiagram.isLogSpread(plot.lines.filter { $0.style == .band }.flatMap { $0.points.map(\.y) })
            return plot
        }
    }
}
