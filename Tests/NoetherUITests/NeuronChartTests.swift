import Foundation
import NoetherCore
import Testing
@testable import NoetherUI

/// The single-neuron panel (THEORY.md §14.2) on the lazy-vs-rich story: whole frames against
/// goldens, in colour and without.
@Suite("Neuron chart")
struct NeuronChartTests {
    /// lazy-vs-rich at its step-402 caption, opened there as the explorer opens a run at a step
    /// (a replay from step 0): the front run (rich, R = −2) and the ghosts R=4 (lazy) and R=0.
    static func story() throws -> Snapshot {
        let preset = try PresetLibrary.load("lazy-vs-rich")
        let d = SessionDriver(preset: preset, version: "test", speed: 0, from: 402, now: 0)
        return d.snapshot
    }

    @Test func theStoryFocusesTheNeuronPanel() throws {
        let s = try Self.story()
        #expect(NeuronChart().hasContent(s))
        #expect(ChartRegistry.available(s).map(\.id).contains("neuron"))
        #expect(s.ghosts.map(\.name) == ["R=4", "R=0"] && s.ghosts.map(\.forkStep) == [1, 2])
        var state = AppState()
        state.focus = "neuron"
        let colour = Screen(unicode: true, color: true).render(state, s, width: 100, height: 30)
        #expect(colour.lines.contains { $0.contains("neuron vs closed form") })
        Golden.check(colour, "screen-lazy-vs-rich-100x30", styles: true)
        let mono = Screen(unicode: true, color: false).render(state, s, width: 100, height: 30)
        Golden.check(mono, "screen-lazy-vs-rich-100x30-no-color")
        state.expanded = true
        Golden.check(
            Screen(unicode: true, color: true).render(state, s, width: 160, height: 48),
            "screen-lazy-vs-rich-160x48-expanded", styles: true)
    }
}
