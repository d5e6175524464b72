import Foundation

/// A Plot as an SVG 1.1 figure: a framed plot area with round ticks (log10 where asked), one
/// colour, dash pattern and marker shape per measured series (so series stay apart in grey
/// print), error bars with caps, shaded bands, thinner dashed theory lines without markers, a
/// legend beside the plot showing each series' line and marker, and the caption below.
/// Elements carry classes (`point`, `errorbar`, `band`, `theory`) so a test or a reader's
/// script can find them; every marker has a `<title>` that browsers show on hover. A scatter's
/// markers are half-transparent with an outline, and those at one x spread along x
/// (`scatterSpread`), so runs with equal values stay visible.
extension Plot {
    static let markerShapes = ["circle", "square", "triangle", "diamond", "down"]

    /// The marker shape and dash pattern of measured series number `k`.
    static func seriesLook(_ k: Int) -> (shape: String, dash: String) {
        (markerShapes[k % markerShapes.count], seriesDashes[k % seriesDashes.count])
    }

    static func dashAttribute(_ dash: String) -> String { dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"" }

    public func svg() -> String {
        typealias W = SVGWriter
        let plotWidth = 460.0, plotHeight = 300.0, left = 92.0
        let legendWidth = max(146, min(306, (lines.map { W.width($0.label, size: 12) }.max() ?? 0) + 46))
        let width = left + plotWidth + 24 + legendWidth + 16
        let titleLines = W.wrap(title, width: width - 40, size: 15)
        let subtitleLines = subtitle.map { W.wrap($0, width: width - 40, size: 12) } ?? []
        let top = 20 + Double(titleLines.count) * 19 + Double(subtitleLines.count) * 16 + 14
        let captionLines = W.wrap(caption, width: width - 40, size: 11)
        let legend = lines.filter(\.inLegend)
        let legendHeight = legend.reduce(8.0) {
            $0 + 14 * Double(W.wrap($1.label, width: legendWidth - 40, size: 12).count) + 8
        }
        let height = max(top + plotHeight + 58 + Double(captionLines.count) * 14 + 8, top + legendHeight + 10)
        let xs = lines.flatMap { $0.points.map(\.x) }
        let ys = lines.flatMap { l in l.points.flatMap { [$0.y] + [$0.low, $0.high].compactMap { $0 } } }
        let sx = AxisScale(xs, log: logX, from: left, to: left + plotWidth)
        let sy = AxisScale(ys, log: logY, from: top + plotHeight, to: top)
        var s = W.head(width: width, height: height)
        var y = 20.0
        for line in titleLines {
            y += 15
            s += W.text(line, x: 20, y: y, size: 15, bold: true)
            y += 4
        }
        for line in subtitleLines {
            y += 14
            s += W.text(line, x: 20, y: y, size: 12, fill: "#444444")
            y += 2
        }
        // Grid, frame, ticks.
        s += "<g class=\"axes\" stroke=\"#dddddd\" stroke-width=\"1\">\n"
        let xTicks = xTicks?.filter(sx.contains) ?? sx.ticks(), yTicks = sy.ticks()
        for t in xTicks {
            s +=
                "<line x1=\"\(W.n(sx.pixel(t)))\" y1=\"\(W.n(top))\" x2=\"\(W.n(sx.pixel(t)))\" y2=\"\(W.n(top + plotHeight))\"/>\n"
        }
        for t in yTicks {
            s +=
                "<line x1=\"\(W.n(left))\" y1=\"\(W.n(sy.pixel(t)))\" x2=\"\(W.n(left + plotWidth))\" y2=\"\(W.n(sy.pixel(t)))\"/>\n"
        }
        s +=
            "</g>\n<rect x=\"\(W.n(left))\" y=\"\(W.n(top))\" width=\"\(W.n(plotWidth))\" height=\"\(W.n(plotHeight))\" fill=\"none\" stroke=\"#333333\"/>\n"
        for t in xTicks {
            let px = sx.pixel(t)
            s +=
                "<line x1=\"\(W.n(px))\" y1=\"\(W.n(top + plotHeight))\" x2=\"\(W.n(px))\" y2=\"\(W.n(top + plotHeight + 5))\" stroke=\"#333333\"/>\n"
            s += W.text(AxisScale.label(t, ticks: xTicks), x: px, y: top + plotHeight + 19, anchor: "middle", size: 12)
        }
        for t in yTicks {
            let py = sy.pixel(t)
            s +=
                "<line x1=\"\(W.n(left - 5))\" y1=\"\(W.n(py))\" x2=\"\(W.n(left))\" y2=\"\(W.n(py))\" stroke=\"#333333\"/>\n"
            s += W.text(AxisScale.label(t, ticks: yTicks), x: left - 8, y: py + 4, anchor: "end", size: 12)
        }
        s += W.text(
            xLabel + (logX ? "  (log scale)" : ""), x: left + plotWidth / 2, y: top + plotHeight + 42, anchor: "middle",
            size: 14)
        let mid = top + plotHeight / 2
        s += W.text(
            yLabel + (logY ? "  (log scale)" : ""), x: 22, y: mid, anchor: "middle", size: 14,
            extra: "transform=\"rotate(-90 22 \(W.n(mid)))\"")
        s +=
            "<defs><clipPath id=\"plot-area\"><rect x=\"\(W.n(left))\" y=\"\(W.n(top))\" width=\"\(W.n(plotWidth))\" height=\"\(W.n(plotHeight))\"/></clipPath></defs>\n"
        // Bands first, then theory, then measurements on top.
        let order: [Style] = [.band, .theory, .measured, .scatter]
        var shapeIndex: [Int: Int] = [:]
        for line in lines where line.style == .measured || line.style == .scatter || line.style == .band {
            if shapeIndex[line.colour] == nil { shapeIndex[line.colour] = shapeIndex.count }
        }
        // A scatter's runs at one x, over all its lines, take evenly spaced slots (line by line).
        var slotCount: [Double: Int] = [:]
        var firstSlot: [Int: [Double: Int]] = [:]
        for (k, line) in lines.enumerated() where line.style == .scatter {
            for p in line.points where firstSlot[k]?[p.x] == nil {
                firstSlot[k, default: [:]][p.x] = slotCount[p.x] ?? 0
            }
            for p in line.points { slotCount[p.x, default: 0] += 1 }
        }
        for style in order {
            for (k, line) in lines.enumerated() where line.style == style {
                s += draw(
                    line, sx: sx, sy: sy, series: shapeIndex[line.colour] ?? 0,
                    slots: (firstSlot[k] ?? [:], slotCount))
            }
        }
        // Legend.
        var ly = top + 8
        let lx = left + plotWidth + 24
        s += "<g class=\"legend\">\n"
        for line in legend {
            let colour = SVGWriter.colour(line.colour)
            let look = Self.seriesLook(shapeIndex[line.colour] ?? 0)
            // A legend sample is 30 px wide: long enough to show a dash pattern's period.
            func sample(width: Double, dash: String) -> String {
                "<line x1=\"\(W.n(lx))\" y1=\"\(W.n(ly))\" x2=\"\(W.n(lx + 30))\" y2=\"\(W.n(ly))\" stroke=\"\(colour)\" stroke-width=\"\(W.n(width))\"\(Self.dashAttribute(dash))/>\n"
            }
            switch line.style {
            case .theory:
                s += sample(width: 1.4, dash: line.dash)
            case .band:
                if line.points.contains(where: { $0.low != nil }) {
                    s +=
                        "<rect x=\"\(W.n(lx))\" y=\"\(W.n(ly - 6))\" width=\"30\" height=\"12\" fill=\"\(colour)\" fill-opacity=\"0.2\"/>\n"
                }
                s += sample(width: 2, dash: look.dash)
                s += Self.marker(look.shape, x: lx + 15, y: ly, colour: colour, className: "legend-marker", note: nil)
            case .measured:
                s += sample(width: 1.8, dash: look.dash)
                s += Self.marker(look.shape, x: lx + 15, y: ly, colour: colour, className: "legend-marker", note: nil)
            case .scatter:
                s += Self.marker(
                    look.shape, x: lx + 15, y: ly, colour: colour, className: "legend-marker", note: nil,
                    translucent: true)
            }
            let labelLines = W.wrap(line.label, width: legendWidth - 40, size: 12)
            for (k, l) in labelLines.enumerated() { s += W.text(l, x: lx + 38, y: ly + 4 + Double(k) * 14, size: 12) }
            ly += 14 * Double(labelLines.count) + 8
        }
        s += "</g>\n"
        var cy = top + plotHeight + 62
        for line in captionLines {
            s += W.text(line, x: 20, y: cy, size: 11, fill: "#444444")
            cy += 14
        }
        return s + "</svg>\n"
    }

