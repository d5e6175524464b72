import Foundation
import GRDB

/// A quantity over one or two swept keys, read from a results database: one cell per pair of
/// axis values holding the runs there (repeats over `seed`, say), their mean and spread, and the
/// theory's value where it predicts one. Drawn as terminal text (PhaseDiagramText.swift), a
/// heatmap (HeatmapSVG.swift), or a line per y value (Figure/SweepPlot.swift).
public struct PhaseDiagram: Sendable {
    public var quantity: String
    public var family: String?
    /// Why this family, when none was named: "the first scale family".
    public var familyChoice: String?
    public var x: String
    public var y: String?
    public var xValues: [AxisValue]
    public var yValues: [AxisValue]
    /// cells[j][i]: y value j, x value i.
    public var cells: [[Cell]]
    /// How the theory is drawn, when it predicts this quantity.
    public var theory: SweepQuantity.Theory?
    /// The SQL this diagram was read with (for `--script`) and its one argument, the family.
    public var query: String = ""

    public struct AxisValue: Sendable, Equatable, Hashable {
        public var label: String
        public var number: Double?
    }

    public struct Cell: Sendable, Equatable {
        /// Mean over the runs with a value; nil when none has one.
        public var value: Double?
        public var runs = 0
        public var diverged = 0
        /// Each run's value, in the database's order.
        public var values: [Double] = []
        /// The theory's value here (mean of the runs' predictions), when it has one.
        public var theory: Double?

        public var spread: Spread? { Spread(values) }
    }

    /// The smallest and largest cell values, nil when there are none.
    public var range: ClosedRange<Double>? {
        let values = cells.joined().compactMap(\.value)
        guard let lo = values.min(), let hi = values.max() else { return nil }
        return lo...hi
    }

    /// "rms_angle_ratio of fc1.scale": what the figure shows.
    public var title: String { family.map { "\(quantity) of \($0)" } ?? quantity }

    /// The constant the theory puts every cell at, if any: the centre of a diverging colour map.
    public var theoryCentre: Double? {
        if case .constant(let c, _) = theory { return c }
        return nil
    }

    /// Every cell with runs, as (x index, y index, cell).
    public var filledCells: [(i: Int, j: Int, cell: Cell)] {
        yValues.indices.flatMap { j in xValues.indices.compactMap { i in cells[j][i].runs > 0 ? (i, j, cells[j][i]) : nil } }
    }
}

extension ResultsDatabase {
    /// The swept keys of the database's runs, as columns (`weight_decay`), in sweep order.
    public func sweptKeys() throws(OutputError) -> [String] {
        try read { db in
            let fixed = Set(Self.runColumns.map(\.name))
            return try db.columns(in: "runs").map(\.name).filter { !fixed.contains($0) }
        }
    }

