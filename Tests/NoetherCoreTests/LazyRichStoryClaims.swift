import Foundation
import Testing
@testable import NoetherCore

/// The claims of lazy-vs-rich's captions (THEORY.md §14, P21), read from the run the explorer
/// shows: the front run (rich, R = −2) and the ghosts its two forks left (R = 4 lazy, R = 0
/// balanced), each against its own closed form.
enum LazyRichStoryClaims {
    static func r(_ s: SingleNeuronFlow.State) -> Double { s.a * s.a - s.wNorm * s.wNorm }
    static func format(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

    /// The largest distance between the measured a, |w|, ν, S and their closed forms over steps
    /// 2…`last` of the front run (the rich run starts its closed form at its teleport, step 2).
    static func gap(_ run: StoryRun, upTo last: Int) -> Double {
        var worst = 0.0
        for k in 2...last {
            let n = run.steps[k].neuron!
            let (m, c) = (n.measured, n.closedForm)
            worst = max(
                worst, abs(m.a - c.a), abs(m.wNorm - c.wNorm), abs(m.nu - c.nu),
                abs(m.kernelDistance - c.kernelDistance))
        }
        return worst
    }

    /// The same story at η/4 with 4× the steps after the forks: the gap at the same t = 18.
    static func quarterStep(seed: UInt64? = nil) throws -> (gap: Double, ratio: Double, full: Double) {
        var preset = try #require(try PresetTests.shipped().first { $0.name == "lazy-vs-rich" })
        if let seed { preset.config.seed = seed }
        var quarter = preset
        quarter.config.lr /= 4
        quarter.config.steps = 3602
        quarter.schedule = preset.schedule.filter { $0.step <= 2 }
        let full = try StoryRun(preset), fine = try StoryRun(quarter)
        let a = gap(full, upTo: 902), b = gap(fine, upTo: 3602)
        return (b, a / b, a)
    }

    static let claims: [Int: CaptionClaim] = [
        0: { run, _ in
            let n = run.steps[0].neuron!
            #expect(abs(r(n.measured) - 4) < 1e-12, "R = \(r(n.measured))")
            #expect(abs(n.closedForm.a - n.measured.a) < 1e-12 && n.closedForm.t == 0)
            // At step 1 (where the run waits out this caption) the front run is at R = 0 and the
            // ghost keeps R = 4 but for one discrete step's O(η²).
            let front = run.steps[1].neuron!.measured, ghost = run.ghostNeurons[1]![0].measured
            #expect(abs(r(front)) < 1e-12 && abs(r(ghost) - 4) < 1e-3, "\(r(front)) \(r(ghost))")
        },
        2: { run, range in
            let n = run.steps[2].neuron!, ghosts = run.ghostNeurons[2]!
            #expect(abs(r(n.measured) + 2) < 1e-12, "front R = \(r(n.measured))")
            #expect(format(n.measured.a) == "0.46" && format(n.measured.wNorm) == "1.49", "\(n.measured)")
            // The ghosts made one or two discrete steps since their teleports: R moves by O(η²) only.
            #expect(ghosts.count == 2 && abs(r(ghosts[0].measured) - 4) < 1e-3 && abs(r(ghosts[1].measured)) < 1e-4)
            // Every step of the three runs stays on its side of a = 0 (ν has no pole), and each
            // ghost follows its own closed form.
            for k in range {
                #expect(run.steps[k].neuron!.measured.a > 0 && run.ghostNeurons[k]!.allSatisfy { $0.measured.a > 0 })
                for g in run.ghostNeurons[k]! {
                    #expect(abs(g.measured.kernelDistance - g.closedForm.kernelDistance) < 0.01)
                    #expect(abs(g.measured.a - g.closedForm.a) < 0.01)
                }
            }
        },
        402: { run, range in
            let rich = run.steps[402].neuron!.measured, g = run.ghostNeurons[402]!.map(\.measured)
            #expect(format(rich.t, 1) == "8.0")  // 2η per step since the last fork at step 2
            #expect(format(rich.kernelDistance, 3) == "0.085" && format(g[1].kernelDistance, 3) == "0.065")
            #expect(format(g[0].kernelDistance, 5) == "0.00011")
            // While the caption is up, the rich kernel keeps turning and the lazy one has settled.
            #expect(run.steps[range.upperBound].neuron!.measured.kernelDistance > rich.kernelDistance)
            #expect(run.ghostNeurons[range.upperBound]![0].measured.kernelDistance < 2e-4)
        },
        902: { run, range in
            let rich = run.steps[902].neuron!.measured, g = run.ghostNeurons[902]!.map(\.measured)
            #expect(format(rich.t, 1) == "18.0")
            #expect(format(rich.kernelDistance) == "0.20" && format(g[1].kernelDistance, 3) == "0.068")
            #expect(run.steps[range.upperBound].neuron!.measured.kernelDistance > rich.kernelDistance + 0.005)
            #expect(format(g[0].kernelDistance, 5) == "0.00011")
            // The balanced run has settled: S moved by less than 0.005 since t = 8.
            #expect(abs(g[1].kernelDistance - run.ghostNeurons[402]![1].measured.kernelDistance) < 0.005)
            #expect(format(gap(run, upTo: 902), 4) == "0.0086")
            let q = try! quarterStep()
            #expect(format(q.gap, 4) == "0.0023" && format(q.ratio, 1) == "3.7", "\(q)")
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
