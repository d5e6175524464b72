import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import NoetherCore
import Testing
@testable import NoetherUI

/// What a lecturer needs from a chart on a projector: every label beside its own curve, every
/// legend entry whole with its value, a ghost told apart by its mark, braille saved as dots, and
/// a change-from-start axis that means something for a curve starting at zero.
@Suite("Chart legibility")
struct ChartLegibilityTests {
    /// A 28×10 panel, the size of a chart at 80×24: a measured median and its exact prediction
    /// near 1.07, a continuum prediction a little below, and a Q(0) far beneath at 0.10.
    var charge: Chart {
        let median = (0...30).map { (x: Double($0), y: 1.2 - 0.0045 * Double($0)) }
        let continuum = (0...30).map { (x: Double($0), y: 1.2 - 0.005 * Double($0)) }
        let reference = (0...30).map { (x: Double($0), y: 0.10) }
        return Chart(
            title: "Q: fc1.scale",
            series: [
                ChartSeries("median", .blue, .line, median).withValue(),
                ChartSeries("exact", .orange, .dots, median),
                ChartSeries("Q⁽⁰⁾", .purple, .dashes, reference).withValue(),
                ChartSeries("NM (err 0.0032)", .sky, .dashDot, continuum),
            ], xMax: 60)
    }

    /// The rows of the plot (right of the axis) holding `mark`, in the rightmost column that has it.
    func endRows(_ b: Buffer, _ mark: Character) -> (column: Int, rows: Set<Int>)? {
        for x in stride(from: b.width - 2, through: Chart.axisWidth + 1, by: -1) {
            let rows = Set((1..<(b.height - 2)).filter { b[x, $0].char == mark })
            if !rows.isEmpty { return (x, rows) }
        }
        return nil
    }

    @Test func aLabelSitsBesideItsCurvesEndOrIsLeftOut() throws {
        let b = Golden.chart(charge, width: 28, height: 10, unicode: false)
        Golden.check(b, "legible-labels-80x24-panel")
        // Q(0) is drawn with '-' far below the others: its label is on its row or the next, never up
        // at the top of the axis.
        let picture = b.lines.joined(separator: "\n")
        let dashes = try #require(endRows(b, "-"), "\(picture)")
        let labelRow = try #require((4..<(b.height - 2)).first { b.line($0).contains("Q(0)") })
        #expect(dashes.rows.contains { abs($0 - labelRow) <= 1 }, "\(picture)")
        // The median and its exact prediction end in one cell: one label names both.
        #expect(b.lines.contains { $0.contains("median=exact") }, "\(b.lines.joined(separator: "\n"))")
        let star = try #require(endRows(b, "*"), "\(picture)")
        let shared = try #require(b.lines.firstIndex { $0.contains("median=exact") })
        #expect(star.rows.contains { abs($0 - shared) <= 1 })
    }

    /// Two curves whose ends share a cell row (fc1 at 31.4 two dots above fc2 at 28.4, as the weight
    /// norms end at 100×30): the upper label names the upper curve, in either series order, and with
    /// the ends on one dot row the larger value is the upper one.
    @Test func labelsKeepTheVerticalOrderOfTheirCurvesEnds() throws {
        let plot = Rect(x: 0, y: 0, width: 20, height: 6)
        let canvas = Canvas(cols: 20, rows: 6, style: .braille)
        func rows(_ curves: [(String, Int, Double)]) -> [String: Int] {
            let input = curves.map { name, endDot, value in
                (ChartSeries(name, .blue, .line, []), [(0, 20), (39, endDot)], Optional(value))
            }
            return Dictionary(
                uniqueKeysWithValues: Chart.labelPlacements(input, plot: plot, canvas: canvas).map { ($0.text, $0.row) }
            )
        }
        // Dot rows 9 and 11 both lie in cell row 2.
        for order in [[("fc1", 9, 31.4), ("fc2", 11, 28.4)], [("fc2", 11, 28.4), ("fc1", 9, 31.4)]] {
            let r = rows(order)
            let fc1 = try #require(r["fc1"], "\(r)"), fc2 = try #require(r["fc2"], "\(r)")
            #expect(fc1 < fc2, "\(order.map(\.0)): fc1 on row \(fc1), fc2 on row \(fc2)")
        }
        for order in [[("fc1", 10, 31.4), ("fc2", 10, 31.3)], [("fc2", 10, 31.3), ("fc1", 10, 31.4)]] {
            let r = rows(order)
            let fc1 = try #require(r["fc1"], "\(r)"), fc2 = try #require(r["fc2"], "\(r)")
            #expect(fc1 < fc2, "\(order.map(\.0)): fc1 on row \(fc1), fc2 on row \(fc2)")
        }
    }

