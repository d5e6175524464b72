import Foundation

/// One series on a chart: its legend name, colour, mark, and points in axis units.
/// A `.band` series carries the lower edge in `points` and the upper edge in `upper`.
public struct ChartSeries: Sendable {
    public var name: String
    public var color: Color
    public var mark: Mark
    public var points: [(x: Double, y: Double)]
    public var upper: [(x: Double, y: Double)]
    /// The legend also gives the latest value (or `legendValue`), so a reader need not
    /// interpolate between ticks. Every curve does; a scatter of many points has no latest value.
    public var showsValue = true
    /// The short name written at the end of the curve (default: the name up to a parenthesis).
    public var label: String?
    public var legendValue: Double?
    /// The history series behind the points, so a ghost run's copy can be drawn beside it.
    public var key: SeriesKey?
    /// What the theory predicts (exact, Q⁽⁰⁾, an equilibrium, a stability line), not a
    /// measurement: an exported figure draws it as a thin dashed theory line.
    public var isTheory = false
    /// A ghost run's copy (the faint mark): drawn dimmed, beneath every other series.
    public var ghost: Bool { mark == .faint }
    public init(
        _ name: String, _ color: Color, _ mark: Mark, _ points: [(x: Double, y: Double)],
        upper: [(x: Double, y: Double)] = []
    ) {
        self.name = name
        self.color = color
        self.mark = mark
        self.points = points
        self.upper = upper
    }

    /// The name written at the end of the curve, so curves are told apart without colour.
    public var directLabel: String {
        if let label { return label }
        var short = name
        for cut in [" (", " =", " err"] { if let r = short.range(of: cut) { short = String(short[..<r.lowerBound]) } }
        return short
    }

    /// This series marked as the theory's.
    public func theory() -> ChartSeries {
        var s = self
        s.isTheory = true
        return s
    }

    /// This series with its latest value in the legend.
    public func withValue(_ value: Double? = nil) -> ChartSeries {
        var s = self
        s.showsValue = true
        s.legendValue = value
        return s
    }
}

/// A line chart: title (saying what y is) on the border, legend with each series' mark, round
/// y ticks inside the data range, an x axis from 0 to `xMax` with round ticks and markers.
public struct Chart: Sendable {
    public var title: String
    public var series: [ChartSeries]
    public var xMin = 0.0
    public var xMax: Double
    public var xLabel = "step"
    /// Applied changes on the time axis, in axis units.
    public var markers: [(x: Double, label: String)] = []
    public var logY = false
    public var logX = false
    public var smoothing = false
    public var status: (text: String, color: Color)?
    /// Straight lines y = slope · x drawn across the plot (e.g. an equilibrium).
    public var guides: [(slope: Double, series: ChartSeries)] = []
    /// How the y-range is chosen (linear axes only).
    public var yAxis = YAxisMode.honest
    /// The status gives way to the title's drift on a narrow border (a residual; never a verdict).
    public var statusOptional = false
    /// A shorter title for a narrow border, instead of cutting the long one.
    public var shortTitle: String?
    /// The title and y label of this chart as an exported figure (`E`), naming its family.
    public var figure: (title: String, yLabel: String)?

    public init(
        title: String, series: [ChartSeries], xMax: Double, logY: Bool = false, smoothing: Bool = false,
        status: (text: String, color: Color)? = nil
    ) {
        self.title = title
        self.series = series
        self.xMax = xMax
        self.logY = logY
        self.smoothing = smoothing
        self.status = status
    }

    static let axisWidth = 8

    var fullTitle: String { titles().first! }

