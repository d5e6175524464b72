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

    /// What a curves figure reads, resolved once for the figure, its table and its script: the
    /// SQL (its one argument the family), the family and why it was chosen, the theory columns
    /// stored, and the keys.
    public struct Selection: Sendable {
        public var sql: String
        public var family: String
        /// Why this family, when none was named: "the first scale family".
        public var choice: String?
        public var value: String
        public var theory: [String]
        public var by: String?
        /// "step" or "time".
        public var x: String
        public var at: [(key: String, value: Double)]
    }

    /// `x` is "step" or "time"; `by` a swept key or nil.
    /// `at` fixes other swept keys (`weight-decay` = 0.004): every swept key but seed and `by`
    /// must be fixed or take one value, so no curve silently averages over a swept key.
    public static func select(
        _ database: ResultsDatabase, value name: String, family: String?, by: String?,
        x: String, at: [(key: String, value: Double)] = []
    ) throws(OutputError) -> Selection {
        let path = database.path
        let value = Vocabulary.term(name)?.name ?? name
        guard quantities.contains(value) else {
            throw OutputError(
                path: path, message: "no series quantity '\(name)'; choose one of \(quantities.joined(separator: ", "))"
            )
        }
        let swept = try database.sweptKeys()
        return try database.read { db in
            let stored = Set(try db.columns(in: "series").map(\.name))
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM series") ?? 0 > 0 else {
                throw OutputError(
                    path: path, message: "no time series: run the sweep with --series-every K to store one")
            }
            guard stored.contains(value) else {
                throw OutputError(
                    path: path,
                    message:
                        "this database's series has no \(value) (it was written before that was stored): run the sweep again into a new database"
                )
            }
            let families = try String.fetchAll(db, sql: "SELECT DISTINCT family FROM series ORDER BY family")
            let symmetry = try Row.fetchAll(db, sql: "SELECT DISTINCT family, symmetry FROM families")
            var chosen = family, choice: String?
            if let family {
                guard families.contains(family) else {
                    throw OutputError(
                        path: path,
                        message:
                            "no family '\(family)' in the series; families there: \(families.joined(separator: ", "))")
                }
            } else {
                let scale = symmetry.first {
                    ($0["symmetry"] as String) == "scale" && families.contains($0["family"] as String)
                }
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
            let runColumns = try db.columns(in: "runs").map(\.name)
            var conditions: [String] = []
            for (key, v) in at {
                let column = ResultsDatabase.column(of: key)
                guard runColumns.contains(column) else {
                    throw OutputError(
                        path: path,
                        message: "--at \(key): not a swept key here; the swept keys: \(swept.joined(separator: ", "))")
                }
                conditions.append("abs(r.\"\(column)\" - \(v)) <= 1e-12 * abs(\(v))")
            }
            let fixed = Set(
                at.map { ResultsDatabase.column(of: $0.key) } + ["seed"]
                    + (by.map { [ResultsDatabase.column(of: $0)] } ?? []))
            for column in swept where !fixed.contains(column) {
                let values = try DatabaseValue.fetchAll(db, sql: "SELECT DISTINCT \"\(column)\" FROM runs ORDER BY 1")
                if values.count > 1 {
                    throw OutputError(
                        path: path,
                        message:
                            "\(column) takes \(values.count) values here (\(values.map { "\($0)" }.joined(separator: ", "))): pick one with --at \(column.replacingOccurrences(of: "_", with: "-"))=VALUE, or draw one curve per value with --by \(column.replacingOccurrences(of: "_", with: "-"))"
                    )
                }
            }
            let theory = (theories[value] ?? []).filter(stored.contains)
            let sql = """
                SELECT s.step AS step, s.step * json_extract(r.config, '$.lr') AS t, \(bySQL) AS by, s."\(value)" AS value
                  \(theory.map { ", s.\"\($0)\" AS \"\($0)\"" }.joined())
                FROM series s JOIN runs r ON r.id = s.run_id WHERE s.family = ? \(conditions.map { "AND " + $0 }.joined(separator: " "))
                ORDER BY s.step
                """
            return Selection(
                sql: sql, family: chosen ?? "-", choice: choice, value: value, theory: theory, by: by, x: x, at: at)
        }
    }

    public static func plot(
        _ database: ResultsDatabase, value name: String, family: String?, by: String?,
        x: String, error: ErrorKind, at: [(key: String, value: Double)] = []
    ) throws(OutputError) -> Plot {
        try plot(database, try select(database, value: name, family: family, by: by, x: x, at: at), error: error)
    }

    public static func plot(_ database: ResultsDatabase, _ selection: Selection, error: ErrorKind) throws(OutputError)
        -> Plot
    {
        let path = database.path
        let (value, theory, by, x, at) = (selection.value, selection.theory, selection.by, selection.x, selection.at)
        let (chosen, choice) = (selection.family, selection.choice)
        return try database.read { db in
            let rows = try Row.fetchAll(db, sql: selection.sql, arguments: [chosen])
            var groups:
                [String: (
                    by: Double?, label: String, steps: [Int: (x: Double, values: [Double], theory: [String: [Double]])]
                )] = [:]
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
            let most = counts.max() ?? 0
            let n =
                most == 0
                ? "no values"
                : most == 1
                    ? "one run per curve, no repeats to average"
                    : "n = \(counts.min()! == most ? "\(most)" : "\(counts.min()!)–\(most)") runs per curve"
            guard !rows.isEmpty else { throw OutputError(path: path, message: "no series rows match --at") }
            let atText = at.map { "\(Vocabulary.label($0.key)) = \(String(format: "%.4g", $0.value))" }.joined(
                separator: ", ")
            var plot = Plot(
                title:
                    "\(Vocabulary.label(value)) of \(chosen) against \(Vocabulary.label(x == "time" ? "time" : "step"))"
                    + (atText.isEmpty ? "" : " at \(atText)"),
                subtitle: choice.map { "family \(chosen): \($0)" },
                caption: (most > 1
                    ? "Thick lines with markers: the mean over seeds, with a band \(error.caption)"
                    : "Thick lines with markers: the run")
                    + (theory.isEmpty
                        ? ""
                        : "; thin dashed lines: the theory's curves from the same runs"
                            + (theory.contains("predicted_median") ? " (exact (★) lies on the measurement)" : ""))
                    + "; \(n).",
                xLabel: Vocabulary.label(x == "time" ? "time" : "step"), yLabel: Vocabulary.label(value))
            for (k, label) in order.enumerated() {
                let group = groups[label]!
                let steps = group.steps.keys.sorted()
                let named = by.map { "\(Vocabulary.label($0)) = \(label)" }
                let points = steps.compactMap { s -> Plot.Point? in
                    let e = group.steps[s]!
                    guard let spread = Spread(e.values) else { return nil }
                    let err = spread.error(error)
                    return Plot.Point(
                        x: e.x, y: spread.mean, low: err.map { spread.mean - $0 }, high: err.map { spread.mean + $0 },
                        n: spread.n)
                }
                plot.lines.append(Plot.Line(label: named ?? "measured", style: .band, points: points, colour: k))
                for (d, c) in theory.enumerated() {
                    let curve = steps.compactMap { s -> Plot.Point? in
                        let e = group.steps[s]!
                        return Spread(e.theory[c] ?? []).map { Plot.Point(x: e.x, y: $0.mean) }
                    }
                    guard !curve.isEmpty else { continue }
                    var line = Plot.Line(
                        label: Vocabulary.label(c) + (named.map { ", " + $0 } ?? ""), style: .theory, points: curve,
                        colour: k)
                    line.dash = Plot.dashes[d % Plot.dashes.count]
                    line.inLegend = order.count == 1
                    plot.lines.append(line)
                }
            }
            // Several bands: the legend names each theory curve once, by its dash, in black.
            if order.count > 1 {
                for (d, c) in theory.enumerated() {
                    var line = Plot.Line(label: Vocabulary.label(c), style: .theory, points: [], colour: 6)
                    line.dash = Plot.dashes[d % Plot.dashes.count]
                    plot.lines.append(line)
                }
            }
            plot.logY = PhaseDiagram.isLogSpread(plot.lines.filter { $0.style == .band }.flatMap { $0.points.map(\.y) })
            return plot
        }
    }

    /// The curves' points as a table, one row per series and x: the series' value of `by`, x,
    /// the mean ± its error, n, and each theory curve's value there. Columns go by their names
    /// (as in the database and the script's CSV), which are ASCII.
    public static func table(_ plot: Plot, _ selection: Selection, error: ErrorKind) -> String {
        let bands = plot.lines.filter { $0.style == .band }
        let theoryLabels = selection.theory.map(Vocabulary.label)
        var rows = [
            (selection.by.map { [$0] } ?? []) + [
                selection.x == "time" ? "t" : "step",
                "\(selection.value) of \(selection.family) (mean ± \(error.rawValue))",
                "n",
            ] + selection.theory
        ]
        for band in bands {
            let suffix = selection.by == nil ? "" : ", " + band.label
            let curves = theoryLabels.map { label in
                plot.lines.first { $0.style == .theory && $0.colour == band.colour && $0.label == label + suffix }
                    .map { Dictionary($0.points.map { ($0.x, $0.y) }, uniquingKeysWith: { a, _ in a }) } ?? [:]
            }
            for p in band.points {
                var row = selection.by.map { [String(band.label.dropFirst(Vocabulary.label($0).count + 3))] } ?? []
                row.append(selection.x == "time" ? String(format: "%.6g", p.x) : String(Int(p.x)))
                row.append(Spread.formatted(mean: p.y, error: p.high.map { $0 - p.y }))
                row.append(p.n.map(String.init) ?? "-")
                row += curves.map { c in c[p.x].map { Spread.significant($0, 4) } ?? "-" }
                rows.append(row)
            }
        }
        return TextTable.aligned(rows)
    }
}