    /// The diagram of `quantity` over `x` (and `y`): keys as in the sweep file (`weight-decay`)
    /// or as columns (`weight_decay`), any configuration key, or `time`. A per-family quantity
    /// takes `family`, else the first scale family that has it, else the first family.
    public func phaseDiagram(x: String, y: String?, quantity name: String, family: String?) throws(OutputError) -> PhaseDiagram {
        guard let quantity = SweepQuantity.named(name) else {
            throw OutputError(path: path, message: "no quantity '\(name)'; choose one of \(SweepQuantity.all.map(\.name).joined(separator: ", "))")
        }
        return try read { db in
            let columns = try db.columns(in: "runs").map(\.name)
            func axis(_ key: String) -> String? {
                let column = Self.column(of: key)
                if columns.contains(column) { return "r.\"\(column)\"" }
                let configKey = key.replacingOccurrences(of: "_", with: "-")
                return Config.keys.contains(configKey) ? "json_extract(r.config, '$.\"\(configKey)\"')" : nil
            }
            let fixed = Set(Self.runColumns.map(\.name))
            let swept = columns.filter { !fixed.contains($0) }
            guard let xSQL = axis(x) else { throw unknownKey(x, swept) }
            let ySQL: String? = try y.map { k throws -> String in
                guard let s = axis(k) else { throw unknownKey(k, swept) }
                return s
            }
            var chosen: String?, choice: String?
            if quantity.perFamily {
                let families = try Row.fetchAll(db, sql: """
                    SELECT f.family AS family, f.symmetry AS symmetry FROM families f JOIN runs r ON r.id = f.run_id
                    WHERE \(quantity.sql) IS NOT NULL GROUP BY f.family ORDER BY f.family
                    """).map { (name: $0["family"] as String, symmetry: $0["symmetry"] as String) }
                if let family {
                    guard families.contains(where: { $0.name == family }) else {
                        throw OutputError(path: path, message: "no family '\(family)' with \(name); families with it: \(families.map(\.name).joined(separator: ", "))")
                    }
                    chosen = family
                } else if let scale = families.first(where: { $0.symmetry == SymmetryKind.scale.rawValue }) {
                    (chosen, choice) = (scale.name, "the first scale family")
                } else if let first = families.first {
                    (chosen, choice) = (first.name, "the first family")
                } else {
                    throw OutputError(path: path, message: "no run has \(name)")
                }
            }
            let join = quantity.perFamily ? "LEFT JOIN families f ON f.run_id = r.id AND f.family = ?" : ""
            var theorySQL = "NULL"
            if case .column(let sql, _) = quantity.theory { theorySQL = sql }
            let sql = """
                SELECT \(xSQL) AS x, \(ySQL ?? "NULL") AS y, \(quantity.sql) AS value, \(theorySQL) AS theory,
                  r.status AS status FROM runs r \(join) ORDER BY r.id
                """
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(quantity.perFamily ? [chosen] : []))
            var d = Self.diagram(rows, quantity: quantity.name, family: chosen, x: x, y: y)
            d.familyChoice = choice
            d.theory = quantity.theory
            d.query = sql
            return d
        }
    }

    private func unknownKey(_ key: String, _ swept: [String]) -> OutputError {
        OutputError(path: path, message: "no key '\(key)'; the swept keys here: \(swept.joined(separator: ", ")) (time, steps and any configuration key work too)")
    }

    static func diagram(_ rows: [Row], quantity: String, family: String?, x: String, y: String?) -> PhaseDiagram {
        func value(_ v: DatabaseValue) -> PhaseDiagram.AxisValue {
            switch v.storage {
            case .int64(let n): .init(label: "\(n)", number: Double(n))
            case .double(let d): .init(label: TOML.format(.float(d)), number: d)
            case .string(let s): .init(label: s, number: nil)
            default: .init(label: "-", number: nil)
            }
        }
        func ordered(_ values: [PhaseDiagram.AxisValue]) -> [PhaseDiagram.AxisValue] {
            var unique: [PhaseDiagram.AxisValue] = []
            for v in values where !unique.contains(v) { unique.append(v) }
            return unique.sorted { a, b in
                switch (a.number, b.number) {
                case let (p?, q?): p < q
                case (nil, nil): a.label < b.label
                case (_, nil): true
                default: false
                }
            }
        }
        let points = rows.map {
            (x: value($0["x"]), y: value($0["y"]), v: $0["value"] as Double?, theory: $0["theory"] as Double?,
             diverged: ($0["status"] as String?) != RunResult.finished)
        }
        let xs = ordered(points.map(\.x)), ys = ordered(points.map(\.y))
        var cells = Array(repeating: Array(repeating: PhaseDiagram.Cell(), count: xs.count), count: ys.count)
        var predictions = Array(repeating: Array(repeating: [Double](), count: xs.count), count: ys.count)
        for p in points {
            let i = xs.firstIndex(of: p.x)!, j = ys.firstIndex(of: p.y)!
            cells[j][i].runs += 1
            if p.diverged { cells[j][i].diverged += 1 }
            if let v = p.v, v.isFinite { cells[j][i].values.append(v) }
            if let t = p.theory, t.isFinite { predictions[j][i].append(t) }
        }
        for j in ys.indices {
            for i in xs.indices {
                cells[j][i].value = Spread(cells[j][i].values)?.mean
                cells[j][i].theory = Spread(predictions[j][i])?.mean
            }
        }
        return PhaseDiagram(quantity: quantity, family: family, x: x, y: y, xValues: xs, yValues: ys, cells: cells)
    }
}
