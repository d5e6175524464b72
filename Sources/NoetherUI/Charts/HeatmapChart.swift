import Foundation
import NoetherCore

/// Every neuron of one family over time: rows are neurons, columns are steps, shade is the
/// charge (log scale) or the gap ratio Γ/Q₀; dead or collapsed neurons are marked ×.
struct HeatmapChart: ChartView {
    let id = "heatmap"
    let summary = "per-neuron heatmap of a family: charge or Γ/Q₀ (h), dead marked ×"
    func hasContent(_ s: Snapshot) -> Bool { s.families.contains { $0.count > 1 } }

    static let decades = 6.0

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        guard let f = ChartContext.family(c.snapshot, c.state, where: { $0.count > 1 }) else { return }
        let gap = c.state.heatmapGap
        let what = gap ? "Γ/Q₀" : "|Q| (log)"
        let dead = ChartContext.deadLabel(f).map { " · " + $0 } ?? ""
        // Shorter forms for a narrow border, rather than a cut title: the h hint goes first.
        let titles = [
            "neurons of \(f.family): \(what)\(dead)" + (gap ? " [h: |Q|]" : " [h: Γ/Q₀]"),
            "neurons of \(f.family): \(what)\(dead)", "\(f.family): \(what)\(dead)", "\(f.family)\(dead)",
        ]
        r.frame(&b, titles: titles, focused: c.focused, glyphs: c.glyphs)
        let inner = r.inner
        guard inner.width > 12, inner.height > 3, let h = c.snapshot.history.neurons[f.family], !h.columns.isEmpty
        else { return }
        // Lightest to darkest; a blank cell is a step without data (before the history or yet to come).
        let shades: [Character] = c.glyphs.unicode ? ["░", "▒", "▓", "█"] : [".", ":", "*", "#"]
        let lostMark: Character = c.glyphs.unicode ? "×" : "x"
        let labelWidth = 4
        let grid = Rect(
            x: inner.x + labelWidth, y: inner.y + 1, width: inner.width - labelWidth, height: inner.height - 2)
        let neurons = h.start.count
        // Every row a neuron, or, when they do not all fit, the last row says how many more there are.
        let rows = neurons > grid.height ? grid.height - 1 : neurons
        let last = h.columns.last!
        // Shade range: the live values' own range (at most `decades` for the log scale of charges).
        let values = h.columns.flatMap { $0.map { gap ? abs($0.gapRatio) : abs(NumberFormat.clean($0.charge)) } }
            .filter { $0.isFinite && $0 > 0 }
        let scale = values.max() ?? 1
        let floor = max(values.min() ?? scale, scale * pow(10, -Self.decades))
        let decades = max(log10(scale / floor), 1e-9)
        // Shade i holds the values up to bounds[i]: a quarter of the range each (of its decades for
        // |Q|), the smallest values and exact zeros in the lightest.
        let bounds = (1...shades.count).map { i in
            let fraction = Double(i) / Double(shades.count)
            return gap ? scale * fraction : floor * pow(10, decades * fraction)
        }
        legend(&b, inner, shades: shades, bounds: bounds, gap: gap, lostMark: lostMark, glyphs: c.glyphs)
        let xMax = Double(max(c.snapshot.targetSteps, c.snapshot.step, 1))
        for col in 0..<grid.width {
            let step = Int((xMax * Double(col) / Double(max(grid.width - 1, 1))).rounded())
            guard step >= h.steps[0], step <= c.snapshot.step else { continue }
            let j = h.steps.lastIndex { $0 <= step } ?? 0
            for row in 0..<rows {
                let v = h.columns[j][row]
                var cell: Cell
                if v.dead {
                    cell = Cell(char: lostMark, style: Style(.vermillion))
                } else {
                    let level: Double
                    if gap {
                        level = scale > 0 ? abs(v.gapRatio) / scale : 0
                    } else {
                        let q = abs(NumberFormat.clean(v.charge))
                        level = q > 0 ? max(0, 1 + log10(q / scale) / decades) : 0
                    }
                    let i = min(shades.count - 1, max(0, Int((level * Double(shades.count)).rounded(.up)) - 1))
                    cell = Cell(char: shades[i], style: Style(gap && v.gapRatio < 0 ? .orange : .blue))
                }
                b[grid.x + col, grid.y + row] = cell
            }
        }
        for row in 0..<rows {
            b.put(
                String("\(row)".prefix(labelWidth - 1)).leftPad(labelWidth - 1), x: inner.x, y: grid.y + row,
                Style(last[row].dead ? .vermillion : .gray))
        }
        if neurons > rows {
            b.putClipped(
                "+\(neurons - rows) more (\(neurons) in all)", x: inner.x, y: grid.y + rows, Style(.gray),
                width: inner.width,
                glyphs: c.glyphs)
        }
        // Time axis: the same span and round ticks as the line charts.
        let axisRow = inner.y + inner.height - 1
        var free = grid.x
        for v in Ticks.within(0, xMax, count: max(1, grid.width / 10)) {
            let label = NumberFormat.tick(v)
            let col = grid.x + Int((v / xMax * Double(grid.width - 1)).rounded())
            let start = min(col == grid.x ? col : col - label.count / 2, grid.x + grid.width - label.count)
            guard start >= free else { continue }
            free = b.put(label, x: start, y: axisRow, Style(.gray)) + 1
        }
        for m in c.snapshot.markers where Double(m.step) <= xMax {
            b.put(
                c.glyphs.unicode ? "▲" : "^",
                x: grid.x + Int((Double(m.step) / xMax * Double(grid.width - 1)).rounded()), y: axisRow,
                Style(.orange, bold: true))
        }
    }

    /// The legend row: each shade with the largest value it stands for ("░≤0.01 ▒≤0.1 ▓≤1 █≤10 |Q|"),
    /// then the dead mark and what a blank cell means, as much as fits, most important first.
    private func legend(
        _ b: inout Buffer, _ inner: Rect, shades: [Character], bounds: [Double], gap: Bool, lostMark: Character,
        glyphs: Glyphs
    ) {
        let atMost = glyphs.unicode ? "≤" : "<="
        let key = zip(shades, bounds).map { "\($0)\(atMost)\(NumberFormat.compact($1))" }.joined(separator: " ")
        let name = gap ? "|Γ/Q₀|" : "|Q|", what = gap ? " (colour: sign)" : " (log)"
        let dead = "  \(lostMark) dead", blank = "  blank: no data"
        // The longest that fits: the quantity's name and the shade bounds stay, the rest goes first.
        let forms = [(what, dead, blank), (what, dead, ""), ("", dead, ""), (what, "", ""), ("", "", "")]
        let (w, d, e) = forms.first { (key + " " + name + $0 + $1 + $2).count <= inner.width } ?? ("", "", "")
        var x = b.putClipped(key + " " + name + w, x: inner.x, y: inner.y, .plain, width: inner.width, glyphs: glyphs)
        x = b.put(d, x: x, y: inner.y, Style(.vermillion))
        b.put(e, x: x, y: inner.y, Style(.gray))
    }
}
