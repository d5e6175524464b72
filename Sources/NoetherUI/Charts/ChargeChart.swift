import NoetherCore

/// One family's Noether charge: measured median and 10–90 % band, the exact prediction, the
/// kinetically symmetric solution Q⁽⁰⁾ and the continuum (Neural Mechanics) prediction.
struct ChargeChart: ChartView {
    let id = "charge"
    let summary = "charge Q of one family (c cycles): measured, exact, Q⁽⁰⁾, NM"
    func hasContent(_ s: Snapshot) -> Bool { !s.families.isEmpty }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        chart(c, r)?.render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }

    func chart(_ c: ChartContext, _ r: Rect) -> Chart? {
        guard let f = c.family else { return nil }
        let k = f.family
        // The family name carries the symmetry (fc1.scale); the residual is exact's distance from measured.
        var title = "Q: \(k)"
        if let dead = ChartContext.deadLabel(f) { title += " · " + dead }
        let residual = NumberFormat.compact(f.residualMax)
        // The residual goes on the border only where the title stays whole beside it.
        let status = ["residual \(residual)", "res \(residual)"].first { r.width - 4 >= title.count + $0.count + 5 }
            .map { ($0, Color.gray) }
        var series = [
            c.series(f.count > 1 ? "median" : "measured", .blue, .line, .family(k, .median)).withValue(),
            // Sparse dots drawn over the measured line: both stay visible where they agree.
            ChartSeries("exact", .orange, .dots, c.points(.family(k, .predicted))).theory(),
            ChartSeries("Q⁽⁰⁾", .purple, .dashes, c.points(.family(k, .reference))).withValue().theory(),
            // The continuum's worst error over the family's live groups, as the table's NM err.
            ChartSeries(
                c.snapshot.charges.worstContinuumError(family: k).map { "NM (err \(NumberFormat.compact($0)))" }
                    ?? "NM", .sky, .dashDot,
                c.points(.family(k, .continuum))
            ).theory(),
        ]
        // The band needs room: in a small panel its grain would hide the median.
        if f.count > 1, r.height >= 16 {
            series.append(
                ChartSeries("10–90 %", .gray, .band, c.points(.family(k, .q10)), upper: c.points(.family(k, .q90))))
        }
        var chart = c.lineChart(id, title: title, series.filter { !$0.points.isEmpty }, status: status)
        chart.shortTitle = String(title.dropFirst(3))  // without "Q: ", keeping a dead count
        chart.statusOptional = true  // the table and the gap chart's verdict give the residual too
        chart.figure = ("charge Q of \(k)", "charge Q")
        return chart
    }
}