    private func draw(
        _ line: Line, sx: AxisScale, sy: AxisScale, series: Int,
        slots: (first: [Double: Int], count: [Double: Int])
    ) -> String {
        typealias W = SVGWriter
        let colour = W.colour(line.colour)
        let (shape, dash) = Self.seriesLook(series)
        let inView = line.points.enumerated().filter { sx.contains($0.element.x) && sy.contains($0.element.y) }
        // Sorted by x, and at equal x in the order given (a scatter's runs in database order).
        let points = inView.sorted { ($0.element.x, $0.offset) < ($1.element.x, $1.offset) }.map(\.element)
        guard !points.isEmpty else { return "" }
        func path(_ p: [Point]) -> String {
            p.map { "\(W.n(sx.pixel($0.x))),\(W.n(sy.pixel($0.y)))" }.joined(separator: " ")
        }
        var s = "<g class=\"\(line.style)-series\">\n"
        switch line.style {
        case .theory:
            s +=
                "<polyline class=\"theory\" points=\"\(path(points))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.4\" stroke-dasharray=\"\(line.dash)\" clip-path=\"url(#plot-area)\"><title>\(W.escape(line.label))</title></polyline>\n"
        case .band:
            let banded = points.filter {
                $0.low != nil && $0.high != nil && sy.contains($0.low!) && sy.contains($0.high!)
            }
            if banded.count > 1 {
                let upper = banded.map { "\(W.n(sx.pixel($0.x))),\(W.n(sy.pixel($0.high!)))" }
                let lower = banded.reversed().map { "\(W.n(sx.pixel($0.x))),\(W.n(sy.pixel($0.low!)))" }
                s +=
                    "<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(colour)\" fill-opacity=\"0.2\" stroke=\"none\"/>\n"
            }
            s +=
                "<polyline class=\"line\" points=\"\(path(points))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(Self.dashAttribute(dash))/>\n"
            // About eight markers along a dense curve, staggered between series so they do not coincide.
            let every = max(1, points.count / 8)
            let shift = every > 1 ? (series * every / Self.markerShapes.count) % every : 0
            for (i, p) in points.enumerated() where i % every == shift {
                s += Self.marker(
                    shape, x: sx.pixel(p.x), y: sy.pixel(p.y), colour: colour, className: "curve-marker", note: nil)
            }
        case .measured:
            if points.count > 1 {
                s +=
                    "<polyline class=\"line\" points=\"\(path(points))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"\(Self.dashAttribute(dash))/>\n"
            }
            for p in points {
                let px = sx.pixel(p.x)
                if let lo = p.low, let hi = p.high, sy.contains(lo), sy.contains(hi) {
                    let (a, b) = (sy.pixel(lo), sy.pixel(hi))
                    s +=
                        "<path class=\"errorbar\" d=\"M\(W.n(px)) \(W.n(a))V\(W.n(b))M\(W.n(px - 4)) \(W.n(a))H\(W.n(px + 4))M\(W.n(px - 4)) \(W.n(b))H\(W.n(px + 4))\" stroke=\"\(colour)\" stroke-width=\"1.3\" fill=\"none\"/>\n"
                }
                s += Self.marker(shape, x: px, y: sy.pixel(p.y), colour: colour, className: "point", note: p.note)
            }
        case .scatter:
            // The runs at one x, of every line, spread evenly over ±scatterSpread px, in the order given.
            var k = 0
            while k < points.count {
                let group = points[k...].prefix { $0.x == points[k].x }
                let first = slots.first[points[k].x] ?? 0, count = slots.count[points[k].x] ?? group.count
                for (i, p) in group.enumerated() {
                    let offset =
                        count > 1 ? Self.scatterSpread * (2 * Double(first + i) / Double(count - 1) - 1) : 0
                    s += Self.marker(
                        shape, x: sx.pixel(p.x) + offset, y: sy.pixel(p.y), colour: colour, className: "point",
                        note: p.note, translucent: true)
                }
                k += group.count
            }
        }
        return s + "</g>\n"
    }