    @Test func atTheFirstStepCurvesOfEqualValueShareOneLabel() {
        // One sample each, all equal (every charge at its initial value): no label strays up or down
        // the axis; one row names them together.
        let series = ["median", "exact", "Q(0)", "NM"].enumerated().map { i, name in
            ChartSeries(name, Mark.cycle[i].color(i), Mark.cycle[i], [(x: 0, y: 1.0)])
        }
        let b = Golden.chart(Chart(title: "Q", series: series, xMax: 60), width: 40, height: 12, unicode: false)
        Golden.check(b, "legible-labels-equal-start")
        let plot = b.lines[4..<(b.height - 2)]
        let labelled = plot.filter { $0.contains("median") || $0.contains("exact") || $0.contains("NM") }
        #expect(labelled.count == 1 && labelled[labelled.startIndex].contains("median=exact=Q(0)=NM"), "\(plot)")
    }

    @Test func afterOneStepTheChargeChartHasOneLabelWhereItsCurvesStart() throws {
        // One sample: median, exact, Q⁽⁰⁾ and NM all at the starting charge. Their labels share one
        // row beside the point, instead of spreading up and down the axis.
        var s = try Snapshot.observing(Config(), steps: 1)
        s.targetSteps = 60
        let b = Screen(unicode: false, color: false).render(AppState(), s, width: 80, height: 24)
        Golden.check(b, "legible-first-step-80x24")
        let top = try #require(b.lines.firstIndex { $0.contains("+- Q: fc1.scale") }, "\(b.lines)")
        // The charge panel's plot rows: below its legend (three rows at most), above its x axis.
        let plot = b.lines[(top + 4)..<(top + 9)].map { String($0.dropFirst(24).prefix(28)) }
        let labelled = plot.filter { $0.contains("median") || $0.contains("exact") || $0.contains("NM") }
        #expect(labelled.count == 1, "\(b.lines.joined(separator: "\n"))")
    }

    @Test func everyLegendEntryIsWholeWithItsValueInAnEightyColumnPanel() {
        let lines = Golden.chart(charge, width: 28, height: 10).lines
        let legend = lines[1..<4].joined(separator: " ")
        for entry in ["median", "exact", "Q⁽⁰⁾", "NM", "0.1", "1.06", "1.05"] {
            #expect(legend.contains(entry), "\(entry) missing from the legend:\n\(lines.joined(separator: "\n"))")
        }
        #expect(!lines.joined().contains("…"), "\(lines.joined(separator: "\n"))")
    }

