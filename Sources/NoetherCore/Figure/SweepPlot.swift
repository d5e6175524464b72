import Foundation

/// Which figure `sweep show` draws: a line per value of the second key over one numeric key,
/// a heatmap over two numeric keys, or every run as a point.
public enum PlotKind: String, CaseIterable, Sendable {
    case line, heatmap, scatter
}

/// A sweep's diagram as a line plot: x the swept key, one line per value of the second key
/// (`--by`), each point the mean over the runs there (repeats over seed) with its error bar, and
/// the theory dashed beside it wherever it predicts the quantity.
extension PhaseDiagram {
    /// Values from a log range (evenly spaced in log10, or spanning two decades or more) are
    /// shown on a log axis.
    public static func isLogRange(_ values: [Double]) -> Bool {
        let v = values.sorted()
        guard v.count >= 2, let lo = v.first, let hi = v.last, lo > 0 else { return false }
        if hi / lo >= 100 { return true }
        guard v.count >= 3, hi / lo >= 4 else { return false }
        let ratios = zip(v.dropFirst(), v).map { $0 / $1 }
        let linear = zip(v.dropFirst(), v).map { $0 - $1 }
        let geometric = ratios.max()! / ratios.min()! < 1.02
        let even = linear.max()! / linear.min()! < 1.02
        return geometric && !even
    }

    /// The measured values as a positive range worth a log axis (10× or more from lowest to highest).
    static func isLogSpread(_ values: [Double]) -> Bool {
        guard let lo = values.min(), let hi = values.max(), lo > 0 else { return false }
        return hi / lo >= 10
    }

    var xNumbers: [Double] { xValues.compactMap(\.number) }

    /// "η = 0.05": an axis value with its symbol.
    static func assignment(_ key: String, _ v: AxisValue) -> String { "\(Vocabulary.label(key)) = \(label(v))" }

    /// "n = 3 runs per point" or "n = 2–3 runs per point".
    var countCaption: String {
        let counts = cells.joined().map(\.values.count).filter { $0 > 0 }
        guard let lo = counts.min(), let hi = counts.max() else { return "no runs have a value" }
        let diverged = cells.joined().map(\.diverged).reduce(0, +)
        let runs =
            hi == 1
            ? "one run per point, no repeats to average" : "n = \(lo == hi ? "\(lo)" : "\(lo)–\(hi)") runs per point"
        return runs
            + (diverged > 0 ? "; \(diverged) diverged \(diverged == 1 ? "run is" : "runs are") left out" : "")
    }

    /// The title of every figure of this diagram: the quantity, the family and the axis.
    public func figureTitle(against: String? = nil) -> String {
        var t = Vocabulary.label(quantity)
        if let family { t += " of \(family)" }
        return t + " against \(Vocabulary.label(against ?? x))"
    }

    /// What the reader did not choose: the family picked for them.
    public var choiceNote: String? {
        guard let family, let familyChoice else { return nil }
        return "family \(family): \(familyChoice)"
    }

    public func linePlot(
        error: ErrorKind, scatter: Bool = false, logX: Bool? = nil, logY: Bool? = nil,
        expression: (TheoryExpression, text: String)? = nil
    ) -> Plot {
        let perLine = y == nil ? "" : "; one line per \(Vocabulary.label(y!))"
        var plot = Plot(
            title: figureTitle(), subtitle: choiceNote,
            caption: scatter
                ? "Each marker is one run (\(countCaption.replacingOccurrences(of: "per point", with: "at each value")))\(perLine); "
                    + "the runs at one \(Vocabulary.label(x)) are spread evenly over ±\(Int(Plot.scatterSpread)) px along x, line by line "
                    + "(no randomness) and drawn half-transparent, so equal values stay visible."
                : (cells.joined().map(\.values.count).max() ?? 0) > 1
                    ? "Markers: mean over seeds, bars \(error.caption); \(countCaption)\(perLine)."
                    : "Markers: the runs; \(countCaption)\(perLine).",
            xLabel: Vocabulary.label(x), yLabel: Vocabulary.label(quantity))
        plot.logX = logX ?? Self.isLogRange(xNumbers)
        plot.logY = logY ?? Self.isLogSpread(cells.joined().flatMap(\.values))
        if plot.logX, xNumbers.count <= 8 { plot.xTicks = xNumbers }
        for (j, yv) in yValues.enumerated() {
            let label = y.map { Self.assignment($0, yv) } ?? (scatter ? "runs" : "measured")
            var points: [Plot.Point] = []
            for (i, xv) in xValues.enumerated() {
                guard let px = xv.number, let spread = cells[j][i].spread else { continue }
                let place = Self.assignment(x, xv) + (y.map { ", " + Self.assignment($0, yv) } ?? "")
                if scatter {
                    points += cells[j][i].values.map {
                        Plot.Point(x: px, y: $0, n: 1, note: "\(place): \(Spread.significant($0, 4))")
                    }
                } else {
                    let e = spread.error(error)
                    points.append(
                        Plot.Point(
                            x: px, y: spread.mean, low: e.map { spread.mean - $0 }, high: e.map { spread.mean + $0 },
                            n: spread.n, note: "\(place): \(spread.formatted(error)) (n = \(spread.n))"))
                }
            }
            plot.lines.append(Plot.Line(label: label, style: scatter ? .scatter : .measured, points: points, colour: j))
        }
        plot.lines += theoryLines(plot: plot, expression: expression)
        return plot
    }