    /// A marker; `translucent` ones (a scatter's runs) are half-transparent with an outline in
    /// their colour, so markers on top of one another still show.
    static func marker(
        _ shape: String, x: Double, y: Double, colour: String, className: String, note: String?,
        translucent: Bool = false
    ) -> String {
        typealias W = SVGWriter
        let r = 4.5
        let title = note.map { "<title>\(W.escape($0))</title>" } ?? ""
        let style =
            translucent
            ? "fill=\"\(colour)\" fill-opacity=\"0.45\" stroke=\"\(colour)\" stroke-width=\"1.2\""
            : "fill=\"\(colour)\" stroke=\"white\" stroke-width=\"0.8\""
        switch shape {
        case "square":
            return
                "<rect class=\"\(className)\" x=\"\(W.n(x - r * 0.85))\" y=\"\(W.n(y - r * 0.85))\" width=\"\(W.n(r * 1.7))\" height=\"\(W.n(r * 1.7))\" \(style)>\(title)</rect>\n"
        case "triangle", "down", "diamond":
            let pts: [(Double, Double)] =
                switch shape {
                case "triangle": [(0, -1.2), (1.05, 0.7), (-1.05, 0.7)]
                case "down": [(0, 1.2), (1.05, -0.7), (-1.05, -0.7)]
                default: [(0, -1.25), (1, 0), (0, 1.25), (-1, 0)]
                }
            let p = pts.map { "\(W.n(x + $0.0 * r)),\(W.n(y + $0.1 * r))" }.joined(separator: " ")
            return "<polygon class=\"\(className)\" points=\"\(p)\" \(style)>\(title)</polygon>\n"
        default:
            return
                "<circle class=\"\(className)\" cx=\"\(W.n(x))\" cy=\"\(W.n(y))\" r=\"\(W.n(r))\" \(style)>\(title)</circle>\n"
        }
    }
}
