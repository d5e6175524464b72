/// One chart of one headless run (`noether run … --svg FILE --plot charge --family F`), drawn by
/// the same Plot type as `sweep show`: a family's quantity against step k with the theory's
/// curves dashed beside it.
public struct RunPlot: Sendable {
    public enum Chart: String, CaseIterable, Sendable {
        /// Median charge with the 10–90 % band across the family's groups; exact (★), Q⁽⁰⁾, NM dashed.
        case charge
        /// Median Γ/Q₀.
        case gap
        /// RMS angle per update, with the equilibrium √(2ηλ/(1+β)) dashed.
        case angle
    }

    public var chart: Chart
    public var family: String?
    private var steps: [Int] = []
    private var rows: [FamilySummary] = []
    private var equilibrium: [Double?] = []
    private var chosen: String?
    private var familyNames: [String] = []

    public init(chart: Chart, family: String?) {
        self.chart = chart
        self.family = family
    }

    /// Adds one observation (a written row of the run).
    public mutating func add(_ o: Observation) {
        if familyNames.isEmpty { familyNames = o.families.map(\.family) }
        let name = family ?? chosen ?? (o.families.first { $0.symmetry.hasAngularStep } ?? o.families.first)?.family
        chosen = name
        guard let f = o.families.first(where: { $0.family == name }) else { return }
        steps.append(o.step)
        rows.append(f)
        equilibrium.append(o.equilibriumAngle)
    }

    /// Nil (with the reason) when the family never appeared.
    public func plot() -> Result<Plot, PlotError> {
        guard let name = chosen, !rows.isEmpty else {
            return .failure(
                PlotError(
                    message:
                        "no family '\(family ?? "-")' in this run; its families: \(familyNames.joined(separator: ", "))"
                ))
        }
        let quantity =
            switch chart {
            case .charge: "median_charge"
            case .gap: "gap_ratio"
            case .angle: "rms_angle"
            }
        var plot = Plot(
            title: "\(Vocabulary.label(quantity)) of \(name) against \(Vocabulary.label("step"))",
            subtitle: family == nil ? "family \(name): the first scale family" : nil,
            caption: "", xLabel: Vocabulary.label("step"), yLabel: Vocabulary.label(quantity))
        func line(_ label: String, _ style: Plot.Style, dash: Int = 0, _ value: (Int) -> (Double, Double?, Double?)?) {
            let points = rows.indices.compactMap { i -> Plot.Point? in
                guard let (y, lo, hi) = value(i), y.isFinite else { return nil }
                return Plot.Point(x: Double(steps[i]), y: y, low: lo, high: hi)
            }
            var l = Plot.Line(label: label, style: style, points: points, colour: style == .theory ? 6 : 0)
            l.dash = Plot.dashes[dash]
            if style == .theory { l.colour = [6, 1, 2][dash] }
            plot.lines.append(l)
        }
        switch chart {
        case .charge:
            plot.caption =
                "Solid: the median over the family's live groups, band from the 10 % to the 90 % quantile; "
                + "theory lines: the exact discrete prediction (★), which lies on the measurement, the symmetric reference Q⁽⁰⁾ "
                + "and the Neural Mechanics continuum (NM)."
            line("measured (10–90 % band)", .band) { (rows[$0].q50, rows[$0].q10, rows[$0].q90) }
            line(Vocabulary.label("predicted_median"), .theory, dash: 0) { (rows[$0].predictedMedian, nil, nil) }
            line(Vocabulary.label("reference_median"), .theory, dash: 1) { (rows[$0].referenceMedian, nil, nil) }
            line(Vocabulary.label("continuum_median"), .theory, dash: 2) { (rows[$0].continuumMedian, nil, nil) }
        case .gap:
            plot.caption = "The median KSB gap Γ/Q₀ over the family's live groups."
            line("measured", .band) { (rows[$0].gapRatioMedian, nil, nil) }
        case .angle:
            plot.caption =
                "The RMS angle per update over the family's live groups; dashed: the predicted equilibrium angle √(2ηλ/(1+β))."
            line("measured", .band) { i in rows[i].rmsAngularStep.map { ($0, nil, nil) } }
            line("theory: " + Vocabulary.label("rms_angle_predicted"), .theory) { i in
                equilibrium[i].map { ($0, nil, nil) }
            }
        }
        plot.lines.removeAll { $0.points.isEmpty }
        return .success(plot)
    }
}

public struct PlotError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}