    @Test(arguments: [(80, 24), (100, 30), (160, 48)])
    func everyLegendEntryAndTitleIsWholeOnTheScreen(_ w: Int, _ h: Int) throws {
        for name in ["bn-scale-growth", "linear-balance"] {
            let s = try Self.preset(name, steps: 40)
            let b = Screen(unicode: true, color: false).render(AppState(), s, width: w, height: h)
            Golden.check(b, "legible-\(name)-\(w)x\(h)")
            // The charts' area: right of the controls, between the header and the caption.
            let charts = b.lines[1..<(h - 3)].map { String($0.dropFirst(24)) }
            // Nothing cut: an ellipsis only where coinciding curves share a label ("a=b=…") or a
            // table or heatmap counts its further rows ("… 3 more").
            let cut = charts.filter {
                $0.replacingOccurrences(of: "=…", with: "").replacingOccurrences(of: "… ", with: "").contains("…")
            }
            #expect(cut.isEmpty, "\(name) \(w)×\(h):\n\(b.lines.joined(separator: "\n"))")
            let legend = try #require(
                charts.first { $0.contains("Q⁽⁰⁾ ") && $0.contains("━━") || $0.contains("╌╌ Q⁽⁰⁾ ") },
                "\(name) \(w)×\(h): no Q⁽⁰⁾ in a legend:\n\(b.lines.joined(separator: "\n"))")
            // Its value follows it, or follows the names that share it ("╌╌ Q⁽⁰⁾ ─· NM 1.13").
            #expect(legend.range(of: #"Q⁽⁰⁾( \S+ \S+)* -?\d"#, options: .regularExpression) != nil, "\(legend)")
        }
    }

    /// Every shipped preset a few steps in, at the three sizes: no chart title, legend entry or
    /// label is cut (an ellipsis only where coinciding curves share a label, "a=b=…", or where a
    /// table counts its further rows, "… 3 more").
    @Test func noChartTextIsCutInAnyShippedPreset() throws {
        let names = PresetLibrary.catalog(folders: []).entries.map(\.preset.name)
        #expect(names.count >= 10)
        var problems: [String] = []
        for name in names {
            let s = try Self.preset(name, steps: 12)
            for (w, h) in [(80, 24), (100, 30), (160, 48)] {
                let b = Screen(unicode: true, color: false).render(AppState(), s, width: w, height: h)
                let charts = b.lines[1..<(h - 4)].map { String($0.dropFirst(w >= 120 ? 30 : 24)) }
                let cut = charts.filter {
                    $0.replacingOccurrences(of: "=…", with: "").replacingOccurrences(of: "… ", with: "").contains("…")
                }
                if !cut.isEmpty { problems.append("\(name) \(w)×\(h):\n" + b.lines.joined(separator: "\n")) }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// A run of `steps` of a shipped preset, as the explorer shows it.
    static func preset(_ name: String, steps: Int) throws -> Snapshot {
        let preset = try PresetLibrary.load(name)
        var s = try Snapshot.observing(preset.config, steps: steps)
        s.targetSteps = preset.config.steps
        s.title = preset.title
        s.description = preset.description
        return s
    }

    @Test func aGhostDiffersByItsMarkInEveryGlyphModeWithoutColour() throws {
        var s = try ScreenGoldenTests.story()
        var slower = Config()
        slower.live.learningRate = 0.02
        s.ghosts = [Ghost(history: try ScreenFrameTests.run(slower).history, live: slower.live, forkStep: 0)]
        var state = AppState()
        state.theme = .highContrast
        for (unicode, ring) in [(true, Character("◦")), (false, Character("+"))] {
            let b = Screen(unicode: unicode, color: false).render(state, s, width: 100, height: 30)
            Golden.check(b, "legible-ghost-high-contrast-no-color-\(unicode ? "unicode" : "ascii")")
            // Inside the charts (right of the controls, below the legends' first row): rings where the
            // ghost parts from the fork, never two side by side.
            var rings: [(x: Int, y: Int)] = []
            for y in Array(4..<12) + Array(19..<26) {  // the plots' rows, not the panels' borders
                // Not the legend's sample of the mark ("◦◦ ghost fc1").
                let legend = b.line(y).range(of: String([ring, ring]) + " ghost").map {
                    b.line(y).distance(from: b.line(y).startIndex, to: $0.lowerBound)
                }
                for x in 24..<100 where b[x, y].char == ring && legend.map({ x - $0 > 1 || x < $0 }) ?? true {
                    rings.append((x, y))
                }
            }
            #expect(rings.count >= 8, "\(b.lines.joined(separator: "\n"))")
            #expect(!rings.contains { r in rings.contains { $0.y == r.y && $0.x == r.x + 1 } }, "every other column")
            // The fork's own curves keep their marks: braille (or '*') dots, no rings among them.
            #expect(b.lines.joined().contains(unicode ? "⣀" : "*"))
        }
        // At 80×24 the ghost's legend entries fit beside the fork's, nothing cut.
        let small = Screen(unicode: true, color: false).render(state, s, width: 80, height: 24)
        Golden.check(small, "legible-ghost-80x24")
        let cut = small.lines[1..<20].map { String($0.dropFirst(24)) }.filter {
            $0.replacingOccurrences(of: "=…", with: "").contains("…")
        }
        #expect(cut.isEmpty, "\(small.lines.joined(separator: "\n"))")
        #expect(
            small.lines.contains { $0.contains("◦◦ ghost median") }
                && small.lines.contains { $0.contains("◦◦ ghost fc1") })
    }

    @Test func afterAChangeTheCaptionStaysWholeAt80x24() throws {
        var s = try ScreenGoldenTests.story()
        s.caption =
            "Charge chart: the exact prediction lies on the measured median of fc1.scale, step after step, to "
            + "rounding."
        s.departure = "lr 0.2 at step 20"
        let b = Screen(unicode: true, color: false).render(AppState(), s, width: 80, height: 24)
        Golden.check(b, "legible-caption-after-change-80x24")
        let bottom = b.lines.suffix(3).map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(bottom[0] == "✎ you changed lr 0.2 at step 20: captions are without it (u undoes)", "\(bottom)")
        #expect(bottom[1...].joined(separator: " ") == "▶ " + s.caption!, "\(bottom)")
        // The charts keep their two rows of panels.
        #expect(b.lines.filter { $0.contains("└──") }.count >= 2)
    }

    @Test func theScreenSVGDrawsBrailleAsItsDots() throws {
        var b = Buffer(width: 3, height: 1)
        b.put("⣿⠁a", x: 0, y: 0, Style(.blue))
        let svg = ScreenExport.svg(b, theme: .dark, color: true)
        let circles = svg.components(separatedBy: "<circle").count - 1
        #expect(circles == 9, "eight dots of ⣿ and one of ⠁:\n\(svg)")
        #expect(!svg.contains("⣿") && !svg.contains("⠁") && svg.contains(">  a</tspan>"), "\(svg)")
        // ⠁ is the top-left dot: the first quarter of the cell's height, the left half of its width.
        #expect(svg.contains("<circle cx=\"10.5\" cy=\"2.1\""), "\(svg)")
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }

    @Test func changeFromStartOfACurveStartingAtZeroIsInItsUnits() {
        let rising = (0...20).map { (x: Double($0), y: 0.01 * Double($0)) }
        let falling = (0...20).map { (x: Double($0), y: 1 - 0.01 * Double($0)) }
        var c = Chart(
            title: "gap",
            series: [ChartSeries("gap", .blue, .line, rising), ChartSeries("Q", .orange, .dashes, falling)], xMax: 20)
        c.yAxis = .relative
        let b = Golden.chart(c, width: 60, height: 12, unicode: false)
        Golden.check(b, "yaxis-relative-from-zero")
        #expect(b.line(0).contains("[change from start; starts at 0, so not %]"), "\(b.line(0))")
        // Both curves drawn, as changes: +0.2 and -0.2 at the end, ticks on both sides of zero.
        let text = b.lines.joined(separator: "\n")
        #expect(!text.contains("no data yet") && text.contains("*") && text.contains("-0.2") && text.contains("0.2"))
        // Where every curve starts away from zero the mode stays in percent.
        c.series[0].points = rising.map { ($0.x, $0.y + 1) }
        #expect(Golden.chart(c, width: 60, height: 12, unicode: false).line(0).contains("[% change from start]"))
    }
}

extension Mark {
    /// A colour per peer, for the tests' charts.
    fileprivate func color(_ i: Int) -> Color { [Color.blue, .orange, .purple, .sky, .green][i % 5] }
}