    /// The titles to try on the border, longest first: with the axis mode, the drift, log and
    /// smoothing; then without the drift; then the short title with the axis mode.
    func titles(drift: String? = nil) -> [String] {
        let absolute = changeIsAbsolute
        let mode = logY ? "" : absolute ? YAxisMode.absoluteChange.title : yAxis.titleSuffix
        let tail = (logY && !logX ? " [log]" : "") + (smoothing ? " [smooth]" : "")
        let short = logY ? "" : absolute ? YAxisMode.absoluteChange.short : yAxis.shortSuffix
        var out =
            drift.map { d in
                [title + mode + " · drift " + d + tail, title + mode + " Δ" + d + tail]
                    + (shortTitle.map { [$0 + " Δ" + d] } ?? [])
            } ?? []
        out += [title + mode + tail, title + short + tail]
        if let shortTitle { out += [shortTitle + mode + tail, shortTitle + short + tail, shortTitle + short] }
        out.append((shortTitle ?? title) + (logY ? "" : absolute ? YAxisMode.absoluteChange.tiny : yAxis.tinySuffix))
        return out
    }

    /// In the change-from-start mode, whether a curve starts at (or near) zero, where a percentage
    /// means nothing: then every curve shows its change in its own units, and the title says so.
    var changeIsAbsolute: Bool {
        guard yAxis == .relative, !logY else { return false }
        return series.contains { s in
            guard let first = s.points.first?.y, first.isFinite else { return false }
            let size = s.points.map { abs($0.y) }.filter(\.isFinite).max() ?? 0
            return size > 0 && abs(first) < YAxisMode.floor * size
        }
    }

    /// The relative change of the first curve since its first sample, when the chart's values
    /// barely move (under 10 % of their size): what an honest flat line hides.
    func drift(_ ymin: Double, _ ymax: Double) -> String? {
        guard !logY, yAxis == .honest, let s = series.first(where: { !$0.ghost && $0.points.count > 1 }),
            let first = s.points.first?.y, let last = s.points.last?.y, first != 0, first.isFinite, last.isFinite
        else { return nil }
        let size = max(abs(ymin), abs(ymax))
        guard size > 0, ymax - ymin < 0.1 * size else { return nil }
        let change = (last - first) / abs(first) * 100
        return (change >= 0 ? "+" : "") + NumberFormat.compact(change) + "%"
    }

