import NoetherCore

/// The single neuron f = a·wᵀx against its closed form (THEORY.md §14.2): the readout a, the
/// input norm |w|, the teacher component ν = wᵀβ*/a and the kernel distance S(t), each measured
/// (lines) with its closed form at the same t (dots). Rich runs turn their kernel, S grows; lazy
/// runs keep S near 0. After a fork the ghost's curves are drawn faint beside them.
struct NeuronChart: ChartView {
    let id = "neuron"
    let summary = "one neuron: a, |w|, ν and kernel distance S(t), measured and in closed form (§14.2)"
    func hasContent(_ s: Snapshot) -> Bool { s.history[.neuron(.readout, closedForm: false)] != nil }

    static let quantities: [(NeuronQuantity, String, Color)] = [
        (.readout, "a", .blue), (.inputNorm, "|w|", .green), (.teacherComponent, "ν", .purple),
        (.kernelDistance, "S(t)", .vermillion),
    ]

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        var series: [ChartSeries] = []
        for (q, name, color) in Self.quantities {
            series.append(c.series(name, color, .line, .neuron(q, closedForm: false)).withValue())
        }
        // One legend entry for the four closed forms: each is drawn in its quantity's colour.
        for (i, (q, _, color)) in Self.quantities.enumerated() {
            var closed = c.series(i == 0 ? "closed form" : "", color, .dots, .neuron(q, closedForm: true))
            closed.label = ""
            closed.showsValue = false
            series.append(closed)
        }
        c.lineChart(id, title: "neuron vs closed form", series)
            .render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }
}
