import NoetherCore

/// The kinetic-symmetry-breaking gap Γ over each family's starting magnitude, with the run's
/// health verdict on the border.
struct GapChart: ChartView {
    let id = "gap"
    let summary = "KSB gap Γ/Q₀ per family (cumulative), health verdict"
    func hasContent(_ s: Snapshot) -> Bool { !families(s).isEmpty }

    /// Translation charges have no kinetic breaking under SGD: their gap is identically 0.
    func families(_ s: Snapshot) -> [FamilySummary] {
        s.families.filter { $0.symmetry != .translation || s.config.optimizer == .adam }
    }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        // The chosen family (c) first, so it keeps its legend entry when the others run out of room.
        // Each family keeps its colour and mark (by its place in the model) whatever is chosen.
        var shown = Array(families(c.snapshot).enumerated())
        if let chosen = c.family, let i = shown.firstIndex(where: { $0.1.family == chosen.family }) { shown.insert(shown.remove(at: i), at: 0) }
        let series = shown.map { i, f in
            ChartSeries(f.family, Color.series[i % Color.series.count], Mark.cycle[i % Mark.cycle.count],
                        c.points(.family(f.family, .gapRatio))).withValue()
        }
        c.lineChart(id, title: "KSB gap Γ/Q₀", series, status: HealthVerdict.of(c.snapshot).mark(c.glyphs))
            .render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }
}