    public func render(into b: inout Buffer, _ rect: Rect, focused: Bool, expanded: Bool = false, glyphs: Glyphs) {
        if let spelled = spelledOut(glyphs) {
            return spelled.render(into: &b, rect, focused: focused, expanded: expanded, glyphs: glyphs)
        }
        let inner = rect.inner
        guard inner.width > Self.axisWidth + 4, inner.height >= 4 else { return }
        let legendRows = legend(&b, inner, glyphs: glyphs)
        let plot = Rect(
            x: inner.x + Self.axisWidth, y: inner.y + legendRows, width: inner.width - Self.axisWidth,
            height: inner.height - 1 - legendRows)
        let tx: (Double) -> Double? = { x in logX ? (x > 0 ? log10(x) : nil) : x }
        let ty: (Double) -> Double? = { y in
            let y = NumberFormat.clean(y)
            return logY ? (y > 0 ? log10(y) : nil) : y
        }
        func transform(_ pts: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
            pts.compactMap { p in
                guard let x = tx(p.x), let y = ty(p.y), x.isFinite, y.isFinite else { return nil }
                return (x, y)
            }
        }
        let relative = yAxis == .relative && !logY, absolute = changeIsAbsolute
        /// A curve as its change from its first sample: in percent, or in its units when a curve of
        /// the chart starts at zero.
        func fromStart(_ pts: [(x: Double, y: Double)], _ start: Double?) -> [(x: Double, y: Double)] {
            guard relative else { return pts }
            guard let start else { return [] }
            if absolute { return pts.map { ($0.x, $0.y - start) } }
            guard start != 0 else { return [] }
            return pts.map { ($0.x, ($0.y - start) / abs(start) * 100) }
        }
        let size = series.flatMap { $0.points.map { abs($0.y) } }.filter(\.isFinite).max() ?? 0
        let shown = series.map { s in
            let pts = transform(s.points)
            return (s, fromStart(pts, pts.first?.y), fromStart(transform(s.upper), pts.first?.y))
        }
        var all = shown.flatMap { $0.1 + $0.2 }
        if !relative, let lo = all.map(\.x).min(), let hi = all.map(\.x).max() {
            // Keep a guide line in view at both ends of the data.
            for (slope, _) in guides where slope > 0 {
                for x in [lo, hi] { if let y = ty(slope * (logX ? pow(10, x) : x)) { all.append((x, y)) } }
            }
        }
        guard var ymin = all.map(\.y).min(), var ymax = all.map(\.y).max() else {
            rect.frame(&b, titles: titles(), focused: focused, glyphs: glyphs, status: status)
            b.put("no data yet", x: plot.x + 1, y: plot.y + plot.height / 2, Style(.gray))
            return
        }
        let drift = drift(ymin, ymax)
        rect.frame(
            &b, titles: titles(drift: drift), focused: focused, glyphs: glyphs, status: status,
            statusYields: statusOptional && drift != nil ? (shortTitle == nil ? 2 : 3) : 0)
        let xs = all.map(\.x)
        let x0 = logX ? (xs.min() ?? 0) : xMin
        let x1 = logX ? max(xs.max() ?? 1, x0 + 1e-9) : max(xMax, xs.max() ?? 0, xMin + 1)
        var ticks: [Double]
        if logY {
            if ymax - ymin <= 1e-12 * max(abs(ymax), abs(ymin)) {
                let pad = ymax == 0 ? 1 : abs(ymax) * 1e-3
                ymin -= pad; ymax += pad
            }
            ticks = Ticks.logWithin(ymin, ymax, count: max(2, min(5, plot.height / 3)))
        } else {
            switch yAxis {
            case .honest, .relative:
                // Relative values are already percentages of the size: their floor is one point.
                let floor =
                    relative ? (absolute ? YAxisMode.floor * size : 1) : YAxisMode.floor * max(abs(ymin), abs(ymax))
                if ymax - ymin < floor {
                    let middle = (ymin + ymax) / 2
                    ymin = middle - floor / 2; ymax = middle + floor / 2
                }
            case .fromZero:
                ymin = min(ymin, 0); ymax = max(ymax, 0)
            case .zoom: break
            }
            if ymax - ymin <= 1e-12 * max(abs(ymax), abs(ymin)) {
                let pad = ymax == 0 ? 1 : abs(ymax) * 1e-3
                ymin -= pad; ymax += pad
            }
            (ymin, ymax, ticks) = Ticks.evenRows(ymin, ymax, rows: plot.height, count: max(2, min(5, plot.height / 3)))
        }
        var canvas = Canvas(cols: plot.width, rows: plot.height, style: glyphs.dots)
        func dot(_ p: (x: Double, y: Double)) -> (Int, Int) {
            let dx = Int(((p.x - x0) / (x1 - x0) * Double(canvas.dotsX - 1)).rounded())
            let dy = Int(((ymax - p.y) / (ymax - ymin) * Double(canvas.dotsY - 1)).rounded())
            return (dx, dy)
        }
        for (slope, s) in guides where slope > 0 {
            // y = slope·x, sampled across the plot in axis units.
            let pts = (0...64).compactMap { i -> (x: Double, y: Double)? in
                let x = x0 + (x1 - x0) * Double(i) / 64
                let raw = logX ? pow(10, x) : x
                guard let y = ty(slope * raw) else { return nil }
                return (x, y)
            }.filter { $0.y >= ymin && $0.y <= ymax }
            draw(&canvas, pts.map(dot), s.mark, s.color)
        }
        // Ghosts beneath all, then bands, then lines with the first legend entry on top, then
        // sparse dots over all (so an exact prediction stays visible where it lies on the measured line).
        for (s, pts, _) in shown where s.ghost {
            rings(&canvas, pts.map(dot), s.color, Mark.ghostRing(unicode: glyphs.unicode))
        }
        let order =
            shown.filter { $0.0.mark == .band }
            + shown.filter { ![.band, .dots, .faint].contains($0.0.mark) }.reversed()
            + shown.filter { $0.0.mark == .dots }
        for (s, pts, upper) in order {
            if s.mark == .band {
                for (lo, hi) in zip(pts, upper) {
                    let a = dot(lo), c = dot(hi)
                    // A light grain: every fourth dot column, one dot per cell height.
                    guard a.0 % 4 == 0 else { continue }
                    for y in stride(from: min(a.1, c.1), through: max(a.1, c.1), by: 4) {
                        canvas.set(a.0, y, s.color, ascii: s.mark.ascii)
                    }
                }
                continue
            }
            if s.mark == .points {
                for p in pts { let d = dot(p); canvas.set(d.0, d.1, s.color, ascii: s.mark.ascii) }
                continue
            }
            var drawn = pts
            if smoothing, pts.count > 2 {
                for p in pts { let d = dot(p); canvas.set(d.0, d.1, .gray, ascii: ",") }
                drawn = Self.smooth(pts)
            }
            draw(&canvas, drawn.map(dot), s.mark, s.color)
        }
        canvas.draw(into: &b, at: plot.x, plot.y)
        directLabels(&b, plot, shown.map { ($0.0, $0.1.map(dot), $0.1.last?.y) }, canvas: canvas)
        yTicks(&b, plot, inner, ymin, ymax, ticks)
        xAxis(&b, plot, inner.y + inner.height - 1, x0, x1, expanded: expanded, glyphs: glyphs)
    }

