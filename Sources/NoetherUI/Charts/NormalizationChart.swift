import NoetherCore

/// Scale-invariant weights under normalization: effective learning rate, RMS angular step and
/// the optimizer's own equilibrium angle (THEORY.md §5.3, §13), and the RMSProp analogy.
struct NormalizationChart: ChartView {
    let id = "normalization"
    let summary = "scale family: η_eff, RMS angle and its equilibrium, RMSProp analogy"
    func hasContent(_ s: Snapshot) -> Bool { ChartContext.hasScaleCharges(s) }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        chart(c, r)?.render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }

    func chart(_ c: ChartContext, _ r: Rect) -> Chart? {
        guard let f = c.scaleFamily else { return nil }
        let k = f.family
        let live = c.snapshot.live
        let equilibrium = c.snapshot.config.equilibrium(live)
        let angle = c.points(.family(k, .angle))
        let series = [
            c.series("η_eff", .blue, .line, .family(k, .effectiveLearningRate)).withValue(),
            // The per-step angle scatters with the minibatch: the legend gives its RMS over the last
            // 50 samples, the average the equilibrium law is about (THEORY.md §5.3).
            ChartSeries("RMS angle", .orange, .dashes, angle).withValue(Self.recentRMS(angle.suffix(50).map(\.y))),
            ChartSeries(
                (equilibrium?.label ?? "") + " =", .gray, .dots,
                equilibrium.map { e in e.angle > 0 ? angle.map { ($0.x, e.angle) } : [] } ?? []
            ).withValue().theory(),
            ChartSeries("(2λ/η)S²", .purple, .dashDot, c.points(.family(k, .rmspropAccumulator))),
            ChartSeries("EMA|ĝ|²", .sky, .points, c.points(.family(k, .rmspropEMA))),
        ].filter { !$0.points.isEmpty }
        var chart = c.lineChart(id, title: "\(k): η_eff, angle (rad)", series)
        chart.figure = ("η_eff and RMS angle per update of \(k)", "η_eff, angle (rad)")
        return chart
    }

    static func recentRMS(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : (values.reduce(0) { $0 + $1 * $1 } / Double(values.count)).squareRoot()
    }
}
