import Testing
import TestTiers
@testable import NoetherCore

/// The claims of the sharpness presets' captions (THEORY.md §16), read from the same run the
/// explorer shows: the sharpness rows where measured, the loss at every step.
enum SharpnessStoryClaims {
    /// (step, sharpness) where measured in `range`.
    static func measured(_ run: StoryRun, _ range: ClosedRange<Int>) -> [(step: Int, value: Double)] {
        range.compactMap { k in run.steps[k].sharpness.map { (k, $0.top) } }
    }

    /// Sharpness over the line c/η with each step's own η, where measured in `range`.
    static func ratios(_ run: StoryRun, _ range: ClosedRange<Int>, numerator c: Double) -> [(step: Int, value: Double)]
    {
        measured(run, range).map { ($0.step, $0.value * run.steps[$0.step].live.learningRate / c) }
    }

    static func rises(_ run: StoryRun, _ range: ClosedRange<Int>) -> Int {
        range.dropFirst().filter { run.steps[$0].loss > run.steps[$0 - 1].loss }.count
    }

    static let edge: [Int: CaptionClaim] = [
        0: { run, _ in
            let s0 = run.steps[0].sharpness!.top
            #expect(String(format: "%.2f", s0) == "3.59" && String(format: "%.2f", s0 * 0.5 / 2) == "0.90", "\(s0)")
        },
        700: { run, range in
            let r = ratios(run, range, numerator: 2)
            #expect(range.count >= 1000 && r.count >= 20)
            #expect(
                r.allSatisfy { within($0.value, 0.985...1.08) }, "\(r.map(\.value).min()!) … \(r.map(\.value).max()!)")
            let up = rises(run, range)
            #expect(within(Double(up) / Double(range.count), 0.4...0.6), "loss rises at \(up) of \(range.count) steps")
            #expect(run.steps[range.upperBound].loss < run.steps[range.lowerBound].loss, "the loss falls overall")
        },
        1800: { run, range in
            #expect(run.steps[1800].live.learningRate == 0.25)
            #expect(String(format: "%.2f", run.steps[1800].sharpness!.top) == "4.17")
            #expect(rises(run, (range.lowerBound + 50)...range.upperBound) == 0, "falls smoothly")
        },
        4000: { run, range in
            let m = measured(run, range)
            #expect(zip(m, m.dropFirst()).allSatisfy { $1.value > $0.value }, "climbs at every measurement")
            let first = ratios(run, 1800...run.last, numerator: 2).first { $0.value >= 0.95 }?.step ?? -1
            #expect(within(Double(first), 6800...7000), "0.95 of the line first at \(first)")
        },
        7000: { run, range in
            let r = ratios(run, range, numerator: 2)
            #expect(r.allSatisfy { within($0.value, 0.9...1.1) }, "\(r.map(\.value).min()!) … \(r.map(\.value).max()!)")
            #expect(String(format: "%.2f", run.steps[run.last].sharpness!.top) == "8.11")
            #expect(run.steps[range.upperBound].loss < run.steps[range.lowerBound].loss)
        },
    ]

    static let heavyBall: [Int: CaptionClaim] = [
        0: { run, _ in
            #expect(run.steps[0].live.momentum == 0.9 && run.steps[0].live.learningRate == 0.6)
            #expect(String(format: "%.2f", run.steps[0].sharpness!.top) == "3.59")
            #expect(ratios(run, 0...0, numerator: 2)[0].value > 1, "starts above 2/η")
            #expect(ratios(run, 0...0, numerator: 3.8)[0].value < 0.6, "and well below 2(1+β)/η")
        },
        400: { run, range in
            let r = ratios(run, range, numerator: 2 * 1.9)
            #expect(range.count >= 1000)
            #expect(
                r.allSatisfy { within($0.value, 0.905...0.965) }, "\(r.map(\.value).min()!) … \(r.map(\.value).max()!)")
            #expect(ratios(run, range, numerator: 2).allSatisfy { $0.value > 1.7 }, "far above 2/η")
        },
    ]

    /// ‖D‖_F of the linear network's balance matrix.
    static func balance(_ o: Observation) -> Double { o.families.first { $0.family == "fc1-fc2.balance" }!.mean }

    static let balanceAtLargeSteps: [Int: CaptionClaim] = [
        0: { run, _ in
            #expect(run.steps[0].live.learningRate == 0.3)
            #expect(String(format: "%.1f", run.steps[0].sharpness!.top) == "15.2")
            #expect(String(format: "%.1f", balance(run.steps[0])) == "17.4")
        },
        200: { run, range in
            let ghost = try! StoryRun(run.withoutSchedule)
            #expect(ghost.steps[0].live.learningRate == 0.05)
            for k in [range.lowerBound, run.last] {
                #expect(String(format: "%.1f", balance(run.steps[k])) == "2.0", "front ‖D‖ at \(k)")
                #expect(String(format: "%.1f", balance(ghost.steps[k])) == "17.1", "ghost ‖D‖ at \(k)")
            }
            // Both converge: the front to a flat minimum below its line, the ghost to a sharp one.
            #expect(run.steps[run.last].loss < 0.0096 && ghost.steps[run.last].loss < 0.013)
            #expect(String(format: "%.1f", run.steps[run.last].sharpness!.top) == "2.6")
            #expect(ghost.steps[run.last].sharpness!.top > 14)
        },
    ]
}

