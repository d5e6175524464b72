import Foundation
import NoetherCore
import Testing
@testable import NoetherUI

/// Renders a chart into a fresh buffer and returns its lines (trailing spaces trimmed).
func frame(_ chart: Chart, width: Int, height: Int, unicode: Bool = true, expanded: Bool = false) -> [String] {
    var b = Buffer(width: width, height: height)
    chart.render(
        into: &b, Rect(x: 0, y: 0, width: width, height: height), focused: false, expanded: expanded,
        glyphs: Glyphs(unicode: unicode))
    return b.lines
}

@Suite("Numbers on screen")
struct NumberTests {
    @Test func subnormalsShowAsZero() {
        #expect(NumberFormat.compact(9.4e-123) == "9.4e-123")  // normal, if tiny: kept
        #expect(NumberFormat.compact(2.5e-321) == "0")
        #expect(NumberFormat.compact(-1e-310) == "0")
        #expect(NumberFormat.tick(2.5e-321) == "0")
        #expect([1e-4, 1.5e-5, -2.5e-7, 2e9].map(NumberFormat.tick) == ["1e-4", "1.5e-5", "-2.5e-7", "2e9"])
    }

    /// A legend value and an axis tick write an exponent the same way: 2.9e-4 beside 5e-4.
    @Test func legendValuesWriteExponentsAsTicksDo() {
        #expect(
            [2.9e-4, 5e-4, -1.23e-5, 8.5e-15, 1.5e10].map(NumberFormat.compact) == [
                "2.9e-4", "5e-4", "-1.2e-5", "8.5e-15", "1.5e10",
            ])
        for v in [5e-4, 2e-5, 1e-7, 2e9] { #expect(NumberFormat.compact(v) == NumberFormat.tick(v)) }
        #expect(NumberFormat.compact(0.00326) == "0.00326")  // no exponent from 1e-3 up
    }

    @Test func ratioWithCollapsedDenominatorHasNoValue() {
        #expect(NumberFormat.ratio(0.25, over: 1e-320) == "–")
        #expect(NumberFormat.ratio(0.25, over: 0) == "–")
        #expect(NumberFormat.ratio(0.25, over: 4) == "0.25")
    }

    @Test func stepsPerSecondReadsOneWay() {
        #expect(NumberFormat.rate(5590.4) == "5,590 steps/s")
        #expect(NumberFormat.rate(22_200) == "22.2k steps/s")
        #expect(NumberFormat.rate(125) == "125 steps/s")
        #expect(NumberFormat.rate(1_234_567) == "1.2M steps/s")
    }

    @Test func ticksAreRoundAndInsideTheRange() {
        #expect(Ticks.within(0, 1200, count: 3) == [0, 500, 1000])
        #expect(Ticks.within(0, 120_000, count: 3) == [0, 50_000, 100_000])
        #expect(Ticks.within(0.13, 0.97, count: 4) == [0.2, 0.4, 0.6, 0.8])
        #expect(Ticks.within(0, 1200, count: 3).map(NumberFormat.tick) == ["0", "500", "1k"])
        #expect([0, 50_000, 100_000, 1_500_000].map(NumberFormat.tick) == ["0", "50k", "100k", "1.5M"])
        #expect(Ticks.logWithin(-5, 2.5, count: 4) == [-5, -3, -1, 1])
    }

    @Test func oneAxisUsesOneNotation() {
        // 0.002 beside 5e-4 would read as two scales: once one label needs an exponent, all have one.
        #expect(NumberFormat.ticks([0, 5e-4, 1e-3, 1.5e-3, 2e-3]) == ["0", "5e-4", "1e-3", "1.5e-3", "2e-3"])
        #expect(NumberFormat.ticks([0.2, 0.4, 0.6]) == ["0.2", "0.4", "0.6"])
        #expect(NumberFormat.ticks([500, 1000, 1500]) == ["500", "1k", "1.5k"])
        // A narrow range keeps its labels apart with the decimals its spacing needs.
        #expect(NumberFormat.ticks([1.136, 1.138, 1.14, 1.142]) == ["1.136", "1.138", "1.140", "1.142"])
    }
}

