import NoetherCore

/// Neural Mechanics' phase portrait of a scale family: each neuron's ‖θ‖² against its kinetic
/// push η‖g‖² per step, with the equilibrium line η‖g‖² = (2λ + ηλ²)‖θ‖² (THEORY.md §4.2), λ the
/// optimizer's decay per unit time μ/η.
/// Above the line a neuron's norm grows, below it shrinks. The points scatter with the minibatch;
/// under SGD (β = 0) their time average settles on the line, and momentum moves it below.
struct PhaseChart: ChartView {
    let id = "phase"
    let summary = "phase portrait: η‖g‖² against ‖θ‖² per neuron, equilibrium line"
    func hasContent(_ s: Snapshot) -> Bool { ChartContext.hasScaleCharges(s) }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        if let chart = chart(c, r) {
            return chart.render(into: &b, r, focused: c.focused, expanded: c.expanded, glyphs: c.glyphs)
        }
        guard let f = c.scaleFamily else { return }
        // One group is one point: a portrait needs a family of many neurons to scatter.
        r.frame(&b, title: "phase \(f.family)", focused: c.focused, glyphs: c.glyphs)
        let text =
            "\(f.family) is one group: a phase portrait needs a family of many neurons (a hidden layer's "
            + "scale family); c picks another family."
        for (i, line) in Screen.wrap(text, r.inner.width - 2).prefix(max(0, r.inner.height)).enumerated() {
            b.put(line, x: r.inner.x + 1, y: r.inner.y + i, Style(.gray))
        }
    }

    /// Nil for a family of one group, which has no portrait.
    func chart(_ c: ChartContext, _ r: Rect) -> Chart? {
        guard let f = c.scaleFamily else { return nil }
        // Weight decay as the optimizer's recursion has it: μ = ηλ under plain SGD (THEORY.md §13.7).
        let eta = c.snapshot.live.learningRate, lambda = f.potentialRate / (2 * eta)
        let groups = c.snapshot.charges.filter { $0.family == f.family }
        let shown = groups.filter {
            !$0.dead && !$0.collapsed && NumberFormat.clean($0.magnitude) > 0 && NumberFormat.clean($0.gradNorm2) > 0
        }
        guard groups.count >= 2 else { return nil }
        var title = "phase \(f.family) (log–log)"
        if shown.count < groups.count { title += " · \(groups.count - shown.count) not shown (dead)" }
        var neurons = ChartSeries("neurons", .blue, .points, shown.map { ($0.magnitude, eta * $0.gradNorm2) })
        neurons.showsValue = false  // a scatter has no latest value
        let line = ChartSeries(
            lambda > 0 ? "equilibrium (2λ+ηλ²)‖θ‖²" : "no equilibrium at λ = 0", .orange, .dashes, []
        ).theory()
        var chart = Chart(title: title, series: [neurons, line], xMax: 1, logY: true)
        chart.logX = true
        chart.xLabel = "‖θ‖²"
        chart.guides = [(2 * lambda + eta * lambda * lambda, line)]
        chart.figure = ("phase portrait of \(f.family) at step \(c.snapshot.step): each neuron", "η‖g‖² per step")
        return chart
    }
}
