import Foundation
import NoetherCore
import Testing
@testable import NoetherUI

@Suite("Screen frames")
struct ScreenFrameTests {
    static func run(_ c: Config = Config(), steps: Int = 30) throws -> Snapshot {
        try Snapshot.observing(c, steps: steps)
    }

    func render(_ state: AppState, _ s: Snapshot, _ w: Int, _ h: Int, unicode: Bool = true, color: Bool = true) -> Buffer {
        Screen(unicode: unicode, color: color).render(state, s, width: w, height: h)
    }

    @Test func helpAt80x24ReachesEveryKeyByScrolling() throws {
        var state = AppState()
        let s = try Self.run()
        _ = state.handle(.char("?"), s)
        var b = render(state, s, 80, 24)
        #expect(b.line(1) == "┌─┌─ help 1/2: keys ─────────────────────────────────────────────────────────┐─┐")
        #expect(b.line(2).hasPrefix("│l│ space     pause / resume training"))
        #expect(b.line(21) == "│ │ tab: glossary  ↑↓ scroll  esc closes                              more ↓ │ │")
        var seen = b.lines.joined(separator: "\n")
        var presses = 0
        while b.line(21).hasSuffix("↓ │ │"), presses < 100 {
            _ = state.handle(.down, s)
            b = render(state, s, 80, 24)
            seen += b.lines.joined(separator: "\n")
            presses += 1
        }
        #expect(presses > 0 && presses < 100)
        #expect(b.line(21).hasSuffix("more ↑ │ │"))
        for k in Keymap.bindings { #expect(seen.contains(k.help), "\(k.help)") }
        for c in ChartRegistry.all { #expect(seen.contains(c.id), "\(c.id)") }
        #expect(seen.contains("q F10     quit") && seen.contains("? F1      help"))
    }

    @Test func secondHelpPageIsTheGlossary() throws {
        var state = AppState()
        let s = try Self.run()
        _ = state.handle(.char("?"), s)
        _ = state.handle(.tab, s)
        let b = render(state, s, 80, 24)
        #expect(b.line(1) == "┌─┌─ help 2/2: glossary ─────────────────────────────────────────────────────┐─┐")
        let text = b.lines.joined(separator: "\n")
        for e in Glossary.entries.prefix(3) { #expect(text.contains(e.symbol + "  " + e.name)) }
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
        let b = render(state, s, 80, 24)
        let text = b.lines.joined(separator: "\n")
        #expect(text.contains("charges by family"))
        #expect(b.line(13).hasSuffix("││family     n dead residual│"))
        #expect(b.line(14).contains("││fc1.sc…   32   18  "))
        state.focus = "charge"
        #expect(render(state, s, 100, 30).lines.joined().contains("dead 18/32"))
    }

    @Test func controlsShowTitleCaptionAndDescriptionWhenModified() throws {
        var s = try Self.run()
        s.title = "Rotational equilibrium"
        s.description = "Scale charges settle where weight decay balances them."
        s.caption = "Momentum on: watch fc1 lose neurons."
        s.modified = true
        let text = render(AppState(), s, 80, 24).lines.joined(separator: "\n")
        #expect(text.contains("Rotational equilibrium"))
        #expect(text.contains("(modified)"))
        #expect(text.contains("▶ (modified) Momentum on: watch"))
        #expect(text.contains("Scale charges settle"))
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
        let b = render(AppState(), s, 100, 30)
        let marks = b.lines.map { $0.filter { $0 == "▲" }.count }.reduce(0, +)
        #expect(marks == 4)  // loss, norms, charge, gap
        var state = AppState()
        state.expanded = true
        #expect(render(state, s, 100, 30).lines.contains { $0.contains("▲lr 0.2") })
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

    @Test func asciiAndNoColorKeepSeriesApart() throws {
        let s = try Self.run()
        let ascii = render(AppState(), s, 100, 30, unicode: false)
        for line in ascii.lines { #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "\(line)") }
        let text = ascii.lines.joined(separator: "\n")
        #expect(text.contains("** fc1 31.4  -- fc2 28.4"))
        #expect(text.contains(".. fc3 6.44"))
        #expect(text.contains("** median 1.07  .. exact") && text.contains("-- Q(0) 1."))
        let mono = render(AppState(), s, 100, 30, color: false)
        #expect(mono.cells.allSatisfy { $0.style.color == .normal })
        #expect(mono.lines.joined().contains("━━ fc1 31.4  ╌╌ fc2 28.4"))
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
        s.caption = "Gap chart: Γ/Q₀ grows at every step while the exact prediction stays on the measured curve, to about 1 % for fc2 by step 200."
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
        let s = try Self.run()
        let text = render(AppState(), s, 200, 60).lines.joined(separator: "\n")
        for title in ["loss", "weight norms", "─ Q: fc1.scale", "KSB gap", "η_eff", "charges by family", "neurons of", "phase"] {
            #expect(text.contains(title), "\(title)")
        }
        #expect(text.contains("residual") && text.contains("exact") && text.contains("equilibrium"))
    }
}

@Suite("Per-neuron views")
struct NeuronViewTests {
    func panel(_ id: String, _ s: Snapshot, _ state: AppState = AppState(), width: Int = 60, height: Int = 14) -> [String] {
        var b = Buffer(width: width, height: height)
        ChartRegistry.chart(id)!.render(into: &b, Rect(x: 0, y: 0, width: width, height: height),
                                        ChartContext(snapshot: s, state: state, glyphs: Glyphs(unicode: true)))
        return b.lines
    }

    @Test func heatmapHasOneRowPerNeuronAndMarksTheDead() throws {
        var s = try ScreenFrameTests.run(steps: 30)
        // Neuron 0 of fc1 dies at step 31.
        var last = s.history.neurons["fc1.scale"]!.columns.last!
        last[0].dead = true
        s.history.record(step: 31, Sample(learningRate: 0.1, values: [], neurons: ["fc1.scale": last]))
        s.step = 31
        s.families[0].dead = 1
        let lines = panel("heatmap", s)
        #expect(lines[0].hasPrefix("┌─ neurons of fc1.scale: |Q| (log) · dead 1/32 [h: Γ/Q₀] "))
        #expect(lines[1].hasPrefix("│░▒▓█ |Q| (log, up to 6 decades)  × dead"))
        // Rows 0…10 are neurons, the last row says how many more; the dead one ends in ×.
        #expect(lines[2].hasPrefix("│  0 ") && lines[2].hasSuffix("×│"))
        #expect(lines[3].hasPrefix("│  1 ") && !lines[3].contains("×"))
        #expect(lines[11].hasPrefix("│+23 more (32 in all) "))  // neurons 0–8 shown, and 23 more
        #expect(lines[12].hasPrefix("│    0 ") && lines[13].hasPrefix("└"))
        var gap = AppState()
        _ = gap.handle(.char("h"), s)
        #expect(panel("heatmap", s, gap)[0].contains("Γ/Q₀"))
    }

    @Test func phasePortraitDrawsNeuronsAndTheEquilibriumLine() throws {
        var s = try ScreenFrameTests.run(steps: 30)
        s.charges[0].dead = true
        let lines = panel("phase", s, width: 70)
        #expect(lines[0].hasPrefix("┌─ phase fc1.scale (log–log) · 1 not shown (dead) "))
        #expect(lines[1].hasPrefix("│• neurons  ╌╌ equilibrium (2λ+ηλ²)‖θ‖²"))
        #expect(lines[12].hasPrefix("│ ‖θ‖²"))
        // Something is plotted between the legend and the axis row.
        let plotted = lines[2..<12].map { $0.unicodeScalars.filter { (0x2801...0x28FF).contains($0.value) }.count }.reduce(0, +)
        #expect(plotted > 10)
    }

    @Test func timeAxisKeyShowsTheTheorysTime() throws {
        let s = try ScreenFrameTests.run(steps: 30)
        var state = AppState()
        _ = state.handle(.char("t"), s)
        _ = state.handle(.enter, s)  // the loss chart, expanded
        let axis = Screen(unicode: true, color: true).render(state, s, width: 100, height: 30).line(27)
        // 30 steps at η = 0.1 is t = 3: round ticks of t from 0 to 3.
        #expect(axis.hasPrefix("│ t=Ση   0 "))
        #expect(axis.contains(" 0.5 ") && axis.contains(" 2.5 "))
        #expect(axis.hasSuffix(" 3│"))
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
        let lines = panel("table", s, width: 60, height: 20)
        #expect(lines[7] == "│                                                          │")
        #expect(lines[8].hasPrefix("│neurons of fc1.scale   "))
        #expect(lines[9].hasPrefix("│     #         Q      Γ/Q₀  residual   "))
        #expect(lines[10].hasPrefix("│     0 ") && !lines[10].contains("dead"))
        #expect(lines[11].hasPrefix("│     1 ") && lines[11].contains("  dead"))
        #expect(lines[18].hasPrefix("│     … 24 more   "))  // neurons 0–7 shown
        // A panel without room for them keeps to the families.
        #expect(!panel("table", s, width: 60, height: 9).joined().contains("neurons of"))
    }
}

extension NeuronViewTests {
    @Test func wideTableShowsEveryColumnAndNoRateForACollapsedCharge() throws {
        var s = try ScreenFrameTests.run(steps: 30)
        s.families[0].q50 = 1e-320
        let lines = panel("table", s, width: 130, height: 9)
        #expect(lines[1] == "│family             n dead residual   median     Γ/Q₀      q10      q90    exact     Q⁽⁰⁾       NM   NM err      F/Q      2ηλ    │")
        #expect(lines[2].hasPrefix("│fc1.scale         32    0 "))
        #expect(lines[2].contains("        0 "))      // the collapsed median shows as 0
        #expect(lines[2].contains("        –    0.001    "))  // and its F/Q has no value
    }
}
