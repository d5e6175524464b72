import NoetherCore

/// The single neuron f = a·wᵀx against its closed form (THEORY.md §14.2): the readout a, the
/// input norm |w| and the teacher component ν = wᵀβ*/a, each measured (lines) with its closed
/// form at the same t (dots); the kernel distance S(t) has its own panel (KernelChart). After
/// forks the ghosts' curves are drawn faint beside them.
struct NeuronChart: ChartView {
    let id = "neuron"
    let summary = "one neuron: readout a, input norm |w| and teacher component ν, measured and in closed form (§14.2)"
    func hasContent(_ s: Snapshot) -> Bool { s.history[.neuron(.readout, closedForm: false)] != nil }

    static let quantities: [(NeuronQuantity, String, Color)] = [
        (.readout, "a", .blue), (.inputNorm, "|w|", .green), (.teacherComponent, "ν", .purple),
    ]

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        chart(c, r)?.render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }

    func chart(_ c: ChartContext, _ r: Rect) -> Chart? {
        var series: [ChartSeries] = []
        for (q, name, color) in Self.quantities {
            series.append(c.series(name, color, .line, .neuron(q, closedForm: false)).withValue())
        }
        // One legend entry for the three closed forms: each is drawn in its quantity's colour.
        for (i, (q, _, color)) in Self.quantities.enumerated() {
            var closed = c.series(i == 0 ? "closed form" : "", color, .dots, .neuron(q, closedForm: true))
            closed.label = ""
            closed.showsValue = false
            closed.isTheory = true
            series.append(closed)
        }
        var chart = c.lineChart(id, title: "neuron vs closed form", series)
        chart.figure = (
            "single neuron: readout a, input norm |w| and teacher component ν, measured and in closed form", "value"
        )
        return chart
    }
}
