import NoetherCore

/// Per-step forcing rates of one family on a log axis: kinetic F/Q (the gradient's push) against
/// the potential 2μ (weight decay's pull, μ from the optimizer's recursion: ηλ under plain SGD,
/// (1 − τ)ηλ with dampening). In equilibrium their time
/// averages meet (THEORY.md §7).
struct RatesChart: ChartView {
    let id = "rates"
    let summary = "per-step rates of a family: kinetic F/Q against potential 2ηλ (log)"
    func hasContent(_ s: Snapshot) -> Bool { s.families.contains { Self.forced($0) && $0.potentialRate > 0 } }

    /// Translation charges feel no kinetic force under SGD (F = 0 has no place on a log axis), so
    /// this panel shows the chosen family when it has one, else the first family that does.
    static func forced(_ f: FamilySummary) -> Bool { f.symmetry.isForced }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        chart(c, r)?.render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }

    func chart(_ c: ChartContext, _ r: Rect) -> Chart? {
        guard let f = ChartContext.family(c.snapshot, c.state, where: Self.forced) else { return nil }
        let k = f.family
        let series = [
            c.series("kinetic F/Q", .blue, .line, .family(k, .kineticRate)),
            ChartSeries(
                "potential 2ηλ", .orange, .dashes,
                c.points(.family(k, .potentialRate))),
        ]
        var chart = c.lineChart(id, title: "rates per step: \(k)", series)
        chart.logY = !c.state.logY.contains(id)  // log by default: the rates span decades
        chart.figure = ("rates per step of \(k): kinetic F/Q and potential 2ηλ", "rate per step")
        return chart
    }
}
