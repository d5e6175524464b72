import Foundation
import NoetherCore
import Testing
@testable import NoetherUI

/// Every number a caption cites is on the rendered screen while the caption is up: in a legend,
/// a title, a tick or the header, to the caption's own precision (a percentage may be a ratio
/// on screen: "about 1 %" for Γ/Q₀ = 0.0098).
@Suite("Caption numbers on screen")
struct CaptionNumberTests {
    /// The numbers of a text, with how many decimals each was written with; numbers glued to
    /// letters (fc2, η², §5.3) are names, not values.
    static func numbers(_ text: String) -> [(value: Double, decimals: Int, percent: Bool, about: Bool)] {
        let normalized = text.replacingOccurrences(of: "−", with: "-")
        let pattern = #"(?<![\p{L}\d.§⁽₀-₉²³])-?\d+(\.\d+)?(?![\p{L}\d²³⁽])(\s?%)?"#
        let regex = try! NSRegularExpression(pattern: pattern)
        let ns = normalized as NSString
        return regex.matches(in: normalized, range: NSRange(location: 0, length: ns.length)).compactMap { m in
            var token = ns.substring(with: m.range)
            let percent = token.hasSuffix("%")
            token = token.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
            guard let v = Double(token) else { return nil }
            let decimals = token.split(separator: ".").dropFirst().first?.count ?? 0
            let before = ns.substring(to: m.range.location).split(separator: " ").last.map(String.init) ?? ""
            return (v, decimals, percent, ["about", "near", "around", "~"].contains(before))
        }
    }

    /// Whether `n` is shown: some number on the screen that rounds to it at the caption's
    /// precision ("about 8" is a number from 7.5 to 8.5 on screen; "about 1 %" may be a ratio
    /// shown as 0.0098). "About" says the value moves while the caption is up, never that the
    /// screen may show another one.
    static func shown(_ n: (value: Double, decimals: Int, percent: Bool, about: Bool), on screen: [Double]) -> Bool {
        let half = 0.5 * pow(10, -Double(n.decimals)) * (1 + 1e-9)
        return screen.contains { v in
            let candidates = n.percent ? [v, v * 100] : [v]
            return candidates.contains { abs($0 - n.value) <= half }
        }
    }

    /// Plays a preset's story on the simulator and renders the 160×48 screen at the first and
    /// the last step of each caption; returns the captions whose numbers are not all on screen.
    static func missing(_ name: String) throws -> [String] {
        let preset = try PresetLibrary.load(name)
        let sim = try Simulator(preset.config)
        var pending = preset.schedule[...]
        var s = Snapshot(config: preset.config)
        s.targetSteps = preset.config.steps
        s.title = preset.title
        s.description = preset.description
        var state = AppState()
        var problems: [String] = []
        let captions = preset.schedule.filter { $0.say != nil }
        var frames: [String: [Double]] = [:]
        func capture() {
            let o = sim.observation()
            s.families = o.families
            s.charges = o.charges
            s.layerNames = o.layers.map(\.name)
            s.step = sim.step
            s.live = sim.live
            s.notes = sim.symmetries.notes
            state.follow(s.narration, s)
            let text = Screen(unicode: true, color: false).render(state, s, width: 160, height: 48).lines
                .dropLast(3).joined(separator: "\n")  // not the caption itself
            frames[s.caption ?? "", default: []] += numbers(text).map(\.value)
        }
        s.history.record(step: 0, Snapshot.sample(sim.observation()))
        while sim.step < preset.config.steps {
            let applied = try sim.applyDue(&pending)
            for change in applied {
                if let say = change.say { s.caption = say }
                if change.focus != nil || change.family != nil {
                    s.narration.serial += 1
                    s.narration.focus = change.focus
                    s.narration.family = change.family
                }
            }
            let starts = !applied.filter { $0.say != nil }.isEmpty
            let ends = captions.contains { $0.step == sim.step + 1 } || sim.step + 1 == preset.config.steps
            if starts || ends { capture() }
            try sim.advance()
            s.history.record(step: sim.step, Snapshot.sample(sim.observation()))
        }
        capture()
        for c in captions {
            let say = c.say!
            let onScreen = frames[say] ?? []
            let absent = numbers(say).filter { !shown($0, on: onScreen) }
            if !absent.isEmpty { problems.append("\(name) step \(c.step): \(absent.map(\.value)) of \"\(say)\"") }
        }
        return problems
    }

    @Test func numbersAreReadAsTheCaptionWritesThem() {
        let found = Self.numbers("fc2's median rose from 0.978 to 0.993 (η²|g|², §5.3), about 1 %, −0.08, step 195")
        #expect(found.map(\.value) == [0.978, 0.993, 1, -0.08, 195])
        #expect(found.map(\.percent) == [false, false, true, false, false])
    }

    @Test(arguments: ["default", "bn-scale-growth", "linear-balance", "adam-breaking"])
    func everyCaptionNumberIsOnTheScreen(_ name: String) throws {
        let problems = try Self.missing(name)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