@Suite("Chart frames")
struct ChartFrameTests {
    /// y = x/10 measured (line) and y = 5 exact (sparse dots), x in 0…100 of a 200-step run.
    var chart: Chart {
        let measured = (0...100).map { (x: Double($0), y: Double($0) / 10) }
        let flat = (0...100).map { (x: Double($0), y: 5.0) }
        var c = Chart(
            title: "Q",
            series: [
                ChartSeries("measured", .blue, .line, measured),
                ChartSeries("exact", .orange, .dots, flat),
            ], xMax: 200)
        c.markers = [(x: 100, label: "lr 0.2")]
        return c
    }

    @Test func asciiFrameShowsEverySeriesByItsMarkTicksLabelsAndMarker() {
        // Each curve named at its end; the tick at 100 gives way to the marker there.
        let b = Golden.chart(chart, width: 36, height: 10, unicode: false)
        Golden.check(b, "chart-ascii-two-series")
        #expect(
            b.lines.contains { $0.contains("***measured") }
                && b.lines.contains { $0.contains("exact") && !$0.contains("..") })
    }

    @Test func expandedChartLabelsItsMarkers() {
        let lines = frame(chart, width: 36, height: 10, unicode: false, expanded: true)
        #expect(lines[8] == "| step   0            ^lr 0.2   200|")
    }

    @Test func unicodeLegendUsesLineStylesAndGivesEveryValue() {
        Golden.check(Golden.chart(chart, width: 36, height: 10), "chart-unicode-two-series", styles: true)
    }

    @Test func timeAxisSpansThePlannedRunFromZero() {
        // A run planned for 1200 steps, 40 steps in: ticks of round steps from 0 to the plan; the
        // 40 steps fill the first thirtieth of the plot, not the whole of it.
        let pts = (0...40).map { (x: Double($0), y: Double($0)) }
        let b = Golden.chart(
            Chart(title: "loss", series: [ChartSeries("loss", .blue, .line, pts)], xMax: 1200),
            width: 50, height: 8, unicode: false)
        Golden.check(b, "chart-time-axis")
        #expect(!b.lines.joined().contains("e+"))
    }

    @Test func titleTooLongEndsInEllipsisAndStatusStaysWhole() {
        var c = Chart(
            title: "a title much longer than the panel", series: [], xMax: 1,
            status: (text: "✔ exact 2e-13", color: .green))
        c.series = []
        let lines = frame(c, width: 40, height: 6)
        #expect(lines[0] == "┌─ a title much longe…─ ✔ exact 2e-13 ─┐")
        // A shorter border keeps the verdict and drops its number.
        #expect(frame(c, width: 26, height: 6)[0] == "┌─ a title mu…─ ✔ exact ─┐")
        // A short title is used before the long one is cut.
        c.shortTitle = "short"
        #expect(frame(c, width: 40, height: 6)[0] == "┌─ short ────────────── ✔ exact 2e-13 ─┐")
    }

    @Test func legendGivesEveryEntryWithItsValueOnAsManyLinesAsItNeeds() {
        let pts = (0...10).map { (x: Double($0), y: Double($0)) }
        let c = Chart(
            title: "Q",
            series: [
                ChartSeries("median", .blue, .line, pts), ChartSeries("exact", .orange, .dots, pts),
                ChartSeries("Q⁽⁰⁾", .purple, .dashes, pts), ChartSeries("NM", .sky, .dashDot, pts),
            ], xMax: 10)
        Golden.check(Golden.chart(c, width: 30, height: 12), "chart-legend-two-lines")
        // Too short for two lines: one, ending in an ellipsis where entries were left out.
        Golden.check(Golden.chart(c, width: 30, height: 7), "chart-legend-cut")
    }

    @Test func ghostIsDrawnDimmedBeneathLabelledAndNamedInTheLegend() {
        let front = (0...10).map { (x: Double($0), y: Double($0)) }
        let behind = (0...10).map { (x: Double($0), y: 10 - Double($0)) }
        var ghost = ChartSeries("", .blue, .faint, behind)
        ghost.label = "ghost loss"
        var legend = ChartSeries("ghost loss 0", .gray, .faint, [])
        legend.showsValue = false
        let c = Chart(title: "loss", series: [ChartSeries("loss", .blue, .line, front), ghost, legend], xMax: 10)
        let ascii = Golden.chart(c, width: 30, height: 10, unicode: false)
        Golden.check(ascii, "chart-ghost-ascii")
        #expect(
            ascii.lines.contains { $0.contains("ghost loss") && !$0.contains(",,") }, "the ghost's curve is labelled")
        let b = Golden.chart(c, width: 30, height: 10)
        Golden.check(b, "chart-ghost-unicode", styles: true)
        let dimmed = b.cells.filter { $0.style.dim }
        #expect(dimmed.count > 5 && dimmed.allSatisfy { $0.char != " " })
    }

    @Test func collapsedValuesNeverShowAsSubnormalTicks() {
        let pts = [(x: 0.0, y: 1e-320), (x: 10.0, y: 0.0), (x: 20.0, y: 2e-321)]
        let b = Golden.chart(
            Chart(title: "Q", series: [ChartSeries("q", .blue, .line, pts)], xMax: 20), width: 30, height: 8,
            unicode: false)
        Golden.check(b, "chart-collapsed-values")
        #expect(!b.lines.joined().contains("e-32"))
    }
}

