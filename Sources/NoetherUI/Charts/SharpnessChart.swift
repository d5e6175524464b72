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

    /// The loss chart's title with what its marker means, "loss, ▲ λ₁ reached 2/η at step 412"
    /// (the optimizer's own line; t = Ση on the time axis), shortened to fit `width` columns of
    /// border, so the ▲ is told from a change's; and the marker's place.
    static func lossTitle(_ base: String, _ c: ChartContext, width: Int) -> (title: String, crossing: Double?) {
        guard let x = firstCrossing(c) else { return (base, nil) }
        let line = c.snapshot.live.momentum > 0 ? "2(1+β)/η" : "2/η"
        let mark = c.glyphs.unicode ? "▲" : "^"
        let at = c.state.timeAxis ? "t=\(NumberFormat.compact(x))" : "\(Int(x.rounded()))"
        let step = c.state.timeAxis ? at : "step " + at
        let choices = [
            "\(base), \(mark) λ₁ reached \(line) at \(step)", "\(base), \(mark) λ₁ reached \(line): \(at)",
            "\(base) \(mark) λ₁=\(line) \(at)",
        ]
        return (choices.first { $0.count <= width - 6 } ?? choices[choices.count - 1], x)
    }

    /// The first sample where λ₁ reaches the optimizer's own line (2(1+β)/η with momentum,
    /// else 2/η), for the loss chart's marker.
    static func firstCrossing(_ c: ChartContext) -> Double? {
        let key: SeriesKey = c.snapshot.live.momentum > 0 ? .stabilityLine(.heavyBall) : .stabilityLine(.plain)
        let lines = Dictionary(c.points(key).map { ($0.x, $0.y) }, uniquingKeysWith: { a, _ in a })
        return c.points(.sharpness).first { p in lines[p.x].map { p.y >= $0 } ?? false }?.x
    }
}