/// The sharpness presets' captions on the simulator, run as PresetStoryTests runs the others.
@Suite("Sharpness preset stories", .fullTierOnly)
struct SharpnessPresetStoryTests {
    @Test(arguments: ["edge-of-stability", "heavy-ball-edge", "balance-large-step", "periodic-instability"])
    func captionsAreTrue(_ name: String) throws { try PresetStoryTests.checkCaptions(of: name) }
}

extension SharpnessStoryClaims {
    static func etaEff(_ run: StoryRun, _ k: Int) -> Double { run.family("fc2.scale", k).effectiveLearningRateMedian! }

    /// Loss spikes: steps in `range` where the loss is above 0.3 and the largest within 100 steps.
    static func spikes(_ run: StoryRun, _ range: ClosedRange<Int>) -> [Int] {
        range.filter { k in
            run.steps[k].loss > 0.3
                && run.steps[max(0, k - 100)...min(run.last, k + 100)].allSatisfy { $0.loss <= run.steps[k].loss }
        }
    }

    /// Around a spike at k: the largest η_eff of the 40 steps before, the smallest of the 40 after,
    /// and how many times fc2's mean charge grew (its largest within 40 steps over its smallest before).
    static func cycle(_ run: StoryRun, _ k: Int) -> (before: Double, after: Double, jump: Double) {
        let mean = { (i: Int) in run.family("fc2.scale", i).mean }
        return (
            ((k - 40)...k).map { etaEff(run, $0) }.max()!, (k...(k + 40)).map { etaEff(run, $0) }.min()!,
            ((k - 40)...(k + 40)).map(mean).max()! / ((k - 40)...k).map(mean).min()!
        )
    }

    static let periodicInstability: [Int: CaptionClaim] = [
        0: { run, _ in
            #expect((0...run.last).first { run.steps[$0].loss < 0.01 } == 74)
            #expect(String(format: "%.2f", etaEff(run, 0)) == "0.47")
            #expect(etaEff(run, 1000) > 10 * etaEff(run, 0), "η_eff rises")
            #expect(spikes(run, 500...1500).isEmpty, "no spike before the first")
        },
        1400: { run, range in
            #expect(String(format: "%.1f", etaEff(run, 1400)) == "11.5")
            #expect(spikes(run, range) == [1633])
            #expect(String(format: "%.2f", run.steps[1633].loss) == "0.81")
            #expect(String(format: "%.1f", cycle(run, 1633).jump) == "4.6")
        },
        1700: { run, range in
            // The exact prediction, which carries each step's η²‖g‖², stays on every measured charge.
            let worst = (0...run.last).map { k in
                ["fc1.scale", "fc2.scale"].map { run.family($0, k).residualMax }.max()!
            }.max()!
            #expect(worst < 1e-13, "\(worst)")
            #expect(String(format: "%.1f", cycle(run, 1633).after) == "3.9")
        },
        2500: { run, range in
            let found = spikes(run, range.lowerBound...(run.last - 40))
            #expect(found == [3060, 3751, 4289, 5816, 6554])
            for k in found {
                let c = cycle(run, k)
                #expect(within(c.before, 14.15...20.25) && within(c.after, 2.15...5.25), "\(k): \(c)")
                #expect(within(c.jump, 2.75...17.55), "\(k): \(c)")
            }
        },
    ]
}
