import Foundation
import NoetherCore

/// `E`: the focused chart as a publication figure. The panel's line chart (ChartView.chart), as
/// it is drawn now (time axis, recent window, log axis, chosen family), becomes a Plot and is
/// drawn by the same code as `sweep show` and `run --svg`: measured curves as thick lines with
/// markers (with the band the chart shades), the theory's curves thin and dashed, axis labels
/// from the vocabulary, a title naming the family, and the run's preset and parameters under it.
/// Colours are the screen's (both are Okabe and Ito's palette).
public enum ChartFigure {
    /// The room the chart is laid out in for the figure: an expanded panel, so nothing is left
    /// out for lack of space (the charge chart's band needs 16 rows).
    static let room = Rect(x: 0, y: 0, width: 160, height: 48)

    /// The figure of panel `id`, or why it has none.
    public static func plot(_ id: String, _ s: Snapshot, _ state: AppState) -> Result<Plot, PlotError> {
        guard let view = ChartRegistry.chart(id) else {
            return .failure(PlotError(message: "no panel '\(id)'"))
        }
        var context = ChartContext(snapshot: s, state: state, glyphs: Glyphs(unicode: true))
        context.focused = true
        context.expanded = true
        guard let chart = view.chart(context, room) else {
            let charts = ChartRegistry.available(s).filter { $0.chart(context, room) != nil }.map(\.id)
            return .failure(
                PlotError(
                    message:
                        "the \(id) panel has no figure form: E exports a line chart (here: \(charts.joined(separator: ", "))); S saves the whole screen"
                ))
        }
        return .success(plot(chart, s))
    }

    /// A line chart as a Plot.
    static func plot(_ chart: Chart, _ s: Snapshot) -> Plot {
        let xLabel =
            switch chart.xLabel {
            case "step": Vocabulary.label("step")
            case "t=Ση": "t = Ση"
            default: chart.xLabel
            }
        let measured = chart.series.filter { !$0.isTheory && !$0.ghost && $0.mark != .band && !$0.points.isEmpty }
        let band = chart.series.first { $0.mark == .band && !$0.upper.isEmpty }
        let theory = chart.series.filter(\.isTheory)
        let ghosts = chart.series.contains { $0.ghost && !$0.points.isEmpty }
        let live = s.live
        var plot = Plot(
            title: (chart.figure?.title ?? chart.title) + " against " + xLabel,
            subtitle: "\(s.title.isEmpty ? "explorer" : s.title): \(Vocabulary.label("lr")) = "
                + "\(Spread.significant(live.learningRate, 3)), \(Vocabulary.label("weight_decay")) = "
                + "\(Spread.significant(live.weightDecay, 3)), \(Vocabulary.label("momentum")) = "
                + "\(Spread.significant(live.momentum, 3)); step \(s.step)",
            caption: "Thick lines with markers: measured"
                + (band.map { "; shaded: its \($0.name) range over the family's groups" } ?? "")
                + (theory.isEmpty ? "" : "; thin dashed lines: what the theory predicts")
                + (ghosts ? "; the ghost run (after a fork) is not drawn" : "")
                + ". Exported from the noether explorer at step \(s.step).",
            xLabel: xLabel, yLabel: chart.figure?.yLabel ?? "")
        plot.logX = chart.logX
        plot.logY = chart.logY
        // The band belongs to the first measured curve (the charge chart's median and its 10–90 %).
        let low = band.map { Dictionary($0.points.map { ($0.x, $0.y) }, uniquingKeysWith: { a, _ in a }) } ?? [:]
        let high = band.map { Dictionary($0.upper.map { ($0.x, $0.y) }, uniquingKeysWith: { a, _ in a }) } ?? [:]
        for (k, series) in measured.enumerated() {
            let banded = k == 0 && band != nil
            let points = series.points.map { p in
                Plot.Point(x: p.x, y: p.y, low: banded ? low[p.x] : nil, high: banded ? high[p.x] : nil)
            }
            plot.lines.append(
                Plot.Line(
                    label: series.name + (banded ? " (\(band!.name) band)" : ""),
                    // Points without a latest value are a scatter (the phase portrait's neurons); a
                    // time series drawn in points is still a curve.
                    style: series.mark == .points && !series.showsValue ? .scatter : .band, points: points,
                    colour: colour(series.color)))
        }
        let xs = chart.series.flatMap { $0.points.map(\.x) }
        for (d, series) in theory.enumerated() {
            var points = series.points.map { Plot.Point(x: $0.x, y: $0.y) }
            // A guide y = slope·x across the data (a straight line on log axes too).
            if points.isEmpty, let slope = chart.guides.first(where: { $0.series.name == series.name })?.slope,
                slope > 0, let lo = xs.filter({ !chart.logX || $0 > 0 }).min(), let hi = xs.max()
            {
                points = [Plot.Point(x: lo, y: slope * lo), Plot.Point(x: hi, y: slope * hi)]
            }
            guard !points.isEmpty else { continue }
            var line = Plot.Line(
                label: "theory: " + series.name.trimmingCharacters(in: CharacterSet(charactersIn: " =")),
                style: .theory,
                points: points, colour: colour(series.color))
            line.dash = Plot.dashes[d % Plot.dashes.count]
            plot.lines.append(line)
        }
        return plot
    }

    /// The figure palette's index of a screen colour (grey and the rest: black).
    static func colour(_ c: Color) -> Int {
        switch c {
        case .blue: 0
        case .vermillion: 1
        case .green: 2
        case .purple: 3
        case .orange: 4
        case .sky: 5
        default: 6
        }
    }

    /// Writes the focused chart's figure as `noether-chart-<id>-DATE-TIME.svg` into `directory`,
    /// never over an existing file (a second export in the same second gets `-2`, `-3`, …).
    /// Returns the file name.
    public static func save(_ plot: Plot, id: String, in directory: URL, at date: Date = Date()) throws -> String {
        let base = "noether-chart-\(id)-" + ScreenExport.timestamp(date)
        var n = 1
        while true {
            let url = directory.appendingPathComponent((n == 1 ? base : "\(base)-\(n)") + ".svg")
            if FileManager.default.fileExists(atPath: url.path) {
                n += 1
                continue
            }
            // withoutOverwriting: a file that appeared meanwhile is never replaced.
            try Data(plot.svg().utf8).write(to: url, options: .withoutOverwriting)
            return url.lastPathComponent
        }
    }
}
