import Foundation
import NoetherCore
import Testing
@testable import NoetherUI

/// The sharpness chart (THEORY.md §16) on whole frames: the heavy-ball edge-of-stability preset
/// with η raised midway, so the stability lines move; every line labelled at its end and in the
/// legend, and the loss chart's title saying what its ▲ marks.
@Suite("Sharpness screen")
struct SharpnessScreenTests {
    /// heavy-ball-edge for 450 steps with η 0.6 → 0.7 at step 300, observed as the explorer does.
    static func story() throws -> Snapshot {
        var p = try PresetLibrary.load("heavy-ball-edge")
        p.config.steps = 450
        p.schedule = [p.schedule[0], ScheduledChange(step: 300, learningRate: 0.7)]
        let session = try Session(p)
        var s = Snapshot(config: p.config)
        s.observe(session.front)
        while session.step < p.config.steps {
            try session.advance()
            s.observe(session.front)
        }
        s.notes = session.front.symmetries.notes
        s.markers = SessionDriver.markers(session.log, from: p.config.live)
        s.title = p.title
        s.description = p.description
        s.caption = p.schedule[0].say
        s.targetSteps = p.config.steps
        return s
    }

    func render(_ s: Snapshot, _ w: Int, _ h: Int, unicode: Bool = true, color: Bool = true) -> Buffer {
        var state = AppState()
        state.focus = "sharpness"
        return Screen(unicode: unicode, color: color).render(state, s, width: w, height: h)
    }

    @Test func framesAtThreeSizesAndWithoutColourOrUnicode() throws {
        let s = try Self.story()
        for (w, h) in [(80, 24), (100, 30), (160, 48)] {
            let b = render(s, w, h)
            Golden.check(b, "screen-sharpness-\(w)x\(h)", styles: true)
            let text = b.lines.joined(separator: "\n")
            #expect(text.contains("─ sharpness λ₁"), "\(w)×\(h): the chart is on screen")
            // The loss chart's title names what its ▲ marks.
            #expect(text.contains("▲ λ₁=2(1+β)/η") || text.contains("▲ λ₁ reached 2(1+β)/η"), "\(w)×\(h)")
        }
        let ascii = render(s, 100, 30, unicode: false, color: false)
        Golden.check(ascii, "screen-sharpness-100x30-ascii")
        for line in ascii.lines { #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "\(line)") }
    }

    /// Each line's name is written at its end inside the plot (not only in the legend), and the
    /// lines follow η: 2/η is 3.33 before step 300 and 2.86 after.
    @Test func linesAreLabelledAndFollowTheStepSize() throws {
        let s = try Self.story()
        let b = render(s, 160, 48)
        let lines = s.history[.stabilityLine(.plain)]!.recentInOrder
        #expect(lines.contains { abs($0.value - 2 / 0.6) < 1e-12 } && abs(lines.last!.value - 2 / 0.7) < 1e-12)
        let text = b.lines.joined(separator: "\n")
        for label in ["λ₁", "2/η", "2(1+β)/η", "2(1−β)/η"] {
            #expect(text.components(separatedBy: label).count >= 3, "\(label): in the legend and at its line's end")
        }
    }
}