    /// The theory's lines: one per measured line (same colour), or one across the plot for a
    /// constant.
    func theoryLines(plot: Plot, expression: (TheoryExpression, text: String)?) -> [Plot.Line] {
        var out: [Plot.Line] = []
        let xs = xNumbers
        guard let lo = xs.min(), let hi = xs.max() else { return [] }
        let several = yValues.count > 1
        switch theory {
        case .constant(let c, let label):
            out.append(
                Plot.Line(
                    label: "theory: " + label, style: .theory,
                    points: [Plot.Point(x: lo, y: c), Plot.Point(x: hi, y: c)], colour: 6))
        case .column(_, let label):
            for j in yValues.indices {
                let points = xValues.indices.compactMap { i -> Plot.Point? in
                    guard let x = xValues[i].number, let t = cells[j][i].theory else { return nil }
                    return Plot.Point(x: x, y: t)
                }
                guard !points.isEmpty else { continue }
                out.append(
                    Plot.Line(
                        label: "theory: " + label + (several ? ", " + Self.assignment(y!, yValues[j]) : ""),
                        style: .theory, points: points, colour: several ? j : 6))
            }
        case .flatInLearningRate(let label):
            guard ResultsDatabase.column(of: x) == "lr" else { break }
            for j in yValues.indices {
                let means = xValues.indices.compactMap { i in
                    xValues[i].number.flatMap { x in cells[j][i].value.map { (x, $0) } }
                }
                guard let level = Self.intercept(means) else { continue }
                let at =
                    several
                    ? ", each at the η → 0 limit of a fit a + bη to its line"
                    : " at \(Spread.significant(level, 3)), the η → 0 limit of a fit a + bη"
                out.append(
                    Plot.Line(
                        label: "theory: " + label + at + (several ? ", " + Self.assignment(y!, yValues[j]) : ""),
                        style: .theory, points: [Plot.Point(x: lo, y: level), Plot.Point(x: hi, y: level)],
                        colour: several ? j : 6))
            }
        case nil: break
        }
        // Several lines: the theory's colour follows its line, and the legend names it once, in black.
        if several {
            var once: [Plot.Line] = []
            for k in out.indices {
                let label = out[k].label.components(separatedBy: ", " + Vocabulary.label(y!) + " = ")[0]
                if out[k].colour != 6 {
                    out[k].inLegend = false
                    if !once.contains(where: { $0.label == label }) {
                        once.append(Plot.Line(label: label, style: .theory, points: [], colour: 6))
                    }
                }
            }
            out += once
        }
        if let (e, text) = expression {
            let dense = (0...60).map { k -> Double in
                let f = Double(k) / 60
                return plot.logX ? pow(10, log10(lo) + f * (log10(hi) - log10(lo))) : lo + f * (hi - lo)
            }
            for j in yValues.indices {
                var values: [String: Double] = [:]
                if let y, let v = yValues[j].number { values[ResultsDatabase.column(of: y)] = v }
                let points = dense.compactMap { x -> Plot.Point? in
                    values[ResultsDatabase.column(of: self.x)] = x
                    return e.evaluate(values).flatMap { $0.isFinite ? Plot.Point(x: x, y: $0) : nil }
                }
                out.append(
                    Plot.Line(
                        label: "theory: \(text)" + (several ? ", " + Self.assignment(y!, yValues[j]) : ""),
                        style: .theory, points: points, colour: several ? j : 6))
            }
        }
        return out
    }

    /// The intercept a of the least-squares line a + bx through `points` (one point: its value).
    static func intercept(_ points: [(Double, Double)]) -> Double? {
        guard !points.isEmpty else { return nil }
        guard points.count > 1 else { return points[0].1 }
        let n = Double(points.count)
        let mx = points.map(\.0).reduce(0, +) / n, my = points.map(\.1).reduce(0, +) / n
        let sxx = points.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        guard sxx > 0 else { return my }
        let b = points.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx
        return my - b * mx
    }
}
