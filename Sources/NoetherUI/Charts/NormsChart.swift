/// Squared Frobenius norm of each layer's weight matrix.
struct NormsChart: ChartView {
    let id = "norms"
    let summary = "squared weight norm ‖W‖² of each layer"
    func hasContent(_ s: Snapshot) -> Bool { !s.layerNames.isEmpty }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        let series = c.snapshot.layerNames.enumerated().map { i, name in
            ChartSeries(name, Color.series[i % Color.series.count], Mark.cycle[i % Mark.cycle.count], c.points(.weightNorm(layer: name))).withValue()
        }
        c.lineChart(id, title: "weight norms ‖W‖²", series)
            .render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }
}
