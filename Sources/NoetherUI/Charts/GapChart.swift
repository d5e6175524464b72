import NoetherCore

/// The kinetic-symmetry-breaking gap Γ over each family's starting magnitude, with the run's
/// health verdict on the border.
struct GapChart: ChartView {
    let id = "gap"
    let summary = "KSB gap Γ/Q₀ per family (cumulative), health verdict"
    func hasContent(_ s: Snapshot) -> Bool { !families(s).isEmpty }

    /// Translation charges have no kinetic breaking under an optimizer that keeps them exact: their
    /// gap is identically 0, so they are left out, unless the translation family is the one chosen
    /// (then its flat zero is the point).
    func families(_ s: Snapshot, chosen: String? = nil) -> [FamilySummary] {
        s.families.filter {
            $0.symmetry.isForced || !s.config.optimizer.keepsExact($0.symmetry, s.config.optimizerSettings)
                || $0.family == chosen
        }
    }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        chart(c, r)?.render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }

    func chart(_ c: ChartContext, _ r: Rect) -> Chart? {
        // The chosen family (c) and the ones after it, at most one per mark, so no two curves look alike.
        let all = families(c.snapshot, chosen: c.family?.family)
        let start = c.family.flatMap { chosen in all.firstIndex { $0.family == chosen.family } } ?? 0
        // As many families as the legend holds whole, one a row in the worst case, beside each
        // ghost's entry: further families wait for `c` (the title says how many of all are drawn).
        let rows = Chart.legendRows(innerHeight: r.height - 2) - c.snapshot.ghosts.count
        let room = min(Mark.cycle.count, max(1, rows))
        let shown = (0..<min(all.count, room)).map { all[(start + $0) % all.count] }
        let series = shown.enumerated().map { i, f in
            c.series(f.family, Color.series[i % Color.series.count], Mark.cycle[i], .family(f.family, .gapRatio))
                .withValue()
        }
        let title = "KSB gap Γ/Q₀" + (shown.count < all.count ? " (\(shown.count) of \(all.count), c)" : "")
        var chart = c.lineChart(id, title: title, series, status: HealthVerdict.of(c.snapshot).mark(c.glyphs))
        chart.shortTitle = "Γ/Q₀" + (shown.count < all.count ? " (\(shown.count)/\(all.count))" : "")
        chart.figure = ("KSB gap Γ/Q₀ of " + shown.map(\.family).joined(separator: ", "), "Γ/Q₀")
        return chart
    }
}
