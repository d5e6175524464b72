import Testing
import TestTiers
@testable import NoetherCore

/// Both runs of the noise-equilibrium story, as the explorer and `noether run` drive them: the
/// rescale family's summary of the fork and of the ghost at every step, and each run's noise
/// equilibrium (THEORY.md (17.2)) every 100 steps.
struct ForkedStory: Sendable {
    static let family = "fc1-fc2.rescale"
    var fork: [FamilySummary] = []
    var ghost: [FamilySummary] = []
    var loss: [(fork: Double, ghost: Double)] = []
    var batch: [(fork: Int, ghost: Int)] = []
    /// Step → median R* of (fork, ghost).
    var equilibrium: [Int: (fork: Double, ghost: Double)] = [:]
    let steps: Int

    init(_ preset: Preset, measuringEquilibrium: Bool = true) throws {
        steps = preset.config.steps
        let session = try Session(preset)
        func summary(_ s: Simulator) -> FamilySummary {
            s.observation().families.first { $0.family == Self.family }!
        }
        for k in 0...steps {
            let ghost = try #require(session.ghost)
            fork.append(summary(session.front))
            self.ghost.append(summary(ghost))
            loss.append((session.front.loss, ghost.loss))
            batch.append((session.front.batchSize, ghost.batchSize))
            if measuringEquilibrium, k % 100 == 0 {
                equilibrium[k] = (
                    session.front.noiseEquilibrium(family: Self.family)!.median,
                    ghost.noiseEquilibrium(family: Self.family)!.median
                )
            }
            if k < steps { try session.advance() }
        }
    }

    /// Fork's median charge minus the ghost's at step k.
    func gap(_ k: Int) -> Double { fork[k].q50 - ghost[k].q50 }

    static let shared: ForkedStory = {
        let preset = try! PresetStoryTests.stories().first { $0.name == "noise-equilibrium" }!
        return try! ForkedStory(preset)
    }()
}

/// The claims of the noise-equilibrium preset's captions (P22, THEORY.md §17).
enum NoiseEquilibriumStoryClaims {
    static func format(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

    static func largestGap(_ s: ForkedStory, _ range: ClosedRange<Int>) -> Double {
        range.map { abs(s.gap($0)) }.max()!
    }

    static let claims: [Int: CaptionClaim] = [
        0: { run, _ in
            let s = ForkedStory.shared
            let plain = try! Simulator(run.preset.config)
            #expect(relative(s.loss[0].fork, plain.loss) < 1e-12 && relative(s.loss[0].ghost, plain.loss) < 1e-12)
            #expect(
                format(s.ghost[0].q50) == "-1.47" && format(s.fork[0].q50) == "1.14",
                "\(s.ghost[0].q50) \(s.fork[0].q50)")
            #expect(s.batch[0] == (2, 2) && run.steps[0].families.contains { $0.family == ForkedStory.family })
        },
        200: { _, _ in
            let s = ForkedStory.shared
            #expect(format(s.gap(0)) == "2.61" && format(s.gap(200)) == "0.35", "\(s.gap(0)) → \(s.gap(200))")
            // Both medians moved towards each other: the ghost up, the fork down.
            #expect(s.ghost[200].q50 > s.ghost[0].q50 + 0.4 && s.fork[200].q50 < s.fork[0].q50 - 1.4)
        },
        400: { _, _ in
            let s = ForkedStory.shared
            let worst = largestGap(s, 400...999)
            #expect(worst < 0.21 && s.gap(0) / worst > 12, "largest gap \(worst) over steps 400–999")
            #expect(s.batch[999] == (2, 2))
        },
        1000: { run, range in
            let s = ForkedStory.shared
            #expect(s.batch[1000] == (1024, 1024) && s.batch[range.upperBound] == (1024, 1024), "both full batch")
            #expect(run.steps[1000].families.allSatisfy { $0.residualMax < 1e-12 }, "exact across the switch")
            #expect(format(s.ghost[1000].q50) == "-2.24" && format(s.fork[1000].q50) == "0.01")
            #expect(relative(s.loss[1000].fork, s.loss[1000].ghost) > 0, "two different runs")
        },
        1300: { run, range in
            let s = ForkedStory.shared
            let gaps = (1000...s.steps).map { s.gap($0) }
            #expect(format(s.gap(range.lowerBound)) == "2.25" && format(s.gap(s.steps)) == "2.25")
            #expect(gaps.max()! - gaps.min()! < 0.001, "moved \(gaps.max()! - gaps.min()!)")
            // The same 1000 steps with minibatches closed a gap of 2.61 twelvefold.
            #expect(largestGap(s, 400...999) < 0.1 * s.gap(0))
            // The full gradient fades: |G|² falls from the switch to the end.
            func grad(_ k: Int) -> Double { run.steps[k].layers.map(\.gradNorm2).reduce(0, +) }
            #expect(grad(s.steps) < 0.1 * grad(1000), "|G|² \(grad(1000)) → \(grad(s.steps))")
        },
    ]
}