    /// Each curve's short name at its end, so curves are told apart without colour (NO_COLOR,
    /// ASCII, a projector). Only where a chart has more than one curve. A label stays on its curve's
    /// end row (covering the curve's last cells where the plot's edge leaves no room after it), else
    /// one row beside it, and never on the far side of another curve's label; where it
    /// cannot, it is left out (the legend still names and values every curve). Curves that end in
    /// the same cell with the same value as the legend writes it share one label, "median=exact":
    /// that they coincide is what the reader should see.
    private func directLabels(
        _ b: inout Buffer, _ plot: Rect, _ curves: [(ChartSeries, [(Int, Int)], Double?)], canvas: Canvas
    ) {
        let labelled = curves.filter { s, dots, _ in
            s.mark != .band && !dots.isEmpty && !s.directLabel.isEmpty && (!s.name.isEmpty || s.ghost)
        }
        guard labelled.count > 1 else { return }
        for label in Self.labelPlacements(labelled, plot: plot, canvas: canvas) {
            b.put(
                label.text, x: label.x, y: label.row, Style(label.series.ghost ? .gray : label.series.color, bold: true)
            )
        }
    }

    /// Where each direct label goes (see `directLabels`), placed from the highest curve end down, so
    /// labels keep the vertical order of their curves' ends.
    static func labelPlacements(_ curves: [(ChartSeries, [(Int, Int)], Double?)], plot: Rect, canvas: Canvas)
        -> [(text: String, x: Int, row: Int, series: ChartSeries)]
    {
        let perCellX = canvas.dotsX / max(canvas.cols, 1), perCellY = canvas.dotsY / max(canvas.rows, 1)
        // Curves grouped by the cell their last dot lies in and their last value as the legend gives it.
        var groups: [(col: Int, row: Int, value: String, height: Height, members: [ChartSeries])] = []
        for (s, dots, last) in curves {
            let end = dots.last!
            let col = min(max(end.0 / perCellX, 0), plot.width - 1),
                row = min(max(end.1 / perCellY, 0), plot.height - 1)
            let value = last.map(NumberFormat.compact) ?? ""
            if let i = groups.firstIndex(where: { $0.col == col && $0.row == row && $0.value == value }) {
                groups[i].members.append(s)
            } else {
                groups.append((col, row, value, Height(dot: end.1, value: last ?? 0), [s]))
            }
        }
        let widest = max(12, plot.width - 2)
        var placed: [(text: String, x: Int, row: Int, series: ChartSeries, end: Height)] = []
        // Top curve first: each label then finds its own side of those above it free.
        for group in groups.sorted(by: { $0.height < $1.height }) {
            // As many names as fit, joined by "="; "=…" when some coincide but do not fit.
            let names = group.members.map { shortened($0.directLabel) }
            var text = abbreviated(names[0], to: widest)
            for (i, name) in names.enumerated().dropFirst() {
                let rest = i + 1 < names.count ? 2 : 0
                if text.count + 1 + name.count + rest <= widest {
                    text += "=" + name
                } else {
                    text += "=…"
                    break
                }
            }
            guard text.count + 1 < plot.width else { continue }
            let cx = plot.x + group.col, cy = plot.y + group.row
            // Right of the curve's end, or as far right as the plot allows; on the end's row when
            // no other label is in the way, else on the row above or below.
            let x = min(cx + 1, plot.x + plot.width - text.count)
            let span = x..<(x + text.count)
            // The end's own row even where the label must cover the curve's last cells (the right
            // edge pushed it left): a label one row off sits beside another curve and names it.
            let free = [cy, cy - 1, cy + 1].filter { $0 >= plot.y && $0 < plot.y + plot.height }.first { row in
                !placed.contains { p in
                    // Overlapping another label, or on the far side of it from where the curves end.
                    (p.row == row && (p.x..<(p.x + p.text.count)).overlaps(span))
                        || (row < p.row && group.height > p.end) || (row > p.row && group.height < p.end)
                }
            }
            guard let row = free else { continue }
            placed.append((text, x, row, group.members[0], group.height))
        }
        return placed.map { ($0.text, $0.x, $0.row, $0.series) }
    }

