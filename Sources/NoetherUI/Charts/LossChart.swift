/// Training loss, with the minibatch accuracy on the same axis when the task has classes.
struct LossChart: ChartView {
    let id = "loss"
    let summary = "minibatch loss (and accuracy) against steps"
    func hasContent(_ s: Snapshot) -> Bool { true }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        chart(c, r)?.render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }

    func chart(_ c: ChartContext, _ r: Rect) -> Chart? {
        var series = [c.series("loss", .blue, .line, .loss).withValue()]
        let accuracy = c.points(.accuracy)
        if !accuracy.isEmpty {
            var s = ChartSeries("batch accuracy", .orange, .dashes, accuracy)
            s.label = "accuracy"  // the legend says whose; the curve's end has little room
            series.append(s)
        }
        // Where the sharpness first reached its stability line (THEORY.md §16.3), named in the title.
        let (title, crossing) = SharpnessChart.lossTitle(
            accuracy.isEmpty ? "loss" : "loss, accuracy", c, width: r.width)
        var chart = c.lineChart(id, title: title, series)
        if let crossing { chart.markers.append((crossing, "λ₁ reaches line")) }
        chart.figure = (accuracy.isEmpty ? "minibatch loss" : "minibatch loss and accuracy", "loss")
        return chart
    }
}