@Suite("Honest y axes")
struct YAxisTests {
    /// A charge conserved to 0.13 %: 0.07550 rising to 0.07560 over 100 steps, and its exact prediction.
    var conserved: Chart {
        let measured = (0...100).map { (x: Double($0), y: 0.0755 + 1e-6 * Double($0)) }
        return Chart(
            title: "Q: fc1",
            series: [
                ChartSeries("measured", .blue, .line, measured),
                ChartSeries("exact", .orange, .dots, measured),
            ], xMax: 100)
    }

    /// The rows of the plot that hold a dot of the curve.
    func curveRows(_ b: Buffer) -> Set<Int> {
        var rows = Set<Int>()
        for y in 0..<b.height { for x in 9..<(b.width - 1) where b[x, y].char == "*" { rows.insert(y) } }
        return rows
    }

    @Test func aConservedChargeReadsFlatAndItsTitleGivesTheDrift() {
        let b = Golden.chart(conserved, width: 50, height: 14, unicode: false)
        Golden.check(b, "yaxis-honest")
        #expect(b.line(0).contains("drift +0.132%"))
        // The 1 % floor: a 0.13 % change spans under a fifth of the plot's rows.
        #expect(curveRows(b).count <= 2, "\(b.lines.joined(separator: "\n"))")
    }

    @Test func everyModeSaysWhatItShows() {
        var c = conserved
        c.yAxis = .zoom
        let zoom = Golden.chart(c, width: 50, height: 14, unicode: false)
        Golden.check(zoom, "yaxis-zoom")
        #expect(zoom.line(0).contains("[full zoom]"))
        #expect(curveRows(zoom).count >= 8, "zoomed, the same change fills the plot")
        c.yAxis = .fromZero
        let zero = Golden.chart(c, width: 50, height: 14, unicode: false)
        Golden.check(zero, "yaxis-from-zero")
        #expect(zero.line(0).contains("[y from 0]") && zero.lines.contains { $0.hasPrefix("|      0+") })
        c.yAxis = .relative
        let relative = Golden.chart(c, width: 50, height: 14, unicode: false)
        Golden.check(relative, "yaxis-relative")
        #expect(relative.line(0).contains("[% change from start]"))
    }