    /// Where a curve ends, top first: its last dot's row (down the canvas), then, for curves whose
    /// ends share a dot row, its last value (the larger is higher). Labels keep this order.
    struct Height: Comparable {
        var dot: Int
        var value: Double
        static func < (a: Height, b: Height) -> Bool { a.dot != b.dot ? a.dot < b.dot : a.value > b.value }
    }

    /// A ghost run's curve: a ring in every other cell column, where the curve first enters it,
    /// so it reads as a dotted trail beside any line, in greyscale and in every glyph mode.
    private func rings(_ canvas: inout Canvas, _ dots: [(Int, Int)], _ color: Color, _ ring: Character) {
        let perCellX = canvas.dotsX / max(canvas.cols, 1), perCellY = canvas.dotsY / max(canvas.rows, 1)
        var marked = Set<Int>()
        var previous: (Int, Int)?
        for d in dots {
            for p in previous.map({ Canvas.segment($0.0, $0.1, d.0, d.1) }) ?? [d] {
                let col = p.0 / perCellX
                guard col % 2 == 0, !marked.contains(col) else { continue }
                marked.insert(col)
                canvas.mark(cell: col, p.1 / perCellY, ring, color, dim: true)
            }
            previous = d
        }
    }

    /// Draws a polyline with the mark's dot pattern running on across segments.
    private func draw(_ canvas: inout Canvas, _ dots: [(Int, Int)], _ mark: Mark, _ color: Color, dim: Bool = false) {
        let pattern = mark.pattern
        var n = 0
        var previous: (Int, Int)?
        for d in dots {
            let path =
                mark == .points
                ? [d][...] : previous.map { Canvas.segment($0.0, $0.1, d.0, d.1).dropFirst() } ?? [d][...]
            for p in path {
                if pattern[n % pattern.count] { canvas.set(p.0, p.1, color, ascii: mark.ascii, dim: dim) }
                n += 1
            }
            previous = d
        }
    }

