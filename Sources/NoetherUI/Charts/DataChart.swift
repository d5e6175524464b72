import NoetherCore

/// The data and what the network does with it: a two-feature data set's points by class, over
/// the class the model predicts at each place (its decision regions), from the latest parameters.
struct DataChart: ChartView {
    let id = "data"
    let summary = "2-D data by class over the model's decision regions (updated twice a second)"
    func hasContent(_ s: Snapshot) -> Bool { s.decision != nil || s.gallery != nil }

    /// One mark per class, so classes stay apart without colour.
    static let marks: [Character] = ["o", "x", "+", "*", "#", "@", "%", "&"]
    /// Region shades by class (the same class as the marks above, lighter).
    static func shade(_ k: Int, unicode: Bool) -> Character {
        let shades: [Character] = unicode ? [" ", "░", "·", "▒", "˙", ":"] : [" ", ":", ".", "=", "'", ";"]
        return shades[k % shades.count]
    }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        if let g = c.snapshot.gallery { return ImagePanel(gallery: g).render(into: &b, r, c) }
        guard let d = c.snapshot.decision else { return }
        let title =
            "data: \(c.snapshot.config.data.name)" + (d.hasRegions ? " · decision regions (step \(d.step))" : "")
        let name = "data: \(c.snapshot.config.data.name)"
        r.frame(&b, titles: [title, name + " · regions", name], focused: c.focused, glyphs: c.glyphs)
        let inner = r.inner
        guard inner.width > 10, inner.height > 3 else { return }
        let legendRows = 1
        let plot = Rect(x: inner.x, y: inner.y + legendRows, width: inner.width, height: inner.height - legendRows)
        func color(_ k: Int) -> Color { Color.series[k % Color.series.count] }
        // Regions beneath: the predicted class at each cell's centre.
        if d.hasRegions {
            for row in 0..<plot.height {
                for col in 0..<plot.width {
                    let px =
                        d.x.lowerBound + (d.x.upperBound - d.x.lowerBound) * (Double(col) + 0.5) / Double(plot.width)
                    let py =
                        d.y.upperBound - (d.y.upperBound - d.y.lowerBound) * (Double(row) + 0.5) / Double(plot.height)
                    guard let k = d.prediction(atX: px, y: py) else { continue }
                    b[plot.x + col, plot.y + row] = Cell(
                        char: Self.shade(k, unicode: c.glyphs.unicode), style: Style(color(k), dim: true))
                }
            }
        }
        // Points over them, each by its class's mark.
        for p in d.points {
            let col = Int((p.x - d.x.lowerBound) / (d.x.upperBound - d.x.lowerBound) * Double(plot.width))
            let row = Int((d.y.upperBound - p.y) / (d.y.upperBound - d.y.lowerBound) * Double(plot.height))
            guard (0..<plot.width).contains(col), (0..<plot.height).contains(row) else { continue }
            b[plot.x + col, plot.y + row] = Cell(
                char: Self.marks[p.label % Self.marks.count], style: Style(color(p.label), bold: true))
        }
        let regions =
            d.hasRegions ? "shade: predicted class" : "no regions: batch norm predicts per batch, not per point"
        let long =
            (0..<d.classes).map { "\(Self.marks[$0 % Self.marks.count]) class \($0)" }.joined(separator: "  ") + "  "
            + regions
        let short =
            (0..<d.classes).map { "\(Self.marks[$0 % Self.marks.count]) \($0)" }.joined(separator: " ") + "  " + regions
        b.putClipped(
            long.count <= inner.width ? long : short, x: inner.x, y: inner.y, .plain, width: inner.width,
            glyphs: c.glyphs)
    }
}
