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

    /// Plays a preset's story in the explorer's own session driver (lecture mode holds at each
    /// caption; forks, teleports and the ghost as the explorer runs them) and renders the 160×48
    /// screen at the first and the last step of each caption; returns the captions whose numbers
    /// are not all on screen.
    static func missing(_ name: String) throws -> [String] {
        let preset = try PresetLibrary.load(name)
        var d = SessionDriver(preset: preset, version: "test", speed: 0, lecture: true, now: 0)
        var state = AppState()
        var frames: [String: [Double]] = [:]
        var now = 0.0
        func capture() {
            _ = d.publish(now: now)
            let s = d.snapshot
            state.follow(s.narration, s)
            // Everything above the caption (and its notes): the caption does not count for itself.
            let lines = Screen(unicode: true, color: false).render(state, s, width: 160, height: 48).lines
            let above = lines.prefix { !$0.hasPrefix("▶ ") && !$0.hasPrefix("✎ ") && !$0.hasPrefix("» ") }
            frames[s.caption ?? "", default: []] += numbers(above.joined(separator: "\n")).map(\.value)
        }
        /// Runs until the driver holds (a caption in lecture mode, a story pause) or finishes.
        func playOn() {
            d.handle(.setPaused(false), now: now)
            while d.snapshot.state == .running {
                now += 1
                d.step(now: now, sliceEnd: .infinity, clock: { now })
                d.tidy(now: now)
            }
        }
        let captions = preset.schedule.filter { $0.say != nil }
        let steps = Array(Set(captions.map(\.step))).sorted()
        #expect(d.snapshot.state == .paused && d.snapshot.step == 0 || steps.first! > 0)
        if steps.first! > 0 { playOn() }
        for (i, step) in steps.enumerated() {
            #expect(d.snapshot.step == step, "\(name): held at the caption of step \(step)")
            capture()
            // The step before the next caption (or the run's last), one update at a time.
            let last = i + 1 < steps.count ? steps[i + 1] - 1 : preset.config.steps
            while d.snapshot.step < last {
                for _ in d.snapshot.step..<last { d.handle(.stepOnce, now: now) }
                d.step(now: now, sliceEnd: .infinity, clock: { now })
            }
            capture()
            if i + 1 < steps.count { playOn() }
            while i + 1 < steps.count, d.snapshot.step < steps[i + 1], d.snapshot.state == .paused { playOn() }
        }
        var problems: [String] = []
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

    @Test(arguments: [
        "default", "bn-scale-growth", "linear-balance", "adam-breaking", "bn-teleport", "relu-balance", "layer-norm",
    ])
    func everyCaptionNumberIsOnTheScreen(_ name: String) throws {
        let problems = try Self.missing(name)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