    /// The legend, every entry with its name and latest value, never cut. Tried in turn until all
    /// fit: entries two spaces apart, then one; then entries whose values read the same sharing that
    /// value ("━━ median ·· exact 1.07"); then names as their curves' labels, symmetries abbreviated
    /// (fc1-fc2.balance → fc1-2.bal). First within a few rows, then within as many as the plot can
    /// spare (it keeps four, or three in the smallest panels). Returns the rows used.
    @discardableResult
    private func legend(_ b: inout Buffer, _ inner: Rect, glyphs: Glyphs) -> Int {
        let named = series.filter { !$0.name.isEmpty }
        guard !named.isEmpty else { return 1 }
        typealias Entry = [(text: String, style: Style)]
        func length(_ e: Entry) -> Int { e.reduce(0) { $0 + $1.text.count } }
        func entries(shortNames: Bool, merged: Bool) -> [Entry] {
            var out: [(entry: Entry, value: String)] = []
            for s in named {
                var value =
                    s.showsValue ? (s.legendValue ?? s.points.last?.y).map { NumberFormat.compact($0) } ?? "" : ""
                if s.mark == .band, s.showsValue, let lo = s.points.last?.y, let hi = s.upper.last?.y {
                    value = NumberFormat.compact(lo) + (glyphs.unicode ? "–" : "-") + NumberFormat.compact(hi)
                }
                let name = shortNames ? Self.shortened(s.directLabel) : s.name
                let mark = (s.mark.legend(unicode: glyphs.unicode), Style(s.color, dim: s.ghost))
                if merged, !value.isEmpty,
                    let i = out.firstIndex(where: {
                        $0.value == value && length($0.entry) + mark.0.count + name.count + 2 <= inner.width
                    })
                {
                    // Same value: this name joins that entry, before the value they share.
                    let last = out[i].entry.count - 1
                    out[i].entry[last].text = String(out[i].entry[last].text.dropLast(value.count))
                    out[i].entry += [mark, (" " + name + " " + value, .plain)]
                    continue
                }
                out.append(([mark, (" " + name + (value.isEmpty ? "" : " " + value), .plain)], value))
            }
            return out.map(\.entry)
        }
        /// Each entry's row and column, or nil when they do not all fit in `rows`.
        func layout(_ entries: [Entry], gap: Int, rows: Int) -> [(row: Int, x: Int)]? {
            var row = 0, x = 0, at: [(row: Int, x: Int)] = []
            for e in entries {
                if x > 0, x + length(e) > inner.width { row += 1; x = 0 }
                guard row < rows, length(e) <= inner.width else { return nil }
                at.append((row, x))
                x += length(e) + gap
            }
            return at
        }
        let forms = [(false, false, 2), (false, false, 1), (false, true, 1), (true, true, 1)]
        let spare = Self.legendRows(innerHeight: inner.height)
        for rows in [min(3, inner.height - 5), spare] where rows >= 1 {
            for (shortNames, merged, gap) in forms {
                let list = entries(shortNames: shortNames, merged: merged)
                guard let at = layout(list, gap: gap, rows: rows) else { continue }
                for (e, p) in zip(list, at) {
                    var x = inner.x + p.x
                    for piece in e { x = b.put(piece.text, x: x, y: inner.y + p.row, piece.style) }
                }
                return (at.map(\.row).max() ?? 0) + 1
            }
        }
        // Too many for the panel: as many as fit, and an ellipsis says there are more.
        let rows = max(1, spare)
        var row = 0, x = inner.x
        let end = inner.x + inner.width
        for e in entries(shortNames: true, merged: true) {
            if x > inner.x, x + length(e) > end { row += 1; x = inner.x }
            guard row < rows, x + length(e) <= end else {
                b.put(glyphs.ellipsis, x: end - 1, y: inner.y + rows - 1, Style(.gray))
                return rows
            }
            for piece in e { x = b.put(piece.text, x: x, y: inner.y + row, piece.style) }
            x += 1
        }
        return row + 1
    }

    /// The most rows a legend may take in a panel of this inner height: the plot keeps four rows
    /// (three in the smallest panels) and the x axis one.
    static func legendRows(innerHeight: Int) -> Int { innerHeight - (innerHeight >= 9 ? 5 : 4) }

