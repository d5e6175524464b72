import ArgumentParser
import Foundation
import NoetherCore

extension PlotKind: ExpressibleByArgument {}
extension ErrorKind: ExpressibleByArgument {}

struct SweepShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Draw a quantity of a results database: a line plot, a heatmap or every run.",
        discussion: """
            The plot follows the swept keys (seed aside, its runs are averaged): over one key a line plot, \
            each point the mean over seeds with an error bar (--error), one line per value of --by; over \
            two keys a heatmap (the terminal view prints every cell's number). --plot overrides the choice. \
            Where the theory predicts the quantity its prediction is drawn dashed beside it, and --theory \
            adds any expression of the axis keys, e.g. --theory "sqrt(2*lr*weight_decay/(1+0.5))". \
            Quantities: \(SweepQuantity.all.map(\.name).joined(separator: ", ")) (or any name docs/FIELDS.md \
            lists for them). rms_angle_ratio is the measured RMS angle over √(2ηλ/(1+β)); gap_ratio_per_lr \
            is Γ/(Q₀η). --curves draws a time series (--series-every) against step or t = ηk instead.
            """)
    @Argument(help: "The results database.") var database: String
    @Option(help: "The key along x (default: the first swept key besides seed).") var x: String?
    @Option(help: "The key along y of a heatmap (default: the second swept key besides seed).") var y: String?
    @Option(help: "One line per value of this key.") var by: String?
    @Option(help: "The quantity.") var value: String
    @Option(help: "The charge family of a per-family quantity (default: the first scale family, else the first).")
    var family: String?
    @Option(help: "line, heatmap or scatter (default: from the swept keys).") var plot: PlotKind?
    @Option(help: "Error bars: std, sem (standard error of the mean) or ci95.") var error = ErrorKind.sem
    @Flag(inversion: .prefixedNo, help: "A log x axis (default: when the values come from a log range).") var logX:
        Bool?
    @Flag(inversion: .prefixedNo, help: "A log y axis (default: when the values span over 20×).") var logY: Bool?
    @Option(help: "A theory line: an expression of the axis keys (numbers, + - * / ^, sqrt, exp, log, log10, abs).")
    var theory: String?
    @Flag(help: "Curves of the time series against step or t (needs a sweep run with --series-every).") var curves =
        false
    @Option(help: "With --curves: step or time (t = ηk; the default with --by lr).") var along: String?
    @Option(help: "With --curves: fix another swept key, KEY=VALUE (repeatable).") var at: [String] = []
    @Option(help: "Write the figure as SVG.") var svg: String?
    @Option(help: "Write the figure as PDF (converted from the SVG by rsvg-convert).") var pdf: String?
    @Option(help: "Write the figure as PNG (converted from the SVG by rsvg-convert).") var png: String?
    @Option(
        help:
            "Write a Python script (pandas + matplotlib) that draws the same figure (also --curves) from the database.")
    var script: String?
    @Flag(
        help:
            "A table of the points (mean ± spread, n, theory) instead of the terminal view; with --curves, every curve's points."
    ) var table = false
    @Flag(help: "ASCII characters only (automatic when the locale is not UTF-8).") var ascii = false
    @Flag(help: "No colours (also NO_COLOR, and whenever the output is not a terminal).") var noColor = false

    func validate() throws {
        if let along, along != "step", along != "time" {
            throw ValidationError("--along must be step or time, got \(along)")
        }
        if curves, plot != nil || y != nil {
            throw ValidationError("--curves draws lines over time: leave out --plot and --y")
        }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: database) else {
            throw RunFailure("\(database): no such results database")
        }
        let files = FigureFiles(svg: svg, pdf: pdf, png: png)
        try DistinctPaths.check(outputs: files.outputs + [("--script", script)], inputs: [("the database", database)])
        let db: ResultsDatabase
        do { db = try ResultsDatabase(path: database, readOnly: true) } catch { throw RunFailure("\(error)") }
        if curves { return try drawCurves(db, files) }
        let swept: [String]
        do { swept = try db.sweptKeys() } catch { throw RunFailure("\(error)") }
        // The keys to draw over: seed (repeats) and the --by key aside.
        let free = swept.filter { $0 != "seed" && $0 != by.map(ResultsDatabase.column(of:)) }
        guard let xKey = x ?? free.first else {
            throw RunFailure(
                "\(database): no swept key besides seed to draw over; give --x KEY (the swept keys: \(swept.joined(separator: ", ")))"
            )
        }
        var kind = plot ?? .line
        var second = by ?? y
        if plot == nil, by == nil {
            if y != nil {
                kind = theory == nil ? .heatmap : .line
            } else if x == nil || free.count > 1 {
                let rest = free.filter { $0 != ResultsDatabase.column(of: xKey) }
                if rest.count > 1 {
                    throw RunFailure(
                        "\(database): \(rest.count + 1) keys are swept besides seed (\(([xKey] + rest).joined(separator: ", "))); pick --x and --y (a heatmap) or --by (lines)"
                    )
                }
                // Over two keys a heatmap; with a theory expression, lines (a heatmap has no place for it).
                if let r = rest.first { (kind, second) = (theory == nil ? .heatmap : .line, r) }
            }
        } else if kind == .line || kind == .scatter, second == nil, x == nil {
            second = free.dropFirst().first
        }
        var diagram: PhaseDiagram
        do { diagram = try db.phaseDiagram(x: xKey, y: second, quantity: value, family: family) } catch {
            throw RunFailure("\(error)")
        }
        // A heatmap needs numbers on both axes; names (norm = batch, layer) become lines.
        if plot == nil, kind == .heatmap, diagram.yValues.contains(where: { $0.number == nil }) { kind = .line }
        if kind != .heatmap, diagram.xValues.contains(where: { $0.number == nil }) {
            throw RunFailure("\(xKey) takes names, not numbers: draw it as --by \(xKey) or --plot heatmap")
        }
        var expression: (TheoryExpression, text: String)?
        if let theory {
            let variables = [xKey] + (second.map { [$0] } ?? [])
            do {
                expression = (
                    try TheoryExpression.parse(theory, variables: variables.map(ResultsDatabase.column(of:))), theory
                )
            } catch { throw RunFailure("--theory \"\(theory)\": \(error)") }
            if kind == .heatmap { throw RunFailure("--theory draws a line: use it with a line plot (--plot line)") }
        }
        let linePlot = diagram.linePlot(
            error: error, scatter: kind == .scatter, logX: logX, logY: logY, expression: expression)
        // The note first: it goes to standard error, which is not buffered.
        if let note = diagram.choiceNote {
            FileHandle.standardError.write(Data("noether: \(note) (--family picks another)\n".utf8))
        }
        if table || kind != .heatmap {
            // ± is not ASCII: a terminal without UTF-8 (or --ascii) gets +-.
            let text = diagram.table(error: error)
            print(
                !ascii && Explorer.localeAsksUTF8() ? text : text.replacingOccurrences(of: "±", with: "+-"),
                terminator: "")
        } else {
            let color = !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(1) == 1
            print(diagram.text(unicode: !ascii && Explorer.localeAsksUTF8(), color: color), terminator: "")
        }
        if files.any { try files.write(kind == .heatmap ? diagram.svg(error: error) : linePlot.svg()) }
        if let script {
            let text = diagram.script(
                database: database, kind: kind, error: error, logX: linePlot.logX, logY: linePlot.logY,
                expression: expression)
            do { try OutputFile.write(text, to: script) } catch { throw RunFailure("--script \(error)", code: 1) }
        }
    }

    private func drawCurves(_ db: ResultsDatabase, _ files: FigureFiles) throws {
        let axis = along ?? (by.map(ResultsDatabase.column(of:)) == "lr" ? "time" : "step")
        let fixed = try at.map { item -> (key: String, value: Double) in
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let v = Double(parts[1]) else {
                throw RunFailure("--at \(item): give KEY=NUMBER, e.g. --at weight-decay=0.004")
            }
            return (parts[0], v)
        }
        let selection: CurvePlot.Selection
        var curvesPlot: Plot
        do {
            selection = try CurvePlot.select(db, value: value, family: family, by: by, x: axis, at: fixed)
            curvesPlot = try CurvePlot.plot(db, selection, error: error)
        } catch {
            throw RunFailure("\(error)")
        }
        if let logY { curvesPlot.logY = logY }
        if let logX { curvesPlot.logX = logX }
        if let note = curvesPlot.subtitle {
            FileHandle.standardError.write(Data("noether: \(note) (--family picks another)\n".utf8))
        }
        if table {
            let text = CurvePlot.table(curvesPlot, selection, error: error)
            print(
                !ascii && Explorer.localeAsksUTF8() ? text : text.replacingOccurrences(of: "±", with: "+-"),
                terminator: "")
        } else {
            for line in curvesPlot.lines where line.style == .band {
                let last = line.points.last
                print(
                    "\(line.label): \(line.points.count) points"
                        + (last.map {
                            ", last at \(Vocabulary.label(axis)) = \(Spread.significant($0.x, 4)): \(Spread.significant($0.y, 4))"
                        } ?? ""))
            }
        }
        if files.any { try files.write(curvesPlot.svg()) }
        if let script {
            let text = CurvePlot.script(curvesPlot, selection, database: database, error: error)
            do { try OutputFile.write(text, to: script) } catch { throw RunFailure("--script \(error)", code: 1) }
        }
    }
}