    @Test func yCyclesTheFocusedChartsAxis() {
        var state = AppState()
        state.focus = "charge"
        let s = Snapshot(config: Config())
        var seen: [YAxisMode] = []
        for _ in 0..<4 {
            _ = state.handle(.char("y"), s)
            seen.append(state.yAxis["charge"] ?? .honest)
        }
        #expect(seen == [.fromZero, .relative, .zoom, .honest])
        #expect(state.yAxis["loss"] == nil)
    }

    @Test(arguments: [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 17, 20, 29, 40])
    func ticksAreRoundAndEvenlySpacedAtEverySize(_ rows: Int) {
        for (lo, hi) in [
            (0.0755, 0.0757), (0.0, 1.0), (-3.2, 17.9), (1.135, 1.137), (2e-5, 9e-4), (-0.02, 0.021), (1, 40_000),
        ] {
            let r = Ticks.evenRows(lo, hi, rows: rows, count: max(2, min(5, rows / 3)))
            #expect(r.lo <= lo && r.hi >= hi, "\(lo)…\(hi) in \(rows) rows: range \(r.lo)…\(r.hi)")
            #expect(r.ticks.count >= 2, "\(lo)…\(hi) in \(rows) rows: \(r.ticks)")
            let positions = r.ticks.map { ($0 - r.lo) / (r.hi - r.lo) * Double(rows - 1) }
            // Every tick on a row, and the rows equally spaced.
            #expect(positions.allSatisfy { abs($0 - $0.rounded()) < 1e-6 }, "\(lo)…\(hi) in \(rows) rows: \(positions)")
            let gaps = zip(positions.dropFirst(), positions).map { ($0 - $1).rounded() }
            #expect(Set(gaps).count == 1, "\(lo)…\(hi) in \(rows) rows: gaps \(gaps)")
            // Round: each a whole multiple of a spacing of 1, 2 or 5 × 10ⁿ.
            let step = r.ticks[1] - r.ticks[0]
            let mantissa = step / pow(10, floor(log10(step)))
            #expect([1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-6 }, "step \(step)")
            #expect(r.ticks.allSatisfy { abs($0 / step - ($0 / step).rounded()) < 1e-6 })
        }
    }
}

@Suite("Health verdict")
struct HealthTests {
    func snapshot(_ c: Config, steps: Int) throws -> Snapshot { try Snapshot.observing(c, steps: steps) }

    @Test func exactWhenEveryLiveGroupFollowsTheIdentity() throws {
        let v = HealthVerdict.of(try snapshot(Config(), steps: 20))
        guard case .exact(let worst) = v else { Issue.record("\(v)"); return }
        #expect(worst <= 1e-10)
        #expect(v.mark(Glyphs(unicode: true)).text.hasPrefix("✔ exact"))
        // In ASCII the mark is a word that reads as "holds", not a "+" that reads as a plus sign.
        #expect(v.mark(Glyphs(unicode: false)).text.hasPrefix("ok exact"))
    }

    @Test func brokenByDesignNamesAdam() throws {
        var c = Config()
        c.optimizer = .adam
        c.lr = 0.01
        let v = HealthVerdict.of(try snapshot(c, steps: 20))
        guard case .broken(let reason, _) = v else { Issue.record("\(v)"); return }
        #expect(reason == "Adam")
    }

    /// The verdict asks the optimizer whether it keeps the charges exact: SGDW, dampened SGD and
    /// Nesterov (tracked with its second state, §13.2) do, AdamW and Lion are named.
    @Test(
        arguments: [
            ("sgdw", false, 0.0, nil), ("sgd", false, 0.5, nil), ("adamw", false, 0.0, "AdamW"),
            ("lion", false, 0.0, "Lion"), ("sgd", true, 0.0, nil),
        ] as [(String, Bool, Double, String?)])
    func verdictAsksTheOptimizer(_ name: String, _ nesterov: Bool, _ dampening: Double, _ reason: String?) throws {
        var c = Config()
        c.optimizer = OptimizerKind(rawValue: name)!
        c.nesterov = nesterov
        c.dampening = dampening
        c.momentum = 0.9
        if name == "adamw" || name == "lion" { c.lr = 1e-3 }
        let v = HealthVerdict.of(try snapshot(c, steps: 20))
        if let reason {
            guard case .broken(let r, _) = v else { Issue.record("\(name): \(v)"); return }
            #expect(r == reason)
        } else {
            guard case .exact = v else { Issue.record("\(name): \(v)"); return }
        }
    }

