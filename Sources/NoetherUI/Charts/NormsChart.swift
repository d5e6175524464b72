/// Squared Frobenius norm of each layer's weight matrix.
struct NormsChart: ChartView {
    let id = "norms"
    let summary = "squared weight norm ‖W‖² of each layer"
    func hasContent(_ s: Snapshot) -> Bool { !s.layerNames.isEmpty }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        chart(c, r)?.render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }

    func chart(_ c: ChartContext, _ r: Rect) -> Chart? {
        // One mark per layer: a deeper net shows its first layers and says so.
        let layers = c.snapshot.layerNames
        let series = layers.prefix(Mark.cycle.count).enumerated().map { i, name in
            c.series(name, Color.series[i % Color.series.count], Mark.cycle[i], .weightNorm(layer: name)).withValue()
        }
        let title =
            "weight norms ‖W‖²" + (series.count < layers.count ? " (\(series.count) of \(layers.count) layers)" : "")
        var chart = c.lineChart(id, title: title, series)
        chart.figure = ("squared weight norm ‖W‖² of each layer", "‖W‖²")
        return chart
    }
}
