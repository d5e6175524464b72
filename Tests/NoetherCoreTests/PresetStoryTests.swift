import Foundation
import Testing
import TestTiers
@testable import NoetherCore

/// A preset run through its schedule the way the headless loop runs it (changes due at step k
/// apply before step k is observed), kept in a form the caption claims can read.
struct StoryRun {
    let preset: Preset
    /// Every step's observation without per-charge rows (loss, live parameters, layers, families).
    private(set) var steps: [Observation] = []
    /// Full observations, with every charge, every `stride` steps and at the last step.
    private(set) var sampled: [Observation] = []
    /// The ghosts' single-neuron readings at each step after a fork, in fork order (THEORY.md §14.2).
    private(set) var ghostNeurons: [Int: [SingleNeuronRun.Reading]] = [:]
    let stride: Int

    init(_ preset: Preset) throws {
        self.preset = preset
        let total = preset.config.steps
        stride = max(1, total / 1000)
        // Driven as the explorer and `noether run` drive it: the story's entries apply at their steps.
        let session = try Session(preset)
        for k in 0...total {
            let o = session.front.observation()
            if k % stride == 0 || k == total { sampled.append(o) }
            var light = o
            light.charges = []
            steps.append(light)
            let readings = session.ghosts.compactMap { $0?.observation(includeCharges: false).neuron }
            if !readings.isEmpty { ghostNeurons[k] = readings }
            if k < total { _ = try session.advance() }
        }
    }

    var last: Int { preset.config.steps }

    /// The same configuration with no changes: the run a fork leaves behind as its ghost.
    var withoutSchedule: Preset {
        var p = preset
        p.schedule = []
        return p
    }

    /// The mean minibatch loss over `range`.
    func meanLoss(_ range: ClosedRange<Int>) -> Double {
        range.map { steps[$0].loss }.reduce(0, +) / Double(range.count)
    }

    func family(_ name: String, _ k: Int) -> FamilySummary {
        guard let f = steps[k].families.first(where: { $0.family == name }) else {
            preconditionFailure("\(preset.name): no family \(name) at step \(k)")
        }
        return f
    }

    func median(_ name: String, _ k: Int) -> Double { family(name, k).q50 }

    func layer(_ name: String, _ k: Int) -> Double { steps[k].layers.first { $0.name == name }!.weightNorm2 }

    /// Full observations whose step lies in `range`.
    func sampled(_ range: ClosedRange<Int>) -> [Observation] { sampled.filter { range.contains($0.step) } }

    /// Root mean square of a scale family's per-step RMS angle over `range` (the normalization
    /// chart's "RMS angle" curve, averaged as THEORY.md §5.3 prescribes: RMS, not mean).
    func rmsAngle(_ name: String, _ range: ClosedRange<Int>) -> Double {
        let values = range.map { family(name, $0).rmsAngularStep! }
        return (values.reduce(0) { $0 + $1 * $1 } / Double(values.count)).squareRoot()
    }

    /// Scale charges of neurons that are still alive (the ones the charts summarise).
    func liveScale(_ o: Observation, _ name: String? = nil) -> [ChargeObservation] {
        o.charges.filter { $0.symmetry == .scale && !$0.dead && (name == nil || $0.family == name) }
    }
}

/// One caption's claim, checked over the steps the caption holds (from its step to the step
/// before the next caption, or the run's last step).
typealias CaptionClaim = @Sendable (StoryRun, ClosedRange<Int>) -> Void

func within(_ x: Double, _ range: ClosedRange<Double>) -> Bool { range.contains(x) }

/// Expects `holds` at every step of `steps`, with one issue that names the first failing step
/// and how many fail (not one issue per step).
func expectEvery<S: Sequence<Int>>(
    _ steps: S, _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ holds: (Int) -> Bool
) {
    let failing = steps.filter { !holds($0) }
    #expect(
        failing.isEmpty, "\(what): fails at \(failing.count) steps, first at \(failing.first ?? -1)",
        sourceLocation: sourceLocation)
}

/// Each shipped preset's narration, caption by caption, with the claim that proves it on the
/// simulator. Numbers in the captions were measured with `noether run --preset NAME`.
enum StoryClaims {
    /// √(2ηλ/(1+β)) at η = 0.1, λ = 5e-3: the equilibrium RMS angle (THEORY.md §5.3).
    static func equilibrium(_ beta: Double) -> Double { (2 * 0.1 * 5e-3 / (1 + beta)).squareRoot() }

