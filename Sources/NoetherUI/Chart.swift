import Foundation

/// One line on a chart. `band` draws a shaded range (e.g. the 10–90 % quantiles of a family).
public struct ChartSeries: Sendable {
    public var name: String
    public var color: Color
    public var points: [(x: Double, y: Double)]
    public var marker: Character
    public var dotted: Bool
    public init(_ name: String, _ color: Color, _ points: [(x: Double, y: Double)], marker: Character = "*",
                dotted: Bool = false) {
        self.name = name
        self.color = color
        self.points = points
        self.marker = marker
        self.dotted = dotted
    }
}

/// A line chart with a title, y-axis tick labels, x-axis (step) ticks and a legend.
public struct Chart: Sendable {
    public var title: String
    public var series: [ChartSeries]
    public var logY = false
    public var smoothing = false
    public var status: (text: String, color: Color)?

    public init(title: String, series: [ChartSeries], logY: Bool = false, smoothing: Bool = false,
                status: (text: String, color: Color)? = nil) {
        self.title = title
        self.series = series
        self.logY = logY
        self.smoothing = smoothing
        self.status = status
    }

    static let axisWidth = 10

    public func render(into b: inout Buffer, _ rect: Rect, focused: Bool, glyphs: Glyphs) {
        rect.frame(&b, title: title + (logY ? " [log]" : "") + (smoothing ? " [smooth]" : ""), focused: focused, glyphs: glyphs)
        let inner = rect.inner
        guard inner.width > Self.axisWidth + 4, inner.height >= 4 else { return }
        // Legend on the first inner row, status (health) right-aligned.
        var x = inner.x
        for s in series where !s.name.isEmpty && x < inner.x + inner.width - 2 {
            x = b.put(glyphs.unicode ? "━" : "-", x: x, y: inner.y, Style(s.color), maxWidth: inner.x + inner.width - x)
            x = b.put(s.name + "  ", x: x + 1, y: inner.y, .plain, maxWidth: inner.x + inner.width - x - 1)
        }
        if let status {
            // On the top border, right-aligned, so the legend never hides it.
            // (In a narrow chart: at the end of the legend row instead, over the legend's tail.)
            let text = " \(status.text) "
            let fullTitle = title + (logY ? " [log]" : "") + (smoothing ? " [smooth]" : "")
            let start = rect.x + rect.width - 2 - text.count
            if start >= rect.x + 4 + fullTitle.count + 2 {
                b.put(text, x: start, y: rect.y, Style(status.color, bold: true))
            } else {
                b.put(text, x: max(inner.x, inner.x + inner.width - text.count), y: inner.y, Style(status.color, bold: true))
            }
        }
        let plot = Rect(x: inner.x + Self.axisWidth, y: inner.y + 1, width: inner.width - Self.axisWidth,
                        height: inner.height - 2)
        let transformed = series.map { s in
            (s, s.points.compactMap { p -> (x: Double, y: Double)? in
                let y = logY ? (p.y > 0 ? log10(p.y) : nil) : p.y
                guard let y, y.isFinite, p.x.isFinite else { return nil }
                return (p.x, y)
            })
        }
        let all = transformed.flatMap(\.1)
        guard let xmin = all.map(\.x).min(), let xmax = all.map(\.x).max(),
              var ymin = all.map(\.y).min(), var ymax = all.map(\.y).max() else {
            b.put("waiting for data", x: plot.x + 1, y: plot.y + plot.height / 2, Style(.gray))
            return
        }
        if ymax - ymin < 1e-12 * max(abs(ymax), 1e-300) || ymax == ymin {
            let pad = ymax == 0 ? 1 : abs(ymax) * 1e-3
            ymin -= pad; ymax += pad
        }
        let xspan = max(xmax - xmin, 1)
        var canvas = Canvas(cols: plot.width, rows: plot.height, style: glyphs.dots)
        func dot(_ p: (x: Double, y: Double)) -> (Int, Int) {
            let dx = Int(((p.x - xmin) / xspan * Double(canvas.dotsX - 1)).rounded())
            let dy = Int(((ymax - p.y) / (ymax - ymin) * Double(canvas.dotsY - 1)).rounded())
            return (dx, dy)
        }
        for (s, pts) in transformed {
            var drawn = pts
            if smoothing, pts.count > 2 {
                for p in pts { let d = dot(p); canvas.set(d.0, d.1, .gray, ascii: ".") }
                drawn = Self.smooth(pts)
            }
            var previous: (Int, Int)?
            for (i, p) in drawn.enumerated() {
                let d = dot(p)
                if s.dotted {
                    if i % 2 == 0 { canvas.set(d.0, d.1, s.color, ascii: s.marker) }
                } else if let prev = previous {
                    canvas.line(prev.0, prev.1, d.0, d.1, s.color, ascii: s.marker)
                } else {
                    canvas.set(d.0, d.1, s.color, ascii: s.marker)
                }
                previous = d
            }
        }
        canvas.draw(into: &b, at: plot.x, plot.y)
        // Y ticks: top, middle, bottom.
        for (row, value) in [(0, ymax), (plot.height / 2, (ymax + ymin) / 2), (plot.height - 1, ymin)] {
            let label = Self.format(logY ? pow(10, value) : value)
            b.put(String(label.prefix(Self.axisWidth - 2)).leftPad(Self.axisWidth - 2), x: inner.x, y: plot.y + row, Style(.gray))
            b.put(glyphs.unicode ? "┤" : "+", x: plot.x - 1, y: plot.y + row, Style(.gray))
        }
        // X ticks (steps) on the last inner row.
        let xRow = inner.y + inner.height - 1
        let left = Self.format(xmin), right = Self.format(xmax), mid = Self.format((xmin + xmax) / 2)
        b.put(left, x: plot.x, y: xRow, Style(.gray))
        if plot.width > left.count + right.count + mid.count + 4 {
            b.put(mid, x: plot.x + plot.width / 2 - mid.count / 2, y: xRow, Style(.gray))
        }
        b.put(right, x: plot.x + plot.width - right.count, y: xRow, Style(.gray))
    }

    /// Debiased exponential moving average (as TensorBoard's smoothing).
    static func smooth(_ pts: [(x: Double, y: Double)], weight: Double = 0.9) -> [(x: Double, y: Double)] {
        var ema = 0.0, debias = 1.0
        return pts.map { p in
            ema = weight * ema + (1 - weight) * p.y
            debias *= weight
            return (p.x, ema / (1 - debias))
        }
    }

    /// Compact numbers for tick labels: 3 significant digits, k/M for large steps.
    public static func format(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e9 { return String(format: "%.1e", v) }
        if a >= 1e6 { return String(format: "%.3gM", v / 1e6) }
        if a >= 1e4 { return String(format: "%.3gk", v / 1e3) }
        if a < 1e-3 { return String(format: "%.1e", v) }
        return String(format: "%.3g", v)
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
