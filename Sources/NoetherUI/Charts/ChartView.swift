import NoetherCore

/// One panel of the explorer. A new view is one type conforming to this, added to `ChartRegistry`.
public protocol ChartView: Sendable {
    /// Stable name used by focus, narration (`focus = "charge"`) and the help page.
    var id: String { get }
    /// What the panel shows, for the help page.
    var summary: String { get }
    /// Whether this model gives the panel anything to show; panels without give their room away.
    func hasContent(_ s: Snapshot) -> Bool
    func render(into b: inout Buffer, _ r: Rect, _ c: ChartContext)
    /// The panel's line chart as drawn in `r`, which `E` exports as a figure (ChartFigure.swift);
    /// nil for a panel that is not a line chart (a table, a heatmap, the data).
    func chart(_ c: ChartContext, _ r: Rect) -> Chart?
}

extension ChartView {
    public func chart(_ c: ChartContext, _ r: Rect) -> Chart? { nil }
}

/// The one list of panels: focus order, layout order, help text and narration ids.
public enum ChartRegistry {
    public static let all: [any ChartView] = [
        LossChart(), NeuronChart(), KernelChart(), SharpnessChart(), NormsChart(), ChargeChart(), GapChart(),
        NormalizationChart(),
        TableChart(),
        HeatmapChart(), PhaseChart(), RatesChart(),
        DataChart(),
    ]
    public static var ids: [String] { all.map(\.id) }

    public static func chart(_ id: String) -> (any ChartView)? { all.first { $0.id == id } }

    /// The panels with something to show for this run, in registry order.
    public static func available(_ s: Snapshot) -> [any ChartView] { all.filter { $0.hasContent(s) } }

    /// The next (or previous) panel with content after `id`.
    public static func next(after id: String, _ s: Snapshot, by delta: Int = 1) -> String {
        let ids = available(s).map(\.id)
        guard !ids.isEmpty else { return id }
        guard let i = ids.firstIndex(of: id) else { return ids[0] }
        return ids[(i + delta + ids.count) % ids.count]
    }
}

/// Everything a panel needs to draw itself: the data, the view state, and the time axis.
public struct ChartContext {
    public var snapshot: Snapshot
    public var state: AppState
    public var glyphs: Glyphs
    public var focused = false
    public var expanded = false

    public init(snapshot: Snapshot, state: AppState, glyphs: Glyphs) {
        self.snapshot = snapshot
        self.state = state
        self.glyphs = glyphs
    }

    var history: History { snapshot.history }

    /// Steps, or the theory's t = Σ η when the t axis is on.
    func axis(_ step: Double) -> Double { state.timeAxis ? history.time.t(at: Int(step)) : step }

    /// A series of the history (the front run's, or `run`'s) in axis units.
    public func points(_ key: SeriesKey, of run: History? = nil) -> [(x: Double, y: Double)] {
        ((run ?? history)[key]?.points(recentOnly: state.recentWindow) ?? []).map { (axis($0.x), $0.y) }
    }

    /// The axis spans the run's planned length, or the current step once past it.
    public var xMax: Double { axis(Double(max(snapshot.targetSteps, snapshot.step, 1))) }

    /// A series of the history, keyed so that a ghost run's copy can be drawn beside it.
    func series(_ name: String, _ color: Color, _ mark: Mark, _ key: SeriesKey) -> ChartSeries {
        var s = ChartSeries(name, color, mark, points(key))
        s.key = key
        return s
    }

    /// After forks, each ghost's copy of every keyed series (a sparse dimmed mark, labelled
    /// "<ghost> <name>" at its end so it stays visible on a projector) and one legend entry per
    /// ghost that names the series it gives the value of.
    func ghostSeries(_ series: [ChartSeries]) -> [ChartSeries] {
        snapshot.ghosts.flatMap { ghost -> [ChartSeries] in
            let copies = series.compactMap { s -> ChartSeries? in
                guard let key = s.key, !s.ghost else { return nil }
                var copy = ChartSeries("", s.color, .faint, points(key, of: ghost.history))
                copy.label = s.directLabel.isEmpty ? "" : ghost.name + " " + s.directLabel
                return copy
            }
            guard let first = copies.first, let firstName = series.first(where: { $0.key != nil })?.directLabel
            else { return [] }
            // One legend entry for the ghost, with its value of the chart's first curve.
            let value = first.points.last.map { " " + NumberFormat.compact($0.y) } ?? ""
            var legend = ChartSeries(ghost.name + " " + firstName + value, .gray, .faint, [])
            legend.showsValue = false
            return copies + [legend]
        }
    }

    /// Beside named ghosts, a named front run's measured curves carry its name too ("R=-2 a"),
    /// in their labels and in the first legend entry, so no run is the unnamed one.
    func frontSeries(_ series: [ChartSeries]) -> [ChartSeries] {
        guard let name = snapshot.frontName else { return series }
        var named = false
        return series.map { s in
            guard s.key != nil, !s.ghost, !s.isTheory, !s.directLabel.isEmpty else { return s }
            var s = s
            s.label = name + " " + s.directLabel
            if !named {
                s.name = name + " " + s.name
                named = true
            }
            return s
        }
    }

    /// A line chart wired to the time axis, markers, log and smoothing state of this panel.
    func lineChart(_ id: String, title: String, _ series: [ChartSeries], status: (text: String, color: Color)? = nil)
        -> Chart
    {
        var chart = Chart(
            title: title, series: frontSeries(series) + ghostSeries(series), xMax: xMax, logY: state.logY.contains(id),
            smoothing: state.smoothing, status: status)
        chart.xLabel = state.timeAxis ? "t=Ση" : "step"
        chart.yAxis = state.yAxis[id] ?? .honest
        chart.markers = snapshot.markers.map { (axis(Double($0.step)), $0.label) }
        if state.recentWindow, let recent = history[.loss]?.recentInOrder, let first = recent.first,
            let last = recent.last
        {
            // The recent window spans its own samples.
            chart.xMin = axis(Double(first.step))
            chart.xMax = axis(Double(last.step))
        }
        return chart
    }

    /// The family on the charge, heatmap and phase panels (cycled with `c`, or set by narration).
    public var family: FamilySummary? { Self.family(snapshot, state) }

    static func family(_ s: Snapshot, _ state: AppState, where keep: (FamilySummary) -> Bool = { _ in true })
        -> FamilySummary?
    {
        guard !s.families.isEmpty else { return nil }
        let chosen = s.families[state.familyIndex % s.families.count]
        return keep(chosen) ? chosen : s.families.first(where: keep)
    }

    /// The scale family on the normalization and phase panels: the chosen one if it is a scale family.
    var scaleFamily: FamilySummary? { Self.family(snapshot, state, where: { $0.symmetry.hasAngularStep }) }

    static func hasScaleCharges(_ s: Snapshot) -> Bool { s.families.contains { $0.symmetry.hasAngularStep } }

    /// "dead 18/32" when any group of the family is lost (dead or collapsed).
    static func deadLabel(_ f: FamilySummary) -> String? {
        HealthVerdict.lost(f) > 0 ? "dead \(HealthVerdict.lost(f))/\(f.count)" : nil
    }
}
