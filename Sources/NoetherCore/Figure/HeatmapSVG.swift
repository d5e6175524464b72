import Foundation

/// The phase diagram as an SVG heatmap: the same cells and numbers as the terminal view, a
/// labelled colour bar with round ticks that never overlap, and each cell's spread over seeds as
/// hover text (`<title>`). Where the theory puts every cell at one value (1 for a ratio to its
/// prediction) the colours diverge from white at that value, blue below and red above, over a
/// range symmetric about it, so noise around the prediction reads as pale and a real departure
/// as colour; elsewhere viridis (readable in grey and by colour-blind readers).
extension PhaseDiagram {
    /// Viridis at eight even stops, as RGB.
    static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (70, 50, 126), (54, 92, 141), (39, 127, 142),
        (31, 161, 135), (74, 193, 109), (160, 218, 57), (253, 231, 37),
    ]
    /// Blue to white to red (ColorBrewer RdBu, reversed), as RGB.
    static let diverging: [(Double, Double, Double)] = [
        (33, 102, 172), (103, 169, 207), (209, 229, 240), (247, 247, 247), (253, 219, 199), (239, 138, 98), (178, 24, 43),
    ]

    /// The colour of fraction f ∈ [0, 1] of `stops`, interpolated.
    static func color(_ f: Double, _ stops: [(Double, Double, Double)] = viridis) -> (Double, Double, Double) {
        let t = min(1, max(0, f)) * Double(stops.count - 1)
        let i = min(Int(t), stops.count - 2), u = t - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        return (a.0 + u * (b.0 - a.0), a.1 + u * (b.1 - a.1), a.2 + u * (b.2 - a.2))
    }

    static func hex(_ c: (Double, Double, Double)) -> String {
        String(format: "#%02x%02x%02x", Int(c.0.rounded()), Int(c.1.rounded()), Int(c.2.rounded()))
    }

    /// The range the colours span: the data's, or symmetric about the theory's constant.
    var colourRange: ClosedRange<Double>? {
        guard let r = range else { return nil }
        guard let c = theoryCentre else { return r }
        let half = max(abs(r.lowerBound - c), abs(r.upperBound - c), abs(c) * 1e-3, 1e-12)
        return (c - half)...(c + half)
    }

    func fraction(_ v: Double) -> Double {
        guard let r = colourRange, r.upperBound > r.lowerBound else { return 0.5 }
        return (v - r.lowerBound) / (r.upperBound - r.lowerBound)
    }

    public func svg(error: ErrorKind = .sem) -> String {
        typealias W = SVGWriter
        let stops = theoryCentre == nil ? Self.viridis : Self.diverging
        let cw = 76.0, ch = 40.0, left = 118.0, barGap = 24.0, barWidth = 16.0
        let nx = Double(xValues.count), ny = Double(yValues.count)
        let width = max(left + nx * cw + barGap + barWidth + 150, 520)
        let titleLines = W.wrap(figureTitle() + (y.map { " and \(Vocabulary.label($0))" } ?? ""), width: width - 40, size: 15)
        let note = choiceNote
        let top = 20 + Double(titleLines.count) * 19 + (note == nil ? 0 : 16) + 16
        let centre = theoryCentre.map { "; colours diverge from white at the theory's \(Spread.significant($0, 3))" } ?? ""
        let repeated = (cells.joined().map(\.values.count).max() ?? 0) > 1
        let caption = repeated
            ? "Each cell: mean over seeds (\(countCaption.replacingOccurrences(of: "per point", with: "per cell")))"
                + "\(centre). In the SVG, each cell's title gives its spread (\(error.caption))."
            : "Each cell: one run, no repeats over seed\(centre)."
        let captionLines = W.wrap(caption, width: width - 40, size: 11)
        let bottom = top + ny * ch, barHeight = max(ny * ch, 120, W.width(Vocabulary.label(quantity)) + 16)
        let height = max(bottom, top + barHeight) + 56 + Double(captionLines.count) * 14 + 8
        var s = W.head(width: width, height: height)
        var ty = 20.0
        for line in titleLines {
            ty += 15
            s += W.text(line, x: 20, y: ty, size: 15, bold: true)
            ty += 4
        }
        if let note { s += W.text(note, x: 20, y: ty + 14, size: 12, fill: "#444444") }
        for (j, yv) in yValues.enumerated() {
            let py = top + (ny - 1 - Double(j)) * ch
            if y != nil { s += W.text(Self.label(yv), x: left - 8, y: py + ch / 2 + 4, anchor: "end", size: 12) }
            for (i, xv) in xValues.enumerated() {
                let px = left + Double(i) * cw, cell = cells[j][i]
                let place = Self.assignment(x, xv) + (y.map { ", " + Self.assignment($0, yv) } ?? "")
                guard let v = cell.value, let spread = cell.spread else {
                    let label = cell.diverged > 0 ? "diverged" : "–"
                    s += "<rect class=\"cell\" x=\"\(W.n(px))\" y=\"\(W.n(py))\" width=\"\(W.n(cw))\" height=\"\(W.n(ch))\" fill=\"#eeeeee\" stroke=\"white\"><title>\(W.escape(place + ": " + label))</title></rect>\n"
                    s += W.text(label, x: px + cw / 2, y: py + ch / 2 + 4, anchor: "middle", fill: "#555555")
                    continue
                }
                let f = fraction(v)
                let hover = "\(place): \(spread.formatted(error)) (n = \(spread.n))" + ((cell.theory ?? theoryCentre).map { ", theory \(Spread.significant($0, 4))" } ?? "")
                s += "<rect class=\"cell\" x=\"\(W.n(px))\" y=\"\(W.n(py))\" width=\"\(W.n(cw))\" height=\"\(W.n(ch))\" fill=\"\(Self.hex(Self.color(f, stops)))\" stroke=\"white\"><title>\(W.escape(hover))</title></rect>\n"
                let dark = theoryCentre == nil ? f < 0.55 : abs(f - 0.5) > 0.33
                s += W.text(Self.format(v), x: px + cw / 2, y: py + ch / 2 + 4, anchor: "middle", fill: dark ? "white" : "black")
            }
        }
        for (i, xv) in xValues.enumerated() {
            s += W.text(Self.label(xv), x: left + (Double(i) + 0.5) * cw, y: bottom + 18, anchor: "middle", size: 12)
        }
        s += W.text(Vocabulary.label(x), x: left + nx * cw / 2, y: bottom + 40, anchor: "middle", size: 14)
        if let y {
            let mid = top + ny * ch / 2
            s += W.text(Vocabulary.label(y), x: 24, y: mid, anchor: "middle", size: 14, extra: "transform=\"rotate(-90 24 \(W.n(mid)))\"")
        }
        // The colour bar: a vertical gradient, ticks at round values, the quantity's symbol beside it.
        let bx = left + nx * cw + barGap
        s += "<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for (k, c) in stops.enumerated() {
            s += "<stop offset=\"\(W.n(Double(k) * 100 / Double(stops.count - 1)))%\" stop-color=\"\(Self.hex(c))\"/>"
        }
        s += "</linearGradient></defs>\n"
        s += "<rect class=\"colour-bar\" x=\"\(W.n(bx))\" y=\"\(W.n(top))\" width=\"\(W.n(barWidth))\" height=\"\(W.n(barHeight))\" fill=\"url(#scale)\" stroke=\"#999999\"/>\n"
        var labelRight = bx + barWidth
        if let r = colourRange, r.upperBound > r.lowerBound {
            let scale = AxisScale([r.lowerBound, r.upperBound], log: false, from: top + barHeight, to: top)
            let exact = AxisScale(low: r.lowerBound, high: r.upperBound, log: false, from: top + barHeight, to: top)
            // As many round ticks as fit 24 px apart, at least three where the range allows.
            var ticks: [Double] = []
            for most in 3...12 {
                let candidate = scale.ticks(maxTicks: most).filter { r.contains($0) }
                if candidate.count > 1, barHeight / Double(candidate.count - 1) < 24 { break }
                ticks = candidate
                if ticks.count >= 3 { break }
            }
            for t in ticks {
                let py = exact.pixel(t)
                s += "<line class=\"colour-tick\" x1=\"\(W.n(bx + barWidth))\" y1=\"\(W.n(py))\" x2=\"\(W.n(bx + barWidth + 4))\" y2=\"\(W.n(py))\" stroke=\"#333333\"/>\n"
                let label = AxisScale.label(t, ticks: ticks)
                s += W.text(label, x: bx + barWidth + 7, y: py + 4, size: 12, extra: "class=\"colour-label\"")
                labelRight = max(labelRight, bx + barWidth + 7 + W.width(label, size: 12))
            }
        } else if let r = range {
            s += W.text(Self.format(r.lowerBound), x: bx + barWidth + 7, y: top + barHeight / 2 + 4, size: 12, extra: "class=\"colour-label\"")
            labelRight += 60
        }
        let mid = top + barHeight / 2, lx = labelRight + 16
        s += W.text(Vocabulary.label(quantity), x: lx, y: mid, anchor: "middle", size: 13, extra: "transform=\"rotate(-90 \(W.n(lx)) \(W.n(mid)))\"")
        var cy = max(bottom, top + barHeight) + 62
        for line in captionLines {
            s += W.text(line, x: 20, y: cy, size: 11, fill: "#444444")
            cy += 14
        }
        return s + "</svg>\n"
    }
}

extension AxisScale {
    /// A scale over exactly low…high, without padding.
    init(low: Double, high: Double, log: Bool, from: Double, to: Double) {
        self.low = low
        self.high = high
        self.log = log
        self.from = from
        self.to = to
    }
}