    @Test func mostNeuronsLostIsDegenerateNotExact() throws {
        var s = try snapshot(Config(), steps: 5)
        for i in s.families.indices where s.families[i].symmetry != .translation {
            s.families[i].dead = s.families[i].count / 2
            s.families[i].collapsed = s.families[i].count / 4 + 1
        }
        let v = HealthVerdict.of(s)
        guard case .degenerate(let reason) = v else { Issue.record("\(v)"); return }
        #expect(reason.hasPrefix("dead "))
        #expect(!v.mark(Glyphs(unicode: true)).text.contains("✔"))
    }

    @Test func divergedRunIsDegenerate() throws {
        var s = try snapshot(Config(), steps: 5)
        s.state = .diverged("at step 5")
        #expect(HealthVerdict.of(s) == .degenerate(reason: "diverged"))
    }
}

@Suite("Cell diff")
struct BufferDiffTests {
    @Test func identicalFramesSendNothing() {
        var a = Buffer(width: 6, height: 2)
        a.put("abc", x: 0, y: 0)
        #expect(BufferDiff.runs(from: a, to: a).isEmpty)
    }

    @Test func changedCellsBecomeRunsSplitByStyle() {
        var a = Buffer(width: 8, height: 2)
        a.put("abcdef", x: 0, y: 0)
        var b = a
        b.put("XY", x: 1, y: 0)
        b.put("Z", x: 3, y: 0, Style(.blue))
        b.put("Q", x: 6, y: 0)
        #expect(
            BufferDiff.runs(from: a, to: b) == [
                CellRun(x: 1, y: 0, text: "XY", style: .plain),
                CellRun(x: 3, y: 0, text: "Z", style: Style(.blue)),
                CellRun(x: 6, y: 0, text: "Q", style: .plain),
            ])
    }

    @Test func firstFrameIsSentWholeExceptTheBottomRightCell() {
        var b = Buffer(width: 3, height: 2)
        b.put("ab", x: 0, y: 0)
        let runs = BufferDiff.runs(from: nil, to: b)
        #expect(
            runs == [CellRun(x: 0, y: 0, text: "ab ", style: .plain), CellRun(x: 0, y: 1, text: "  ", style: .plain)])
        // A resized frame is compared with nothing.
        #expect(BufferDiff.runs(from: Buffer(width: 2, height: 2), to: b) == runs)
    }
}

@Suite("History")
struct HistoryTests {
    @Test func timeIsTheSumOfLearningRates() {
        var t = TrainingTime()
        t.record(step: 0, learningRate: 0.1)
        t.record(step: 100, learningRate: 0.1)
        t.record(step: 100, learningRate: 0.5)
        #expect(abs(t.t(at: 100) - 10) < 1e-12)
        #expect(abs(t.t(at: 120) - 20) < 1e-12)
        #expect(abs(t.t(at: 50) - 5) < 1e-12)
    }

    @Test func neuronHistoryStaysBounded() {
        var h = NeuronHistory()
        let values = (0..<4).map { NeuronValue(charge: Double($0 + 1), gapRatio: 0, dead: false) }
        for k in 0..<100_000 { h.append(step: k, values) }
        #expect(h.columns.count <= NeuronHistory.capacity)
        #expect(h.columns.count >= NeuronHistory.capacity / 2)
        #expect(h.steps.first == 0 && h.steps.last! > 99_000)
    }
}
