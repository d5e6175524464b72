import Foundation
import NoetherCore
import Testing
@testable import NoetherUI

@Suite("Widgets render into a buffer")
struct WidgetTests {
    @Test func brailleDotPlacement() {
        var c = Canvas(cols: 2, rows: 1, style: .braille)
        c.set(0, 0, .blue)  // top-left dot: bit 0x01
        c.set(3, 3, .blue)  // bottom-right dot of the second cell: bit 0x80
        var b = Buffer(width: 2, height: 1)
        c.draw(into: &b, at: 0, 0)
        #expect(b.line(0) == "\u{2801}\u{2880}")
        var d = Canvas(cols: 1, rows: 1, style: .braille)
        for y in 0..<4 { d.set(1, y, .blue) }  // right column: 0x08|0x10|0x20|0x80
        var e = Buffer(width: 1, height: 1)
        d.draw(into: &e, at: 0, 0)
        #expect(e.line(0) == "\u{28B8}")
    }

    @Test func blockDotsUseHalfBlocks() {
        var c = Canvas(cols: 3, rows: 1, style: .block)
        c.set(0, 0, .blue)
        c.set(1, 1, .blue)
        c.set(2, 0, .blue); c.set(2, 1, .blue)
        var b = Buffer(width: 3, height: 1)
        c.draw(into: &b, at: 0, 0)
        #expect(b.line(0) == "▀▄█")
    }

    @Test func boundedHistoryKeepsConstantMemory() {
        var s = BoundedSeries()
        for k in 0..<1_000_000 { s.append(step: k, Double(k)) }
        #expect(s.buckets.count <= BoundedSeries.capacity)
        #expect(s.recent.count == BoundedSeries.recentCapacity)
        #expect(s.buckets.first!.min == 0)
        #expect(s.buckets.last!.max == 999_999)
        #expect(s.recentInOrder.last!.step == 999_999)
        // Bucket means are means of what they cover.
        let b = s.buckets[3]
        #expect(b.mean == Double(b.step) + Double(b.count - 1) / 2)
    }
}

@Suite("Screens")
struct ScreenTests {
    func snapshot() throws -> Snapshot { try Snapshot.observing(Config(), steps: 30) }

    @Test func tooSmallScreenNamesBothSizes() throws {
        let b = Screen(unicode: true, color: true).render(AppState(), try snapshot(), width: 50, height: 10)
        #expect(b.lines.contains { $0.contains("terminal too small: need 80×24, have 50×10") })
        let tiny = Screen(unicode: true, color: true).render(AppState(), try snapshot(), width: 30, height: 8)
        #expect(tiny.lines.contains { $0.contains("terminal too small:") })
        #expect(tiny.lines.contains { $0.contains("need 80×24, have 30×8") })
    }

    @Test(arguments: [(80, 24), (140, 44)])
    func layoutShowsHeaderControlsAndCharts(_ w: Int, _ h: Int) throws {
        let b = Screen(unicode: true, color: true).render(AppState(), try snapshot(), width: w, height: h)
        let text = b.lines.joined(separator: "\n")
        #expect(b.line(0).contains("step 30") && b.line(0).contains("lr 0.1") && b.line(0).contains("RUNNING"))
        #expect(b.line(0).contains("seed 1"))
        for s in ["learning rate", "normalization", "live (apply now)", "reset the run", "loss", "weight norms", "─ Q: fc1.scale"] {
            #expect(text.contains(s), "missing \(s)")
        }
        #expect(b.line(h - 1).contains("? help"))
        if w >= 120 { #expect(text.contains("charges by family") && text.contains("η_eff") && text.contains("KSB gap")) }
    }

    @Test func helpIsGeneratedFromTheKeymap() throws {
        var state = AppState()
        let s = try snapshot()
        _ = state.handle(.char("?"), s)
        // Scrolling down the first page shows every binding of the keymap.
        var text = ""
        for _ in 0..<Keymap.bindings.count {
            text += Screen(unicode: true, color: true).render(state, s, width: 100, height: 40).lines.joined(separator: "\n")
            _ = state.handle(.down, s)
        }
        for binding in Keymap.bindings { #expect(text.contains(binding.help), "\(binding.help)") }
        _ = state.handle(.escape, s)
        #expect(!state.helpOpen)
    }

    @Test func keysBecomeCommands() throws {
        var state = AppState()
        let s = try snapshot()
        #expect(state.handle(.char("]"), s) == [.setLive(LiveParameters(learningRate: 0.2, momentum: 0.5, weightDecay: 5e-3))])
        // Keys build on what was sent even before a new snapshot arrives.
        #expect(state.handle(.char("["), s) == [.setLive(LiveParameters(learningRate: 0.1, momentum: 0.5, weightDecay: 5e-3))])
        #expect(state.handle(.char("["), s) == [.setLive(LiveParameters(learningRate: 0.05, momentum: 0.5, weightDecay: 5e-3))])
        #expect(state.handle(.char(" "), s) == [.setPaused(true)])
        guard case .reset(let c) = state.handle(.char("n"), s).first else { Issue.record("n did not reset"); return }
        #expect(c.norm == .layer)
        guard case .reset(let seeded) = state.handle(.char("R"), s).first else { Issue.record("R did not reset"); return }
        #expect(seeded.seed == 2 && seeded.norm == .layer && seeded.lr == 0.05)
        #expect(state.handle(.char("q"), s) == [.quit])
        // Ladders stop at their ends.
        #expect(Ladder.step(Ladder.learningRate, from: 10, up: true) == 10)
        #expect(Ladder.step(Ladder.learningRate, from: 0.15, up: false) == 0.1)
    }

    @Test func asciiScreenIsAllASCII() throws {
        var state = AppState()
        state.focus = "normalization"  // the chart, full of Greek letters
        let b = Screen(unicode: false, color: true).render(state, try snapshot(), width: 140, height: 44)
        for line in b.lines {
            let ascii = line.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(ascii, "\(line)")
        }
        #expect(b.line(0).contains("mom 0.5") && b.line(0).contains("wd 0.005"))
    }

    @Test func noColorStripsEveryColour() throws {
        let b = Screen(unicode: true, color: false).render(AppState(), try snapshot(), width: 100, height: 30)
        #expect(b.cells.allSatisfy { $0.style.color == .normal })
    }
}
