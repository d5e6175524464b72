import NoetherCore

/// One row per charge family. The residual column always stays; narrower panels drop the less
/// important columns first, wider ones add the quantiles and predictions.
struct TableChart: ChartView {
    let id = "table"
    let summary = "charges by family: count, dead, median, Γ/Q₀, exact residual"
    func hasContent(_ s: Snapshot) -> Bool { true }

    struct Column: Sendable {
        var header: String
        var width: Int
        /// Lower goes first when room is short.
        var priority: Int
        var value: @Sendable (FamilySummary, Snapshot) -> String
        init(header: String, width: Int, priority: Int, value: @escaping @Sendable (FamilySummary) -> String) {
            self.init(header: header, width: width, priority: priority) { f, _ in value(f) }
        }
        init(header: String, width: Int, priority: Int, value: @escaping @Sendable (FamilySummary, Snapshot) -> String)
        {
            self.header = header
            self.width = width
            self.priority = priority
            self.value = value
        }
    }

    static let columns: [Column] = [
        Column(header: "n", width: 4, priority: 9) { "\($0.count)" },
        Column(header: "dead", width: 5, priority: 8) { "\(HealthVerdict.lost($0))" },
        Column(header: "residual", width: 9, priority: 10) { NumberFormat.compact($0.residualMax) },
        Column(header: "median", width: 9, priority: 6) { NumberFormat.compact($0.q50) },
        Column(header: "Γ/Q₀", width: 9, priority: 7) { NumberFormat.compact($0.gapRatioMedian) },
        Column(header: "q10", width: 9, priority: 3) { NumberFormat.compact($0.q10) },
        Column(header: "q90", width: 9, priority: 3) { NumberFormat.compact($0.q90) },
        Column(header: "exact", width: 9, priority: 4) { NumberFormat.compact($0.predictedMedian) },
        Column(header: "Q⁽⁰⁾", width: 9, priority: 2) { NumberFormat.compact($0.referenceMedian) },
        Column(header: "NM", width: 9, priority: 2) { NumberFormat.compact($0.continuumMedian) },
        Column(header: "NM err", width: 9, priority: 5) { f, s in
            // How far the continuum is from the measurement, on the scale of the exact residual.
            s.charges.worstContinuumError(family: f.family).map(NumberFormat.compact) ?? "–"
        },
        // F/Q divides by the current charge: no value once the charge has collapsed.
        Column(header: "F/Q", width: 9, priority: 1) { NumberFormat.ratio($0.kineticRateMedian, over: $0.q50) },
        // P/Q: 2ηλ for a quadratic charge, ηλ for a linear one (translation), so not headed "2ηλ".
        Column(header: "P/Q", width: 9, priority: 1) { NumberFormat.compact($0.potentialRate) },
    ]

    /// The columns that fit beside a family name of at least `nameWidth`, in display order.
    static func fitting(_ width: Int, nameWidth: Int = 8) -> [Column] {
        var budget = width - nameWidth
        var keep = Set<String>()
        for c in columns.sorted(by: { $0.priority > $1.priority }) where c.width <= budget {
            keep.insert(c.header)
            budget -= c.width
        }
        return columns.filter { keep.contains($0.header) }
    }

    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext) {
        let s = c.snapshot
        r.frame(&b, title: "charges by family", focused: c.focused, glyphs: c.glyphs)
        let inner = r.inner
        guard inner.width > 4, inner.height > 1 else { return }
        let longest = s.families.map(\.family.count).max() ?? 6
        // Family names stay whole where the count, dead and residual columns still fit beside them.
        let whole = Self.fitting(inner.width, nameWidth: max(longest + 1, 7))
        let cols = whole.count(where: { $0.priority >= 8 }) == 3 ? whole : Self.fitting(inner.width)
        let nameWidth = min(max(longest + 1, 7), inner.width - cols.map(\.width).reduce(0, +))
        func row(_ y: Int, _ name: String, _ cells: [String], _ style: Style, residualStyle: Style? = nil) {
            var x = inner.x
            b.putClipped(name, x: x, y: y, style, width: nameWidth - 1, glyphs: c.glyphs)
            x += nameWidth
            for (col, text) in zip(cols, cells) {
                let st = col.header == "residual" ? residualStyle ?? style : style
                b.put(String(text.prefix(col.width - 1)).leftPad(col.width), x: x, y: y, st)
                x += col.width
            }
        }
        row(inner.y, "family", cols.map(\.header), Style(bold: true))
        for (i, f) in s.families.enumerated() where i + 1 < inner.height {
            let ok = f.residualMax <= HealthVerdict.exactTolerance
            row(
                inner.y + 1 + i, f.family, cols.map { $0.value(f, s) }, .plain,
                residualStyle: Style(ok ? .green : .orange))
        }
        neurons(&b, inner, c, from: inner.y + 2 + s.families.count)
        if s.families.count + 1 > inner.height {
            b.put(c.glyphs.ellipsis, x: inner.x, y: inner.y + inner.height - 1, Style(.gray))
        }
        if s.families.isEmpty {
            for (i, line) in s.notes.flatMap({ Screen.wrap($0, inner.width) }).enumerated() where i + 1 < inner.height {
                b.put(line, x: inner.x, y: inner.y + 1 + i, Style(.gray))
            }
        }
    }

    /// With room to spare, one row per neuron of the chosen family (charge, Γ/Q₀, residual, dead).
    private func neurons(_ b: inout Buffer, _ inner: Rect, _ c: ChartContext, from top: Int) {
        guard let f = c.family, inner.y + inner.height - top >= 4, inner.width >= 40 else { return }
        let groups = c.snapshot.charges.filter { $0.family == f.family }
        b.putClipped(
            "neurons of \(f.family)", x: inner.x, y: top, Style(bold: true), width: inner.width, glyphs: c.glyphs)
        let header = "     #" + ["Q", "Γ/Q₀", "residual"].map { $0.leftPad(10) }.joined()
        b.putClipped(header, x: inner.x, y: top + 1, Style(bold: true), width: inner.width, glyphs: c.glyphs)
        let rows = inner.y + inner.height - top - 2
        for (i, g) in groups.prefix(rows).enumerated() {
            // Dead (no gradient) or collapsed, as the simulator flags them for screen and exports alike.
            let dead = g.dead || g.collapsed
            let text =
                "\(i)".leftPad(6)
                + [g.value, g.gapRatio, g.residual].map { NumberFormat.compact($0).leftPad(10) }.joined()
                + (dead ? "  dead" : "")
            let last = i == rows - 1 && groups.count > rows
            b.putClipped(
                last ? "     \(c.glyphs.ellipsis) \(groups.count - i) more" : text, x: inner.x, y: top + 2 + i,
                dead ? Style(.vermillion) : .plain, width: inner.width, glyphs: c.glyphs)
        }
    }
}