    static let all: [String: [Int: CaptionClaim]] = [
        "edge-of-stability": SharpnessStoryClaims.edge,
        "heavy-ball-edge": SharpnessStoryClaims.heavyBall,
        "balance-large-step": SharpnessStoryClaims.balanceAtLargeSteps,
        "lazy-vs-rich": LazyRichStoryClaims.claims,
        "periodic-instability": SharpnessStoryClaims.periodicInstability,
        "noise-equilibrium": NoiseEquilibriumStoryClaims.claims,
        "default": [
            0: { run, range in
                #expect(within(run.median("fc1.scale", 0), 1.125...1.135), "starts at 1.13")
                let grid = stride(from: 0, through: range.upperBound, by: 100).map { run.median("fc1.scale", $0) }
                #expect(zip(grid, grid.dropFirst()).allSatisfy { $1 < $0 }, "falls: \(grid)")
            },
            600: { run, range in
                for f in ["fc1.scale", "fc2.scale"] {
                    expectEvery(range, "\(f) median above Q⁽⁰⁾") {
                        run.family(f, $0).q50 > run.family(f, $0).referenceMedian
                    }
                }
                let sampled = run.sampled(range)
                expectEvery(sampled.indices, "every live charge above its Q⁽⁰⁾") { i in
                    run.liveScale(sampled[i]).allSatisfy { $0.ksbGap > 0 }
                }
            },
            1200: { run, range in
                let k = range.lowerBound
                #expect(within(run.median("fc1.scale", k), 0.225...0.235), "median near 0.23 at \(k)")
                expectEvery(range, "median levelled off") { within(run.median("fc1.scale", $0), 0.19...0.26) }
                // The description: from step 1200 fc1's median holds near 0.22–0.23 (measured 0.211–0.233).
                expectEvery(k...run.last, "near 0.22–0.23") { within(run.median("fc1.scale", $0), 0.21...0.235) }
                #expect(within(run.family("fc1.scale", k).referenceMedian, 0.095...0.105), "Q⁽⁰⁾ 0.10 at \(k)")
                let refs = stride(from: k, through: range.upperBound, by: 100).map {
                    run.family("fc1.scale", $0).referenceMedian
                }
                #expect(zip(refs, refs.dropFirst()).allSatisfy { $1 < $0 }, "Q⁽⁰⁾ keeps falling: \(refs)")
                let gaps = stride(from: k, through: range.upperBound, by: 100).map {
                    run.family("fc1.scale", $0).gapRatioMedian
                }
                #expect(
                    within(gaps[0], 0.09...0.11) && zip(gaps, gaps.dropFirst()).allSatisfy { $1 > $0 },
                    "Γ/Q₀ about 0.1, growing: \(gaps)")
            },
            1600: { run, range in
                #expect(
                    within(run.family("fc1.scale", 0).effectiveLearningRateMedian!, 0.085...0.095),
                    "η_eff starts at 0.09")
                // 0.456 as the caption appears, 0.459 as it goes; about 0.46 all the while.
                expectEvery(range, "η_eff about 0.46") {
                    within(run.family("fc1.scale", $0).effectiveLearningRateMedian!, 0.44...0.48)
                }
                for f in ["fc1.scale", "fc2.scale"] {
                    let rms = run.rmsAngle(f, range)
                    #expect(abs(rms / equilibrium(0.5) - 1) < 0.1, "\(f) RMS angle \(rms) vs \(equilibrium(0.5))")
                }
            },
            1900: { run, range in
                expectEvery(range, "fc1 Γ/Q₀ about 0.16") {
                    within(run.family("fc1.scale", $0).gapRatioMedian, 0.155...0.175)
                }
                expectEvery(range, "fc1 median near 0.22") { within(run.median("fc1.scale", $0), 0.2...0.24) }
            },
        ],
        "bn-scale-growth": [
            0: { run, _ in
                let obs = run.sampled(0...run.last)
                #expect(run.stride == 1 && obs.count == run.last + 1)
                for (a, b) in zip(obs, obs.dropFirst()) {
                    for (x, y) in zip(a.charges, b.charges) where x.symmetry == .scale {
                        #expect(y.value > x.value, "\(x.group) did not rise at step \(b.step)")
                    }
                }
                #expect(within(run.median("fc2.scale", 0), 0.975...0.981))
            },
            70: { run, _ in
                let gaps = (0...run.last).map { run.family("fc2.scale", $0).gapRatioMedian }
                #expect(zip(gaps, gaps.dropFirst()).allSatisfy { $1 > $0 }, "Γ/Q₀ grows at every step")
            },
            140: { run, range in
                for f in ["fc1.scale", "fc2.scale"] {
                    let rates = (0...run.last).map { run.family(f, $0).effectiveLearningRateMedian! }
                    #expect(zip(rates, rates.dropFirst()).allSatisfy { $1 < $0 }, "\(f) η_eff falls at every step")
                }
                let start = run.family("fc2.scale", 0).effectiveLearningRateMedian!
                let now = run.family("fc2.scale", range.lowerBound).effectiveLearningRateMedian!
                #expect(
                    String(format: "%.3f", start) == "0.102" && String(format: "%.3f", now) == "0.101",
                    "\(start) → \(now)")
                #expect(within(1 - now / start, 0.008...0.016), "about 1 %: \(1 - now / start)")
            },
            195: { run, range in
                expectEvery(range, "median 0.993") { within(run.median("fc2.scale", $0), 0.9925...0.9935) }
                expectEvery(range, "Γ/Q₀ about 1 %") {
                    within(run.family("fc2.scale", $0).gapRatioMedian, 0.008...0.012)
                }
            },
        ],
        "bn-equilibrium": [
            0: { run, range in
                #expect(within(run.median("fc2.scale", 0), 0.975...0.981), "falls from 0.98")
                #expect(run.median("fc2.scale", range.upperBound) < 0.2)
            },
            2500: { run, range in
                expectEvery(range, "fc2 median between 0.17 and 0.19") {
                    within(run.median("fc2.scale", $0), 0.165...0.19)
                }
                for f in ["fc1.scale", "fc2.scale"] {
                    let rms = run.rmsAngle(f, range)
                    #expect(abs(rms / equilibrium(0) - 1) < 0.05, "\(f) RMS angle \(rms) vs \(equilibrium(0))")
                }
                #expect(String(format: "%.3f", equilibrium(0)) == "0.032")
            },
            6000: { run, range in
                #expect(run.steps[range.lowerBound - 1].live.momentum == 0)
                #expect(range.allSatisfy { run.steps[$0].live.momentum == 0.5 })
                #expect(abs(equilibrium(0) / equilibrium(0.5) - 1.5.squareRoot()) < 1e-12)
                #expect(String(format: "%.3f", equilibrium(0.5)) == "0.026")
            },
            7000: { run, range in
                for f in ["fc1.scale", "fc2.scale"] {
                    let rms = run.rmsAngle(f, range)
                    #expect(abs(rms / equilibrium(0.5) - 1) < 0.05, "\(f) RMS angle \(rms) vs \(equilibrium(0.5))")
                }
            },
        ],
        "optimizer-equilibria": [
            0: { run, range in
                let line = try! #require(run.steps[0].equilibriumAngle)
                #expect(String(format: "%.3f", line) == "0.023" && run.preset.config.momentum == 0.9)
                #expect(run.rmsAngle("fc2.scale", 1...100) < 0.8 * line, "climbs")
                #expect(abs(run.rmsAngle("fc2.scale", 1000...range.upperBound) / line - 1) < 0.03, "holds at the line")
            },
            4000: { run, range in
                #expect(
                    run.steps[range.lowerBound].live
                        == LiveParameters(learningRate: 0.01, momentum: 0.9, weightDecay: 0.1))
                let line = try! #require(run.steps[range.lowerBound].equilibriumAngle)
                #expect(String(format: "%.3f", line) == "0.010" && line < run.steps[0].equilibriumAngle!)
                #expect(run.rmsAngle("fc2.scale", 4000...4100) > 2 * line, "jumps")
                #expect(within(run.rmsAngle("fc2.scale", 5000...range.upperBound) / line, 0.85...0.90), "10–15 % below")
            },
            8000: { run, range in
                #expect(
                    run.steps[range.lowerBound].live
                        == LiveParameters(learningRate: 1e-3, momentum: 0.9, weightDecay: 1))
                #expect(run.preset.config.beta2 == 0.99)
                let line = try! #require(run.steps[range.lowerBound].equilibriumAngle)
                #expect(String(format: "%.4f", line) == "0.0066")
                #expect(abs(run.rmsAngle("fc2.scale", 9000...range.upperBound) / line - 1) < 0.05, "within 5 %")
            },
        ],
        "relu-balance": [
            0: { run, _ in
                let plain = try! StoryRun(run.withoutSchedule)
                #expect(relative(run.steps[0].loss, plain.steps[0].loss) < 1e-12, "same loss")
                let f = "fc2-fc3.rescale"
                let balanced = run.sampled[0].charges.filter { $0.family == f }
                #expect(
                    balanced.count == 32 && balanced.allSatisfy { abs($0.value) < 1e-12 * $0.magnitude },
                    "\(f) balanced")
                #expect(abs(plain.median(f, 0)) > 1e-3, "\(f) was not balanced before")
            },
            50: { run, range in
                let plain = try! StoryRun(run.withoutSchedule)
                #expect(within(run.meanLoss(1...50) / plain.meanLoss(1...50), 0.92...0.94), "about 7 % lower")
                // Over seeds 1–10 (the description's claim): lower in every one, by 6–12 %.
                for seed in 1...10 {
                    var p = run.preset
                    p.config.seed = UInt64(seed)
                    let fork = try! StoryRun(p), ghost = try! StoryRun(StoryRun(p).withoutSchedule)
                    #expect(within(fork.meanLoss(1...50) / ghost.meanLoss(1...50), 0.88...0.94), "seed \(seed)")
                }
            },
            590: { run, _ in
                let plain = try! StoryRun(run.withoutSchedule)
                let late = run.meanLoss(200...590) / plain.meanLoss(200...590)
                #expect(within(late, 0.97...0.99), "ahead over steps 200–590")
                #expect(late > run.meanLoss(1...50) / plain.meanLoss(1...50), "by less than at first")
            },
        ],
        "relu-steepest": [
            0: { run, _ in
                let plain = try! StoryRun(run.withoutSchedule)
                #expect(relative(run.steps[0].loss, plain.steps[0].loss) < 1e-12, "same loss")
                #expect(
                    run.sampled[0].layers.map(\.gradNorm2).reduce(0, +)
                        > plain.sampled[0].layers.map(\.gradNorm2).reduce(0, +),
                    "larger gradient")
            },
            50: { run, _ in
                let plain = try! StoryRun(run.withoutSchedule)
                #expect(within(run.meanLoss(1...50) / plain.meanLoss(1...50), 0.79...0.81), "20 % below at this seed")
            },
            590: { run, _ in
                let plain = try! StoryRun(run.withoutSchedule)
                #expect(
                    within(run.meanLoss(200...590) / plain.meanLoss(200...590), 0.975...0.99), "a little lower here")
                // The description's and caption's claims over seeds 1–10.
                var early: [Double] = [], late: [Double] = []
                for seed in 1...10 {
                    var p = run.preset
                    p.config.seed = UInt64(seed)
                    let fork = try! StoryRun(p), ghost = try! StoryRun(fork.withoutSchedule)
                    early.append(fork.meanLoss(1...50) / ghost.meanLoss(1...50))
                    late.append(fork.meanLoss(200...590) / ghost.meanLoss(200...590))
                }
                #expect(
                    early.filter { $0 < 1 }.count == 7 && within(early.sorted()[4...5].reduce(0, +) / 2, 0.93...0.95),
                    "\(early)")
                #expect(
                    late.filter { $0 > 1 }.count == 9 && within(late.sorted()[4...5].reduce(0, +) / 2, 1.01...1.03),
                    "\(late)")
            },
        ],
        "bn-teleport": [
            0: { run, range in
                #expect(within(run.median("fc1.scale", 0), 1.13...1.14), "starts at 1.13")
                let grid = stride(from: 0, through: range.upperBound, by: 100).map { run.median("fc1.scale", $0) }
                #expect(zip(grid, grid.dropFirst()).allSatisfy { $1 < $0 }, "falls: \(grid)")
            },
            1000: { run, range in
                expectEvery(range, "median 0.22–0.25") { within(run.median("fc1.scale", $0), 0.22...0.245) }
                expectEvery(range, "η_eff 0.41–0.45") {
                    within(run.family("fc1.scale", $0).effectiveLearningRateMedian!, 0.41...0.455)
                }
            },
            1500: { run, range in
                // The same run without the teleport, to the teleport's step: same minibatch, same loss.
                let plain = try! Simulator(run.preset.config)
                for _ in 0..<1500 { try! plain.advance() }
                let before = plain.observation().families.first { $0.family == "fc1.scale" }!
                #expect(
                    relative(run.steps[1500].loss, plain.loss) < 1e-12 && String(format: "%.3f", plain.loss) == "0.269")
                #expect(relative(run.median("fc1.scale", 1500), 16 * before.q50) < 1e-12, "16-fold")
                #expect(within(before.q50, 0.22...0.225) && within(run.median("fc1.scale", 1500), 3.555...3.565))
                expectEvery(range, "still far up") { run.median("fc1.scale", $0) > 3 }
            },
            1550: { run, range in
                let after = run.family("fc1.scale", 1500).effectiveLearningRateMedian!
                let before = run.family("fc1.scale", 1499).effectiveLearningRateMedian!
                #expect(
                    within(before, 0.445...0.455) && within(after, 0.0275...0.0285)
                        && within(before / after, 15.5...16.5))
                #expect(within(run.rmsAngle("fc1.scale", 1450...1499), 0.0235...0.0245), "0.024 before")
                #expect(within(run.rmsAngle("fc1.scale", 1501...1550), 0.00145...0.00155), "0.0015 after")
                expectEvery(range, "barely turns") { run.rmsAngle("fc1.scale", ($0 - 49)...$0) < 0.004 }
                #expect(
                    within(run.family("fc1.scale", 1550).effectiveLearningRateMedian!, 0.0305...0.0315), "0.031 here")
            },
            1850: { run, range in
                let grid = stride(from: 1500, through: range.upperBound, by: 50).map { run.median("fc1.scale", $0) }
                #expect(zip(grid, grid.dropFirst()).allSatisfy { $1 < $0 }, "shrinks: \(grid)")
                expectEvery(range, "kinetic below potential") {
                    run.family("fc1.scale", $0).kineticRateMedian < run.family("fc1.scale", $0).potentialRate
                }
            },
            2500: { run, range in
                #expect(
                    within(run.median("fc1.scale", 2500), 0.54...0.55)
                        && within(run.family("fc1.scale", 2500).effectiveLearningRateMedian!, 0.18...0.185))
                expectEvery(range, "turns again") { run.rmsAngle("fc1.scale", ($0 - 49)...$0) > 0.01 }
            },
            4050: { run, range in
                let before = (1000...1499).map { run.median("fc1.scale", $0) }.max()!
                let back = (1500...run.last).first { run.median("fc1.scale", $0) <= before }!
                #expect(within(Double(back - 1500), 2400...2600), "back at \(back)")
                expectEvery(range, "near 0.24") { within(run.median("fc1.scale", $0), 0.235...0.255) }
            },
        ],
        "vgg-mini": [
            0: { run, _ in
                for f in ["conv1.scale", "conv2.scale"] {
                    expectEvery(0...run.last, "\(f) residual below 1e-12") { run.family(f, $0).residualMax < 1e-12 }
                    expectEvery(0...run.last, "\(f) exact median on the measured one") {
                        abs(run.family(f, $0).predictedMedian - run.median(f, $0)) <= 1e-12 * run.median(f, $0)
                    }
                }
                #expect(run.steps[0].families.first { $0.family == "conv1.scale" }?.count == 8)
            },
            600: { run, range in
                let target = (2 * 0.05 * 5e-3 / 1.9).squareRoot()
                #expect(String(format: "%.3f", target) == "0.016")
                for f in ["conv1.scale", "conv2.scale"] {
                    let rms = run.rmsAngle(f, range)
                    #expect(abs(rms / target - 1) < 0.05, "\(f) RMS angle \(rms) vs \(target)")
                }
            },
            1800: { run, range in
                let errors = run.sampled(range).map { o in
                    run.liveScale(o, "conv2.scale").map { abs($0.value - $0.continuum) / $0.value }.max()!
                }
                #expect(!errors.isEmpty && errors.max()! < 1e-3, "NM error \(errors.max() ?? .nan)")
            },
        ],
        "resnet-mini": [
            0: { run, _ in
                for f in ["conv1.scale", "conv2.scale", "conv3.scale"] {
                    expectEvery(0...run.last, "\(f) residual below 1e-12") { run.family(f, $0).residualMax < 1e-12 }
                    expectEvery(0...run.last, "\(f) exact median on the measured one") {
                        abs(run.family(f, $0).predictedMedian - run.median(f, $0)) <= 1e-12 * run.median(f, $0)
                    }
                }
                #expect(run.steps[0].families.first { $0.family == "conv2.scale" }?.count == 8)
            },
            600: { run, range in
                let target = (2 * 0.05 * 5e-3 / 1.9).squareRoot()
                #expect(String(format: "%.3f", target) == "0.016")
                for f in ["conv2.scale", "conv3.scale"] {
                    let rms = run.rmsAngle(f, range)
                    #expect(abs(rms / target - 1) < 0.05, "\(f) RMS angle \(rms) vs \(target)")
                }
            },
            1800: { run, range in
                let families = Set(run.steps[0].families.map(\.family))
                #expect(families.contains("cbn2-conv3.rescale"))
                #expect(families.isDisjoint(with: ["cbn1-conv2.rescale", "cbn3-fc1.rescale"]))
                expectEvery(0...run.last, "inner rescale exact") {
                    run.family("cbn2-conv3.rescale", $0).residualMax < 1e-12
                }
            },
        ],
        "theory-overlay": [
            0: { run, _ in
                for f in ["fc1.scale", "fc2.scale"] {
                    expectEvery(0...run.last, "\(f) residual below 1e-12") { run.family(f, $0).residualMax < 1e-12 }
                    expectEvery(0...run.last, "\(f) exact median on the measured one") {
                        abs(run.family(f, $0).predictedMedian - run.median(f, $0)) <= 1e-12 * run.median(f, $0)
                    }
                }
            },
            1000: { run, _ in
                func error(_ o: Observation) -> Double {
                    run.liveScale(o).map { abs($0.value - $0.continuum) / $0.value }.max()!
                }
                let errors = run.sampled(0...run.last).map(error)
                #expect(errors.max()! < 1e-3, "NM error \(errors.max()!)")
                #expect(error(run.sampled(1000...1000)[0]) < errors.last!, "the error grows")
            },
            2000: { run, range in
                let refs = stride(from: range.lowerBound, through: range.upperBound, by: 100).map {
                    run.family("fc1.scale", $0).referenceMedian
                }
                #expect(zip(refs, refs.dropFirst()).allSatisfy { $1 < $0 }, "Q⁽⁰⁾ keeps falling")
                let s = run.family("fc1.scale", range.lowerBound)
                #expect(within((s.q50 - s.referenceMedian) / s.q50, 0.3...0.37), "a third below")
            },
            3900: { run, range in
                expectEvery(range, "about 90 % below") { k in
                    let s = run.family("fc1.scale", k)
                    return within((s.q50 - s.referenceMedian) / s.q50, 0.87...0.92)
                }
                let errors = run.sampled(range).flatMap { o in
                    run.liveScale(o).map { abs($0.value - $0.continuum) / $0.magnitude }
                }
                #expect(!errors.isEmpty && errors.max()! < 1e-3, "NM err \(errors.max() ?? .nan)")
                expectEvery(range, "residual below 1e-12") { run.family("fc1.scale", $0).residualMax < 1e-12 }
            },
        ],
        "rmsprop-analogy": [
            0: { run, _ in
                let deviations = run.sampled(1...run.last).flatMap { o in
                    run.liveScale(o).map { abs($0.rmspropAccumulator! - $0.rmspropEMA!) / $0.rmspropEMA! }
                }
                #expect(!deviations.isEmpty && deviations.max()! < 0.01, "worst deviation \(deviations.max() ?? .nan)")
            },
            3000: { run, range in
                let start = run.family("fc1.scale", 0)
                #expect(
                    within(start.rmspropAccumulatorMedian!, 0.125...0.135)
                        && within(start.rmspropEMAMedian!, 0.125...0.135))
                #expect(within(start.effectiveLearningRateMedian!, 0.085...0.095))
                let medians = range.flatMap { k in
                    [
                        run.family("fc1.scale", k).rmspropAccumulatorMedian!,
                        run.family("fc1.scale", k).rmspropEMAMedian!,
                    ]
                }
                #expect(
                    within(medians.min()!, 0.0033...0.0036) && within(medians.max()!, 0.0055...0.0057),
                    "from 0.13 to \(medians.min()!)…\(medians.max()!)")
                let folds = (
                    start.rmspropAccumulatorMedian! / medians.max()!, start.rmspropAccumulatorMedian! / medians.min()!
                )
                #expect(within(folds.0, 22.5...23.5) && within(folds.1, 36...38.5), "fell \(folds.0)–\(folds.1)-fold")
                let rates = range.map { run.family("fc1.scale", $0).effectiveLearningRateMedian! }
                #expect(
                    within(rates.min()!, 0.415...0.425) && within(rates.max()!, 0.535...0.545),
                    "η_eff \(rates.min()!)…\(rates.max()!)")
            },
        ],
        "layer-norm": [
            0: { run, range in
                for k in [range.lowerBound, run.last] {
                    #expect(run.family("fc1.scale", k).count == 1 && run.family("fc1.translation", k).count == 11)
                }
            },
            300: { run, range in
                let c = 1 - run.preset.config.lr * run.preset.config.weightDecay
                let first = run.sampled[0]
                let sampled = run.sampled(0...run.last)
                expectEvery(sampled.indices, "every column sum on T₀(1−ηλ)^k") { i in
                    let decay: Double = pow(c, Double(sampled[i].step))
                    let pairs = zip(first.charges, sampled[i].charges).filter { $0.0.family == "fc1.translation" }
                    return pairs.count == 11
                        && pairs.allSatisfy { (a: ChargeObservation, b: ChargeObservation) -> Bool in
                            relative(b.value, a.value * decay, scale: a.magnitude) < 1e-12
                        }
                }
                #expect(String(format: "%.3f", c) == "0.998")
                #expect(within(run.median("fc1.translation", 0), -0.905...(-0.895)))
                #expect(within(run.median("fc1.translation", range.lowerBound), -0.5...(-0.48)), "about −0.49 now")
            },
            1000: { run, range in
                #expect(within(run.median("fc1.scale", 0), 35...36), "starts at 35")
                expectEvery(range, "fc1 scale charge about 2.5") { within(run.median("fc1.scale", $0), 2.3...2.7) }
                let refs = stride(from: range.lowerBound, through: range.upperBound, by: 100).map {
                    run.family("fc1.scale", $0).referenceMedian
                }
                #expect(zip(refs, refs.dropFirst()).allSatisfy { $1 < $0 }, "Q⁽⁰⁾ keeps falling: \(refs)")
            },
        ],
        "linear-balance": [
            0: { run, range in
                for l in ["fc1", "fc2", "fc3"] {
                    #expect(within(run.layer(l, 0), 0.05...0.15), "\(l) starts near 0.1")
                    expectEvery(range, "\(l) below 0.3") { run.layer(l, $0) < 0.3 }
                }
            },
            500: { run, range in
                for l in ["fc1", "fc2", "fc3"] {
                    let grid = stride(from: range.lowerBound, through: range.upperBound, by: 100).map {
                        run.layer(l, $0)
                    }
                    #expect(zip(grid, grid.dropFirst()).allSatisfy { $1 > $0 }, "\(l) grows: \(grid)")
                }
                for (a, b) in [("fc1", "fc2"), ("fc2", "fc3")] {
                    let start = run.layer(b, 0) - run.layer(a, 0)
                    expectEvery(0...run.last, "gap \(a)–\(b) fixed") {
                        abs(run.layer(b, $0) - run.layer(a, $0) - start) < 0.01
                    }
                }
            },
            1200: { run, range in
                for l in ["fc1", "fc2", "fc3"] {
                    #expect(within(run.layer(l, range.lowerBound), 2.4...2.8), "\(l) grew to about 2.6")
                }
                expectEvery(0...run.last, "balance drift below 2 %") { k in
                    run.steps[k].families.filter { $0.symmetry == .balance }.allSatisfy { $0.gapRatioMedian < 0.02 }
                }
                let drift = run.sampled.last!.charges.filter { $0.symmetry == .balance }.map { $0.drift! }
                #expect(drift.count == 2 && drift.max()! < 0.003, "‖D − D₀‖ \(drift)")
            },
        ],
        "relu-rescale": [
            0: { run, _ in
                let start = run.median("fc1-fc2.rescale", 0)
                expectEvery(0...run.last, "median within 1 % of its start") {
                    abs(run.median("fc1-fc2.rescale", $0) - start) < 0.01 * abs(start)
                }
            },
            60: { run, _ in
                let gaps = [60, 100, 150, run.last].map { run.family("fc1-fc2.rescale", $0).gapRatioMedian }
                #expect(zip(gaps, gaps.dropFirst()).allSatisfy { $1 > $0 }, "keeps growing: \(gaps)")
            },
            130: { run, _ in
                var slow = run.preset
                slow.config.lr = 0.01
                slow.config.steps = 1000
                let small = try! StoryRun(slow)
                let ratio =
                    run.family("fc1-fc2.rescale", run.last).gapRatioMedian
                    / small.family("fc1-fc2.rescale", small.last).gapRatioMedian
                #expect(within(ratio, 3.5...7), "η 0.05 vs 0.01 at t = 10: \(ratio)")
            },
        ],
        "tanh-discrete": [
            0: { run, _ in
                #expect(run.steps[0].families.map(\.family) == ["fc3.translation"])
            },
            200: { run, _ in
                let scale = abs(run.median("fc3.translation", 0))
                expectEvery(0...run.last, "exact and Q⁽⁰⁾ on the measured median, no gap") { k in
                    let s = run.family("fc3.translation", k)
                    return abs(s.q50 - s.predictedMedian) < 1e-10 * scale
                        && abs(s.q50 - s.referenceMedian) < 1e-10 * scale
                        && abs(s.gapRatioMedian) < 1e-10
                }
            },
            1000: { run, range in
                let start = run.median("fc3.translation", 0), now = run.median("fc3.translation", range.lowerBound)
                #expect(within(start, -0.2045...(-0.2035)) && within(now, -0.1245...(-0.1235)), "\(start) → \(now)")
                let c = run.preset.config
                #expect(abs((1 - c.momentum) / (c.lr * c.weightDecay) - 2000) < 1e-9)
            },
            1990: { run, range in
                let start = run.median("fc3.translation", 0)
                expectEvery(range, "about −0.075") { within(run.median("fc3.translation", $0), -0.0765...(-0.0745)) }
                #expect(within(run.median("fc3.translation", run.last) / start, 0.36...0.375), "e⁻¹ of the start")
            },
        ],
        "translation-momentum": [
            0: { run, _ in
                let series = (0...run.last).map { run.median("fc3.translation", $0) }
                let changes = (1..<series.count).filter { (series[$0 - 1] > 0) != (series[$0] > 0) }
                #expect(changes.count >= 5, "sign changes at \(changes)")
                let spacing = zip(changes, changes.dropFirst()).map { $1 - $0 }
                #expect(!spacing.isEmpty && spacing.allSatisfy { (80...120).contains($0) }, "spacing \(spacing)")
                #expect(run.preset.schedule[0].speed! * 30 == run.last, "\(run.last) steps take 30 s")
            },
            300: { run, _ in
                expectEvery(0...run.last, "Γ/Q₀ below 1e-10") {
                    abs(run.family("fc3.translation", $0).gapRatioMedian) < 1e-10
                }
                let start = abs(run.median("fc3.translation", 0))
                let late = (500...run.last).map { abs(run.median("fc3.translation", $0)) }.max()!
                #expect(late < 0.1 * start, "\(late) vs \(start)")
            },
            500: { run, range in
                let start = abs(run.median("fc3.translation", 0))
                expectEvery(range, "under 10 % of the start") { abs(run.median("fc3.translation", $0)) < 0.1 * start }
                let series = (0...run.last).map { run.median("fc3.translation", $0) }
                let changes = (range.lowerBound...run.last).filter { (series[$0 - 1] > 0) != (series[$0] > 0) }
                #expect(!changes.isEmpty, "still changes sign after step 500")
            },
        ],
        "adam-breaking": [
            0: { run, _ in
                #expect(within(run.median("fc2.scale", 0), 0.975...0.981))
                #expect(run.family("fc2.scale", 10).residualMax > 1e-3, "leaves the exact prediction at once")
                let end = run.family("fc2.scale", run.last)
                #expect(within(end.q50, 7...9) && end.predictedMedian < 2, "\(end.q50) vs exact \(end.predictedMedian)")
            },
            700: { run, range in
                let start = run.median("fc3.translation", 0)
                expectEvery(0...run.last, "Q⁽⁰⁾ flat") { run.family("fc3.translation", $0).referenceMedian == start }
                #expect(within(start, -0.085...(-0.078)))
                expectEvery(range, "drifted well away from the start") { run.median("fc3.translation", $0) < 3 * start }
            },
            1400: { run, range in
                expectEvery(range, "translation gap beyond 0.3") {
                    abs(run.family("fc3.translation", $0).gapRatioMedian) > 0.3
                }
                expectEvery(range, "every residual above 1e-3") { k in
                    run.steps[k].families.allSatisfy { $0.residualMax > 1e-3 }
                }
            },
            1900: { run, range in
                expectEvery(range, "fc2 median about 8") { within(run.median("fc2.scale", $0), 7.5...8.3) }
                expectEvery(range, "exact near 1.3") { within(run.family("fc2.scale", $0).predictedMedian, 1.2...1.35) }
            },
        ],
    ]
}

