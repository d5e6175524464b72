import NoetherCore

/// Per-step forcing rates of one family on a log axis: kinetic F/Q (the gradient's push) against
/// the potential 2ηλ (weight decay's pull; ηλ for translation). In equilibrium their time
/// averages meet (THEORY.md §7).
struct RatesChart: ChartView {
    let id = "rates"
    let summary = "per-step rates of a family: kinetic F/Q against potential 2ηλ (log)"
    func hasContent(_ s: Snapshot) -> Bool { !s.families.isEmpty && s.live.weightDecay > 0 }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        guard let f = c.family else { return }
        let k = f.family
        let series = [
            ChartSeries("kinetic F/Q", .blue, .line, c.points(.family(k, .kineticRate))),
            ChartSeries(f.symmetry == .translation ? "potential ηλ" : "potential 2ηλ", .orange, .dashes,
                        c.points(.family(k, .potentialRate))),
        ]
        var chart = c.lineChart(id, title: "rates per step: \(k)", series)
        chart.logY = !c.state.logY.contains(id)  // log by default: the rates span decades
        chart.render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }
}
