import Foundation
import NoetherCore
import Testing
@testable import NoetherUI

@Suite("Screen frames")
struct ScreenFrameTests {
    static func run(_ c: Config = Config(), steps: Int = 30) throws -> Snapshot {
        try Snapshot.observing(c, steps: steps)
    }

    func render(_ state: AppState, _ s: Snapshot, _ w: Int, _ h: Int, unicode: Bool = true, color: Bool = true)
        -> Buffer
    {
        Screen(unicode: unicode, color: color).render(state, s, width: w, height: h)
    }

    @Test func helpAt80x24ReachesEveryKeyByScrolling() throws {
        var state = AppState()
        let s = try Self.run()
        _ = state.handle(.char("?"), s)
        var b = render(state, s, 80, 24)
        Golden.check(b, "help-keys-top-80x24")
        // The box covers the panels from edge to edge: no sliver of them shows down either side.
        #expect(b.line(1).first == "┌" && b.line(1).last == "┐" && b.line(22).first == "└" && b.line(22).last == "┘")
        for y in 2..<22 { #expect(b[0, y].char == "│" && b[79, y].char == "│", "row \(y): \(b.line(y))") }
        var seen = b.lines.joined(separator: "\n")
        var presses = 0
        while b.line(21).hasSuffix("↓ │"), presses < 100 {
            _ = state.handle(.down, s)
            b = render(state, s, 80, 24)
            seen += b.lines.joined(separator: "\n")
            presses += 1
        }
        #expect(presses > 0 && presses < 100)
        Golden.check(b, "help-keys-bottom-80x24")
        // Every key and chart of the registries is on some page of the scroll, not only the two above.
        for k in Keymap.bindings { #expect(seen.contains(k.help), "\(k.help)") }
        for c in ChartRegistry.all { #expect(seen.contains(c.id), "\(c.id)") }
        // Keys with a function-key twin show both (these lines are on pages between the two goldens).
        #expect(seen.contains("q F10     quit") && seen.contains("? F1      help"))
    }

    @Test func secondHelpPageIsTheGlossary() throws {
        var state = AppState()
        let s = try Self.run()
        _ = state.handle(.char("?"), s)
        _ = state.handle(.tab, s)
        Golden.check(render(state, s, 80, 24), "help-glossary-80x24")
        // Keys other than scrolling and paging still close it.
        _ = state.handle(.escape, s)
        #expect(!state.helpOpen)
    }

    @Test func panelsWithNothingToShowGiveTheirRoomAway() throws {
        var c = Config()
        c.norm = .none
        let s = try Self.run(c)
        let ids = ChartRegistry.available(s).map(\.id)
        #expect(!ids.contains("normalization") && !ids.contains("phase"))
        #expect(ids.contains("charge") && ids.contains("heatmap"))
        var state = AppState()
        Golden.check(render(state, s, 100, 30), "screen-no-norm-100x30")
        // Whichever panel has the focus, none stands empty.
        for _ in 0..<ids.count {
            let text = render(state, s, 100, 30).lines.joined(separator: "\n")
            #expect(!text.contains("no data") && !text.contains("waiting"))
            _ = state.handle(.tab, s)
        }
        #expect(state.focus == "loss")  // tab went round the available panels only
    }

    @Test func tableKeepsItsResidualColumnAt80Columns() throws {
        var state = AppState()
        state.focus = "table"
        var s = try Self.run()
        s.families[0].dead = 15
        s.families[0].collapsed = 3
        // The table (focused) shows fc1's dead neurons, 15 dead and 3 collapsed: 18.
        Golden.check(render(state, s, 80, 24), "table-dead-80x24")
        state.focus = "charge"
        Golden.check(render(state, s, 100, 30), "charge-dead-100x30")
    }

    @Test func controlsShowTitleCaptionAndDescriptionWhenModified() throws {
        var s = try Self.run()
        s.title = "Rotational equilibrium"
        s.description = "Scale charges settle where weight decay balances them."
        s.caption = "Momentum on: watch fc1 lose neurons."
        s.modified = true
        Golden.check(render(AppState(), s, 80, 24), "story-modified-80x24")
    }

    @Test func doneStateSaysHowToGoOn() throws {
        var s = try Self.run()
        s.state = .finished
        s.targetSteps = 30
        #expect(render(AppState(), s, 100, 30).line(0).hasPrefix(" noether  DONE space continues │ step 30/30 │"))
    }

    @Test func markersAppearOnEveryTimeAxis() throws {
        var s = try Self.run()
        s.targetSteps = 60
        s.markers = [TimeMarker(step: 15, label: "lr 0.2")]
        // One ▲ under each time axis: loss, norms, charge, gap.
        Golden.check(render(AppState(), s, 100, 30), "markers-100x30")
        var state = AppState()
        state.expanded = true
        Golden.check(render(state, s, 100, 30), "markers-expanded-100x30")
    }

    @Test func narrationFocusAppliesOncePerRequest() throws {
        let s0 = try Self.run()
        var s = s0
        var state = AppState()
        s.narration.serial = 1
        s.narration.focus = "gap"
        s.narration.family = s.families[2].family
        state.follow(s.narration, s)
        #expect(state.focus == "gap" && state.familyIndex == 2)
        _ = state.handle(.tab, s)
        state.follow(s.narration, s)  // the same request again: the user's choice stands
        #expect(state.focus != "gap")
    }

    /// ASCII in colour tells series apart by their marks (** -- ..) as well as their colours.
    /// (Unicode without colour is ScreenGoldenTests' screen-default-100x30-no-color.)
    @Test func asciiKeepsSeriesApartByTheirMarks() throws {
        let ascii = render(AppState(), try Self.run(), 100, 30, unicode: false)
        for line in ascii.lines { #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "\(line)") }
        Golden.check(ascii, "screen-plain-100x30-ascii", styles: true)
    }

    /// Every help and glossary line, and every shipped caption, has a stand-in for each of its
    /// characters in ASCII mode: none turns into "?".
    @Test func asciiModeHasAStandInForEveryCharacterOfHelpAndStories() throws {
        var texts = (0..<AppState.helpPages.count).flatMap { page in
            Screen.helpLines(page: page, width: 200, glyphs: Glyphs(unicode: true)).map { $0.map(\.0).joined() }
        }
        for entry in PresetLibrary.catalog(folders: []).entries {
            texts += [entry.preset.title, entry.preset.description] + entry.preset.schedule.compactMap(\.say)
        }
        // The header's optimizer, with every setting that shows there, and each equilibrium label.
        for c in optimizerVariants() {
            texts.append(Screen.summary(c))
            if let e = c.equilibrium(c.live) { texts.append(e.label) }
        }
        try #require(texts.count > 50)
        let missing = Set(texts.joined().filter { !$0.isASCII && Screen.asciiStandIns[$0] == nil })
        #expect(missing.isEmpty, "no ASCII stand-in for \(missing.sorted())")
    }

    /// The header names the optimizer with the settings that change its rule, in ASCII too.
    @Test func headerNamesTheOptimizerAndItsSettings() {
        var c = Config()
        c.optimizer = .lion
        c.beta2 = 0.99
        #expect(Screen.summary(c).hasSuffix("· Lion β₂ 0.99"))
        c.optimizer = .sgd
        c.nesterov = true
        #expect(Screen.summary(c).hasSuffix("· SGD Nesterov"))
        c.nesterov = false
        c.dampening = 0.5
        #expect(Screen.summary(c).hasSuffix("· SGD τ 0.5"))
        #expect(String(Screen.summary(c).map { Screen.asciiStandIns[$0] ?? $0 }).hasSuffix(". SGD t 0.5"))
    }

    @Test func captionRunsAlongTheBottomAndAMessageNeverCutsAHint() throws {
        var s = try Self.run()
        s.caption =
            "Gap chart: Γ/Q₀ grows at every step while the exact prediction stays on the measured curve, to about 1 % for fc2 by step 200."
        s.message = "recording to noether-session.toml"
        let b = render(AppState(), s, 80, 24)
        #expect(b.line(21) == "▶ Gap chart: Γ/Q₀ grows at every step while the exact prediction stays on the")
        #expect(b.line(22) == "measured curve, to about 1 % for fc2 by step 200.")
        #expect(b.line(23) == "space pause  [ ] lr  { } wd  m mom           recording to noether-session.toml")
        #expect(b.line(20).hasPrefix("└"))
        // After the user changes a control the caption stays, marked.
        s.modified = true
        #expect(render(AppState(), s, 80, 24).line(21).hasPrefix("▶ (modified) Gap chart:"))
        // A caption about one family, while c shows another, says which it is about.
        s.narration.family = "fc1.scale"
        var state = AppState()
        state.familyIndex = 2
        #expect(render(state, s, 80, 24).line(21).hasPrefix("▶ (modified) (about fc1.scale; c shows others) Gap"))
    }

    @Test func bigScreenShowsEveryPanelAndWideTable() throws {
        // loss, weight norms, Q, KSB gap, η_eff, the table with its neurons, the heatmap and phase.
        Golden.check(render(AppState(), try Self.run(), 200, 60), "screen-every-panel-200x60")
    }
}

@Suite("Per-neuron views")
struct NeuronViewTests {
    func panel(_ id: String, _ s: Snapshot, _ state: AppState = AppState(), width: Int = 60, height: Int = 14)
        -> Buffer
    {
        var b = Buffer(width: width, height: height)
        ChartRegistry.chart(id)!.render(
            into: &b, Rect(x: 0, y: 0, width: width, height: height),
            ChartContext(snapshot: s, state: state, glyphs: Glyphs(unicode: true)))
        return b
    }

    @Test func heatmapHasOneRowPerNeuronAndMarksTheDead() throws {
        var s = try ScreenFrameTests.run(steps: 30)
        // Neuron 0 of fc1 dies at step 31.
        var last = s.history.neurons["fc1.scale"]!.columns.last!
        last[0].dead = true
        s.history.record(step: 31, Sample(learningRate: 0.1, values: [], neurons: ["fc1.scale": last]))
        s.step = 31
        s.families[0].dead = 1
        // Neurons 0…8 have a row each, the dead neuron 0 ending in ×; the last row says how many more.
        let b = panel("heatmap", s)
        Golden.check(b, "heatmap-dead-60x14")
        // Every cell from the first recorded step on has a shade, the smallest |Q| (neuron 2) the
        // lightest: no blank that reads as missing data. (Column 0 is step 0, before the history.)
        for y in 2..<11 {
            let row = b.line(y).dropFirst(6).dropLast()
            #expect(row.count == 53 && !row.contains(" "), "row \(y): \(b.line(y))")
        }
        #expect(b.line(4).contains("░") && b.line(1).hasPrefix("│░≤"), "the legend bounds each shade: \(b.line(1))")
        var gap = AppState()
        _ = gap.handle(.char("h"), s)
        Golden.check(panel("heatmap", s, gap), "heatmap-gap-60x14")
    }

    @Test func phasePortraitDrawsNeuronsAndTheEquilibriumLine() throws {
        var s = try ScreenFrameTests.run(steps: 30)
        s.charges[0].dead = true
        let b = panel("phase", s, width: 70)
        Golden.check(b, "phase-dead-70x14")
        // Something is plotted between the legend and the axis row.
        let plotted = b.lines[2..<12].map { $0.unicodeScalars.filter { (0x2801...0x28FF).contains($0.value) }.count }
            .reduce(0, +)
        #expect(plotted > 10)
    }

    @Test func timeAxisKeyShowsTheTheorysTime() throws {
        let s = try ScreenFrameTests.run(steps: 30)
        var state = AppState()
        _ = state.handle(.char("t"), s)
        _ = state.handle(.enter, s)  // the loss chart, expanded
        // 30 steps at η = 0.1 is t = 3: round ticks of t from 0 to 3 on the axis row.
        Golden.check(
            Screen(unicode: true, color: true).render(state, s, width: 100, height: 30), "loss-time-axis-100x30")
    }

    @Test func gridTilesTheAreaWithoutOverlap() {
        let area = Rect(x: 24, y: 1, width: 136, height: 46)
        for n in 1...Layout.capacity(area) {
            let rects = Layout.grid(n, in: area)
            #expect(rects.count == n)
            #expect(rects.map { $0.width * $0.height }.reduce(0, +) == area.width * area.height)
            #expect(rects.allSatisfy { $0.width >= Layout.minimumPanelWidth && $0.height >= Layout.minimumPanelHeight })
        }
    }
}

extension NeuronViewTests {
    @Test func roomyTableListsTheNeuronsOfTheFamily() throws {
        var s = try ScreenFrameTests.run(steps: 30)
        s.charges[1].dead = true
        // Below the families, neurons 0–7 of fc1.scale (1 dead) and "… 24 more".
        Golden.check(panel("table", s, width: 60, height: 20), "table-neurons-60x20")
        // A panel without room for them keeps to the families.
        Golden.check(panel("table", s, width: 60, height: 9), "table-families-60x9")
    }
}

extension NeuronViewTests {
    @Test func wideTableShowsEveryColumnAndNoRateForACollapsedCharge() throws {
        var s = try ScreenFrameTests.run(steps: 30)
        s.families[0].q50 = 1e-320
        // fc1's collapsed median shows as 0 and its F/Q as –.
        Golden.check(panel("table", s, width: 130, height: 9), "table-wide-130x9")
    }

    /// The potential-rate column is P/Q, explained in the glossary: 2ηλ for the quadratic charges
    /// and ηλ for translation, whose column shows ηλ.
    @Test func potentialRateColumnSaysWhatItIs() throws {
        var c = Config()
        c.weightDecay = 0.005
        let s = try ScreenFrameTests.run(c, steps: 5)
        let b = panel("table", s, width: 130, height: 9)
        #expect(b.line(1).contains("P/Q") && !b.line(1).contains("2ηλ"), "\(b.line(1))")
        let eta = s.live.learningRate, lambda = s.live.weightDecay
        let translation = try #require(b.lines.first { $0.contains(".translation") }, "\(b.lines)")
        let scale = try #require(b.lines.first { $0.contains("fc1.scale") })
        // The last column before the border.
        func rate(_ line: String) -> String? { line.split(separator: " ").dropLast().last.map(String.init) }
        #expect(rate(translation) == NumberFormat.compact(eta * lambda), "\(translation)")
        #expect(rate(scale) == NumberFormat.compact(2 * eta * lambda), "\(scale)")
        let entry = try #require(Glossary.entries.first { $0.symbol == "P/Q" })
        #expect(entry.meaning.contains("2ηλ for quadratic") && entry.meaning.contains("ηλ for linear"))
    }
}
