import GRDB

/// A quantity over one or two swept keys, read from a results database: one cell per pair of
/// axis values holding the mean over the runs there (repeats over `seed`, say). Drawn by
/// PhaseDiagramText.swift and PhaseDiagramSVG.swift.
public struct PhaseDiagram: Sendable {
    public var quantity: String
    public var family: String?
    public var x: String
    public var y: String?
    public var xValues: [AxisValue]
    public var yValues: [AxisValue]
    /// cells[j][i]: y value j, x value i.
    public var cells: [[Cell]]

    public struct AxisValue: Sendable, Equatable {
        public var label: String
        var number: Double?
    }

    public struct Cell: Sendable, Equatable {
        /// Mean over the runs with a value; nil when none has one.
        public var value: Double?
        public var runs = 0
        public var diverged = 0
    }

    /// The smallest and largest cell values, nil when there are none.
    public var range: ClosedRange<Double>? {
        let values = cells.joined().compactMap(\.value)
        guard let lo = values.min(), let hi = values.max() else { return nil }
        return lo...hi
    }

    /// "rms_angle_ratio of fc1.scale": what the figure shows.
    public var title: String { family.map { "\(quantity) of \($0)" } ?? quantity }
}

extension ResultsDatabase {
    /// The diagram of `quantity` over `x` (and `y`): keys as in the sweep file (`weight-decay`)
    /// or as columns (`weight_decay`), any configuration key, or `time`. A per-family quantity
    /// takes the first family that has it unless `family` names one.
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
            var chosen: String?
            if quantity.perFamily {
                let families = try String.fetchAll(db, sql: """
                    SELECT f.family FROM families f JOIN runs r ON r.id = f.run_id
                    WHERE \(quantity.sql) IS NOT NULL GROUP BY f.family ORDER BY f.family
                    """)
                if let family {
                    guard families.contains(family) else {
                        throw OutputError(path: path, message: "no family '\(family)' with \(name); families with it: \(families.joined(separator: ", "))")
                    }
                    chosen = family
                } else {
                    guard let first = families.first else {
                        throw OutputError(path: path, message: "no run has \(name)")
                    }
                    chosen = first
                }
            }
            let join = quantity.perFamily ? "LEFT JOIN families f ON f.run_id = r.id AND f.family = ?" : ""
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(xSQL) AS x, \(ySQL ?? "NULL") AS y, \(quantity.sql) AS v, r.status AS status FROM runs r \(join)
                """, arguments: StatementArguments(quantity.perFamily ? [chosen] : []))
            return Self.diagram(rows, quantity: name, family: chosen, x: x, y: y)
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
        let points = rows.map { (x: value($0["x"]), y: value($0["y"]), v: $0["v"] as Double?, diverged: ($0["status"] as String?) != RunResult.finished) }
        let xs = ordered(points.map(\.x)), ys = ordered(points.map(\.y))
        var sums = Array(repeating: Array(repeating: (sum: 0.0, count: 0, runs: 0, diverged: 0), count: xs.count), count: ys.count)
        for p in points {
            let i = xs.firstIndex(of: p.x)!, j = ys.firstIndex(of: p.y)!
            sums[j][i].runs += 1
            if p.diverged { sums[j][i].diverged += 1 }
            if let v = p.v, v.isFinite {
                sums[j][i].sum += v
                sums[j][i].count += 1
            }
        }
        let cells = sums.map { row in
            row.map { PhaseDiagram.Cell(value: $0.count > 0 ? $0.sum / Double($0.count) : nil, runs: $0.runs, diverged: $0.diverged) }
        }
        return PhaseDiagram(quantity: quantity, family: family, x: x, y: y, xValues: xs, yValues: ys, cells: cells)
    }
}
