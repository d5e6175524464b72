import NoetherCore

/// The sharpness λ₁ (THEORY.md §16) against the stability lines of the step size: 2/η, and with
/// momentum 2(1+β)/η (heavy ball) and 2(1−β)/η (a model for small-batch momentum). The lines are
/// drawn from each sample's own η and β, so they move when either changes.
struct SharpnessChart: ChartView {
    let id = "sharpness"
    let summary = "sharpness λ₁ (top Hessian eigenvalue) against 2/η and the momentum lines"
    func hasContent(_ s: Snapshot) -> Bool { s.config.sharpnessEvery > 0 }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        chart(c, r)?.render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }

    func chart(_ c: ChartContext, _ r: Rect) -> Chart? {
        var series = [c.series("λ₁", .blue, .line, .sharpness).withValue()]
        series.append(c.series("2/η", .vermillion, .dashes, .stabilityLine(.plain)).withValue().theory())
        // The momentum lines once any sample had β > 0 (where they differ from 2/η).
        if c.points(.stabilityLine(.heavyBall)).map(\.y) != c.points(.stabilityLine(.plain)).map(\.y) {
            series.append(c.series("2(1+β)/η", .green, .dashDot, .stabilityLine(.heavyBall)).withValue().theory())
            series.append(
                c.series("2(1−β)/η model", .gray, .dots, .stabilityLine(.smallBatchModel)).withValue().theory())
        }
        var chart = c.lineChart(id, title: "sharpness λ₁ vs stability lines", series)
        chart.shortTitle = "sharpness λ₁"
        chart.figure = ("sharpness λ₁ against its stability lines", Vocabulary.label("sharpness"))
        return chart
    }

    /// The first sample where λ₁ reaches the optimizer's own line (2(1+β)/η with momentum,
    /// else 2/η), for the loss chart's marker.
    static func firstCrossing(_ c: ChartContext) -> Double? {
        let key: SeriesKey = c.snapshot.live.momentum > 0 ? .stabilityLine(.heavyBall) : .stabilityLine(.plain)
        let lines = Dictionary(c.points(key).map { ($0.x, $0.y) }, uniquingKeysWith: { a, _ in a })
        return c.points(.sharpness).first { p in lines[p.x].map { p.y >= $0 } ?? false }?.x
    }
}