@Suite("Noise-equilibrium preset story", .fullTierOnly)
struct NoiseEquilibriumStoryTests {
    @Test func captionsAreTrue() throws { try PresetStoryTests.checkCaptions(of: "noise-equilibrium") }

    /// THEORY.md §8's claim over seeds 1–5: minibatches bring the medians 3.5 to 12.6 times closer
    /// (the largest gap over steps 400–999 against the gap at step 0), full batch moves the gap
    /// by less than 0.006 in 1000 steps.
    @Test func theClaimsHoldOverSeeds() throws {
        let preset = try #require(try PresetStoryTests.stories().first { $0.name == "noise-equilibrium" })
        var ratios: [Double] = [], moves: [Double] = []
        for seed in 1...5 {
            var p = preset
            p.config.seed = UInt64(seed)
            let s = seed == 1 ? ForkedStory.shared : try ForkedStory(p, measuringEquilibrium: false)
            ratios.append(s.gap(0) / NoiseEquilibriumStoryClaims.largestGap(s, 400...999))
            let gaps = (1000...s.steps).map { s.gap($0) }
            moves.append(gaps.max()! - gaps.min()!)
            #expect(s.gap(1000) > 2, "seed \(seed): the full-batch forks start apart")
        }
        let format = NoiseEquilibriumStoryClaims.format
        #expect(format(ratios.min()!, 1) == "3.5" && format(ratios.max()!, 1) == "12.6", "\(ratios)")
        #expect(moves.max()! < 0.006, "\(moves)")
    }

    /// THEORY.md §17's numbers: the fork's median drifts while the gap stays small, and the
    /// median of R* (17.2) wanders more than the measured medians do, so it is not drawn.
    @Test func theEquilibriumMovesAndItsFormulaWanders() {
        let s = ForkedStory.shared
        #expect(NoiseEquilibriumStoryClaims.format(s.fork[400].q50) == "-0.74")
        #expect((400...999).map { s.fork[$0].q50 }.min()! < -1.0)
        let steps = Array(stride(from: 400, through: 900, by: 100))
        let fork = steps.map { s.equilibrium[$0]!.fork }, ghost = steps.map { s.equilibrium[$0]!.ghost }
        let measured = stride(from: 400, through: 900, by: 50).flatMap { [s.fork[$0].q50, s.ghost[$0].q50] }
        func range(_ v: [Double]) -> String {
            NoiseEquilibriumStoryClaims.format(v.max()!) + " " + NoiseEquilibriumStoryClaims.format(v.min()!)
        }
        #expect(range(fork) == "-0.97 -1.38" && range(ghost) == "-0.72 -0.98", "\(fork) \(ghost)")
        #expect(range(measured) == "-0.74 -0.99", "\(measured)")
    }
}
