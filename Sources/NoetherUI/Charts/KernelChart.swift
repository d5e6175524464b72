import NoetherCore

/// The single neuron's kernel distance S(t) = 1 − ⟨K₀,K_t⟩/(|K₀||K_t|) (THEORY.md §14.2), measured
/// (line) and in closed form (dots), on its own axis: S of a lazy run stays near 0 while a rich
/// run's grows to tenths, a difference the neuron panel's axis (a and |w| near 1–3) would flatten.
/// Each ghost's S is drawn faint beside it, so forks at different R compare on one scale.
struct KernelChart: ChartView {
    let id = "kernel"
    let summary = "one neuron: kernel distance S(t), measured and in closed form, for every run (§14.2)"
    func hasContent(_ s: Snapshot) -> Bool { s.history[.neuron(.kernelDistance, closedForm: false)] != nil }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        chart(c, r)?.render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
    }

    func chart(_ c: ChartContext, _ r: Rect) -> Chart? {
        var closed = c.series("closed form", .vermillion, .dots, .neuron(.kernelDistance, closedForm: true))
        closed.label = ""
        closed.showsValue = false
        closed.isTheory = true
        let series = [
            c.series("S(t)", .vermillion, .line, .neuron(.kernelDistance, closedForm: false)).withValue(), closed,
        ]
        var chart = c.lineChart(id, title: "kernel distance S(t)", series)
        chart.figure = ("kernel distance S(t) of the single neuron, measured and in closed form", "S(t)")
        return chart
    }
}