    private func yTicks(
        _ b: inout Buffer, _ plot: Rect, _ inner: Rect, _ ymin: Double, _ ymax: Double, _ ticks: [Double]
    ) {
        var used = Set<Int>()
        let labels = NumberFormat.ticks(ticks.map { logY ? pow(10, $0) : $0 })
        for (v, label) in zip(ticks, labels) {
            let row = Int(((ymax - v) / (ymax - ymin) * Double(plot.height - 1)).rounded())
            guard row >= 0, row < plot.height, !used.contains(row) else { continue }
            used.insert(row)
            b.put(
                String(label.suffix(Self.axisWidth - 1)).leftPad(Self.axisWidth - 1), x: inner.x, y: plot.y + row,
                Style(.gray))
            b.put("┤", x: plot.x - 1, y: plot.y + row, Style(.gray))
        }
    }

    private func xAxis(
        _ b: inout Buffer, _ plot: Rect, _ row: Int, _ x0: Double, _ x1: Double, expanded: Bool, glyphs: Glyphs
    ) {
        func column(_ v: Double) -> Int { plot.x + Int(((v - x0) / (x1 - x0) * Double(plot.width - 1)).rounded()) }
        let count = max(2, plot.width / 10)
        let values = logX ? Ticks.logWithin(x0, x1, count: count) : Ticks.within(x0, x1, count: count)
        // Markers first: a tick label never hides one (nor, on an expanded chart, its label).
        let end = plot.x + plot.width
        let marks = markers.filter { $0.x >= x0 && $0.x <= x1 }.map { (column($0.x), $0.label) }
        var taken = Set<Int>()
        for (i, (c, label)) in marks.enumerated() {
            let next = i + 1 < marks.count ? marks[i + 1].0 : end
            let labelEnd = expanded ? min(c + 1 + label.count, next - 1, end) : c + 1
            taken.formUnion(c..<max(labelEnd, c + 1))
        }
        var free = plot.x - Self.axisWidth + 1
        b.put(xLabel, x: free, y: row, Style(.gray))
        free += xLabel.count + 1
        for (v, label) in zip(values, NumberFormat.ticks(values.map { logX ? pow(10, $0) : $0 })) {
            let c = column(v)
            let start = c == plot.x ? c : min(c - label.count / 2, end - label.count)
            guard start >= free, !(start - 1...(start + label.count)).contains(where: taken.contains) else { continue }
            b.put(label, x: start, y: row, Style(.gray))
            free = start + label.count + 1
        }
        for (i, (c, label)) in marks.enumerated() {
            b.put(glyphs.unicode ? "▲" : "^", x: c, y: row, Style(.orange, bold: true))
            let next = i + 1 < marks.count ? marks[i + 1].0 : end
            if expanded {
                b.putClipped(label, x: c + 1, y: row, Style(.orange), width: min(next - 1, end) - c - 1, glyphs: glyphs)
            }
        }
    }

    /// A label shortened for a small plot: symmetry names abbreviated (fc1-fc2.balance → fc1-2.bal),
    /// then cut with an ellipsis.
    static func abbreviated(_ label: String, to width: Int) -> String {
        guard label.count > width else { return label }
        let s = shortened(label)
        return s.count <= width ? s : String(s.prefix(max(1, width - 1))) + "…"
    }

    /// A name with its symmetry abbreviated (fc1-fc2.balance → fc1-2.bal, bn1-fc2.rescale →
    /// bn1-fc2.resc), the same way wherever a name must be short.
    static func shortened(_ label: String) -> String {
        var s = label
        for (long, short) in [(".balance", ".bal"), (".rescale", ".resc"), (".scale", ".sc"), (".translation", ".tr")] {
            s = s.replacingOccurrences(of: long, with: short)
        }
        // "fc1-fc2" → "fc1-2": the second layer's prefix repeats the first's.
        if let r = s.range(of: #"([a-z]+)(\d+)-\1(\d+)"#, options: .regularExpression) {
            let pair = String(s[r])
            let parts = pair.split(separator: "-")
            let prefix = parts[0].prefix { !$0.isNumber }
            s.replaceSubrange(r, with: parts[0] + "-" + parts[1].dropFirst(prefix.count))
        }
        return s
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
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
