import NoetherCore

/// The data panel for image data: a few input samples, one per class, and the first conv layer's
/// filters, drawn as shaded cells (two pixel rows a cell, so shapes keep their proportions).
struct ImagePanel {
    let gallery: ImageGallery

    /// Light to dark by value; a filter's negative weights take the second ramp, so the sign reads
    /// without colour.
    static func ramp(_ unicode: Bool) -> [Character] {
        unicode ? [" ", "░", "▒", "▓", "█"] : [" ", ".", ":", "+", "#"]
    }
    static func negativeRamp(_ unicode: Bool) -> [Character] {
        unicode ? [" ", "·", "-", "=", "≡"] : [" ", ",", "-", "=", "~"]
    }

    static func level(_ v: Double, _ scale: Double) -> Int {
        guard scale > 0, v.isFinite else { return 0 }
        return min(4, max(0, Int((v / scale * 4).rounded())))
    }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        let g = gallery, unicode = c.glyphs.unicode
        let title =
            "data: \(c.snapshot.config.data.name) · samples"
            + (g.layer.map { " · \($0) filters (step \(g.step))" } ?? "")
        r.frame(&b, titles: [title, "data: samples and filters", "data"], focused: c.focused, glyphs: c.glyphs)
        let inner = r.inner
        guard inner.width > 10, inner.height > 3 else { return }
        let ramp = Self.ramp(unicode), negative = Self.negativeRamp(unicode)
        var y = inner.y
        // Samples side by side, each scaled to its own range (contrast as a data loader would show it).
        let rows = (g.height + 1) / 2
        var x = inner.x
        for s in g.samples where x + g.width <= inner.x + inner.width && y + rows + 1 <= inner.y + inner.height {
            let lo = s.pixels.min() ?? 0, hi = s.pixels.max() ?? 1
            for row in 0..<rows {
                for col in 0..<g.width {
                    let top = s.pixels[2 * row * g.width + col]
                    let below = 2 * row + 1 < g.height ? s.pixels[(2 * row + 1) * g.width + col] : top
                    let k = Self.level((top + below) / 2 - lo, hi - lo)
                    b[x + col, y + row] = Cell(char: ramp[k], style: .plain)
                }
            }
            b.putClipped("class \(s.label)", x: x, y: y + rows, .plain, width: g.width + 1, glyphs: c.glyphs)
            x += g.width + 2
        }
        y += g.samples.isEmpty ? 0 : rows + 2
        guard let layer = g.layer, !g.filters.isEmpty, y < inner.y + inner.height else { return }
        let legend = "\(layer) filters on channel 0: \(ramp[4]) positive  \(negative[4]) negative"
        b.putClipped(legend, x: inner.x, y: y, .plain, width: inner.width, glyphs: c.glyphs)
        y += 1
        // Each weight two cells wide, all filters on one shared scale so their sizes compare.
        let scale = g.filters.joined().map(abs).max() ?? 0
        x = inner.x
        for f in g.filters where x + 2 * g.kernel <= inner.x + inner.width && y + g.kernel <= inner.y + inner.height {
            for row in 0..<g.kernel {
                for col in 0..<g.kernel {
                    let w = f[row * g.kernel + col], k = Self.level(abs(w), scale)
                    let char = w >= 0 ? ramp[k] : negative[k]
                    let style = Style(w >= 0 ? .sky : .orange)
                    b[x + 2 * col, y + row] = Cell(char: char, style: style)
                    b[x + 2 * col + 1, y + row] = Cell(char: char, style: style)
                }
            }
            x += 2 * g.kernel + 1
        }
    }
}
