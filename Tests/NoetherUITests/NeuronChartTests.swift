import Foundation
import NoetherCore
import Testing
@testable import NoetherUI

/// The single-neuron panel (THEORY.md §14.2) on the lazy-vs-rich story: whole frames against
/// goldens, in colour and without.
@Suite("Neuron chart")
struct NeuronChartTests {
    /// lazy-vs-rich after 400 steps: the fork (rich, R = −2) in front, the ghost (lazy, R = 4) faint.
    static func story() throws -> Snapshot {
        let preset = try PresetLibrary.load("lazy-vs-rich")
        let session = try Session(preset)
        var front = Snapshot(config: preset.config), ghost = Snapshot(config: preset.config)
        front.observe(session.front)
        for _ in 0..<400 {
            _ = try session.advance()
            front.observe(session.front)
            if let g = session.ghost { ghost.observe(g) }
        }
        front.ghost = Ghost(history: ghost.history, live: ghost.live, forkStep: 1)
        front.title = preset.title
        front.description = preset.description
        front.caption = preset.schedule.last { $0.say != nil && $0.step <= 400 }?.say
        front.targetSteps = preset.config.steps
        front.notes = session.front.symmetries.notes
        return front
    }

    @Test func theStoryFocusesTheNeuronPanel() throws {
        let s = try Self.story()
        #expect(NeuronChart().hasContent(s))
        #expect(ChartRegistry.available(s).map(\.id).contains("neuron"))
        var state = AppState()
        state.focus = "neuron"
        let colour = Screen(unicode: true, color: true).render(state, s, width: 100, height: 30)
        #expect(colour.lines.contains { $0.contains("neuron vs closed form") })
        Golden.check(colour, "screen-lazy-vs-rich-100x30", styles: true)
        let mono = Screen(unicode: true, color: false).render(state, s, width: 100, height: 30)
        Golden.check(mono, "screen-lazy-vs-rich-100x30-no-color")
    }
}