@Suite("Preset stories: every caption is true of the screen", .fullTierOnly)
struct PresetStoryTests {
    static func stories() throws -> [Preset] { [PresetLibrary.builtInDefault] + (try PresetTests.shipped()) }
    static let chartIDs: Set<String> = [
        "loss", "neuron", "kernel", "sharpness", "norms", "charge", "gap", "normalization", "table", "heatmap", "phase",
    ]

    /// Every preset tells a story from step 0; every caption is short, names a real chart and
    /// family, and has a claim; every claim belongs to a caption.
    @Test func everyCaptionHasAClaim() throws {
        let presets = try Self.stories()
        #expect(presets.count >= 12)
        #expect(Set(presets.map(\.name)) == Set(StoryClaims.all.keys))
        for p in presets {
            let captions = p.schedule.filter { $0.say != nil }
            #expect(captions.count >= 2 && captions.first?.step == 0, "\(p.name): a story starts at step 0")
            #expect(
                Set(captions.map(\.step)) == Set((StoryClaims.all[p.name] ?? [:]).keys), "\(p.name): captions vs claims"
            )
            #expect(captions.allSatisfy { $0.step < p.config.steps }, "\(p.name): a caption after the last step")
            let families = Set(try Simulator(p.config).observation().families.map(\.family))
            for c in p.schedule {
                if let say = c.say { #expect(say.count <= 160, "\(p.name) at \(c.step): \(say.count) characters") }
                if let focus = c.focus { #expect(Self.chartIDs.contains(focus), "\(p.name): focus \(focus)") }
                if let family = c.family { #expect(families.contains(family), "\(p.name): family \(family)") }
                if let speed = c.speed { #expect(speed > 0, "\(p.name): speed \(speed)") }
            }
        }
    }

    @Test(arguments: [
        "default", "bn-scale-growth", "bn-equilibrium", "bn-teleport", "relu-balance", "relu-steepest",
        "theory-overlay", "rmsprop-analogy", "layer-norm",
        "linear-balance", "relu-rescale", "tanh-discrete", "translation-momentum", "adam-breaking", "vgg-mini",
        "resnet-mini", "optimizer-equilibria",
    ])
    func captionsAreTrue(_ name: String) throws { try Self.checkCaptions(of: name) }

    /// Plays the preset `name` to its end and checks each caption's claim over the steps it is up.
    static func checkCaptions(of name: String) throws {
        let preset = try #require(try Self.stories().first { $0.name == name })
        let claims = try #require(StoryClaims.all[name])
        let run = try StoryRun(preset)
        let captions = preset.schedule.filter { $0.say != nil }
        for (i, caption) in captions.enumerated() {
            let end = i + 1 < captions.count ? captions[i + 1].step - 1 : preset.config.steps
            let claim = try #require(claims[caption.step], "\(name): no claim for the caption at \(caption.step)")
            claim(run, caption.step...end)
        }
    }
}
