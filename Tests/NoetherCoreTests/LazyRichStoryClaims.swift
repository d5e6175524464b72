import Foundation
import Testing
@testable import NoetherCore

/// The claims of lazy-vs-rich's captions (THEORY.md §14, P21), read from the run the explorer
/// shows: the front run (the rich fork) and the ghost (lazy), each against its closed form.
enum LazyRichStoryClaims {
    static func r(_ s: SingleNeuronFlow.State) -> Double { s.a * s.a - s.wNorm * s.wNorm }
    static func format(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

    /// The largest distance between the measured a, |w|, ν, S and their closed forms over steps
    /// 1…`last` of the front run (the fork starts its closed form at step 1).
    static func gap(_ run: StoryRun, upTo last: Int) -> Double {
        var worst = 0.0
        for k in 1...last {
            let n = run.steps[k].neuron!
            let (m, c) = (n.measured, n.closedForm)
            worst = max(
                worst, abs(m.a - c.a), abs(m.wNorm - c.wNorm), abs(m.nu - c.nu),
                abs(m.kernelDistance - c.kernelDistance))
        }
        return worst
    }

    /// The same story at η/4 with 4× the steps: the gap at the same t = 18.
    static func quarterStep(seed: UInt64? = nil) throws -> (gap: Double, ratio: Double, full: Double) {
        var preset = try #require(try PresetTests.shipped().first { $0.name == "lazy-vs-rich" })
        if let seed { preset.config.seed = seed }
        var quarter = preset
        quarter.config.lr /= 4
        quarter.config.steps = 3600
        quarter.schedule = preset.schedule.filter { $0.step <= 1 }
        let full = try StoryRun(preset), fine = try StoryRun(quarter)
        let a = gap(full, upTo: 900), b = gap(fine, upTo: 3600)
        return (b, a / b, a)
    }

    static let claims: [Int: CaptionClaim] = [
        0: { run, _ in
            let n = run.steps[0].neuron!
            #expect(abs(r(n.measured) - 4) < 1e-12, "R = \(r(n.measured))")
            #expect(abs(n.closedForm.a - n.measured.a) < 1e-12 && n.closedForm.t == 0)
        },
        1: { run, range in
            let n = run.steps[1].neuron!, ghost = run.ghostNeuron[1]!
            #expect(abs(r(n.measured) + 2) < 1e-12, "fork R = \(r(n.measured))")
            #expect(format(n.measured.a) == "0.47" && format(n.measured.wNorm) == "1.49", "\(n.measured)")
            // The ghost made one discrete step at R = 4: R moves by O(η²) only.
            #expect(abs(r(ghost.measured) - 4) < 1e-3, "ghost R = \(r(ghost.measured))")
            // Every step of both runs stays on its side of a = 0 (ν has no pole).
            for k in range {
                #expect(run.steps[k].neuron!.measured.a > 0 && run.ghostNeuron[k]!.measured.a > 0)
            }
            print("lazy-vs-rich step 1: fork a \(n.measured.a) |w| \(n.measured.wNorm); ghost a \(ghost.measured.a)")
        },
        400: { run, range in
            let rich = run.steps[400].neuron!.measured, lazy = run.ghostNeuron[400]!.measured
            #expect(format(rich.t, 1) == "8.0")  // 2η per step since the fork at step 1
            #expect(format(rich.kernelDistance, 3) == "0.086" && format(lazy.kernelDistance, 5) == "0.00011")
            // While the caption is up, the rich kernel keeps turning and the lazy one has settled.
            #expect(run.steps[range.upperBound].neuron!.measured.kernelDistance > rich.kernelDistance)
            #expect(run.ghostNeuron[range.upperBound]!.measured.kernelDistance < 2e-4)
        },
        900: { run, range in
            let rich = run.steps[900].neuron!.measured, lazy = run.ghostNeuron[900]!.measured
            #expect(format(rich.t, 1) == "18.0")
            #expect(format(rich.kernelDistance) == "0.20" && format(lazy.kernelDistance, 5) == "0.00011")
            #expect(format(gap(run, upTo: 900), 4) == "0.0088")
            let q = try! quarterStep()
            #expect(format(q.gap, 4) == "0.0023" && format(q.ratio, 1) == "3.8", "\(q)")
        },
    ]
}

@Suite("Lazy and rich: the discrete run approaches the closed form at O(η)")
struct LazyRichTests {
    /// At η/4 the largest gap between the fork's a, |w|, ν, S and their closed forms over t ≤ 18
    /// is about 4 times smaller: the discrete run approaches gradient flow at first order in η.
    @Test func theGapShrinksFourfoldAtAQuarterOfTheStep() throws {
        let q = try LazyRichStoryClaims.quarterStep()
        print("lazy-vs-rich gap over t ≤ 18: η \(q.full), η/4 \(q.gap), ratio \(q.ratio)")
        #expect(q.ratio > 3.5 && q.ratio < 4.5, "ratio \(q.ratio)")
    }

    @Test func captions() throws { try PresetStoryTests.checkCaptions(of: "lazy-vs-rich") }
}
