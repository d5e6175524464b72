import Foundation
import Testing
@testable import NoetherCore

/// The noise equilibrium (THEORY.md §17): the rescale identity (17.1) under any batch size, the
/// fixed point (17.2) against every minibatch of a small data set, and the story keys it needs
/// (`batch-size` in an `[[at]]` table, `both = true` for a change to the ghost as well).
@Suite("Noise equilibrium")
struct NoiseEquilibriumTests {
    static let family = "fc1-fc2.rescale"

    static func small(samples: Int, batch: Int) -> Config {
        config {
            $0.arch = .leakyRelu; $0.norm = .none; $0.depth = 1; $0.width = 5; $0.inputDim = 3; $0.classes = 3
            $0.samples = samples; $0.batchSize = batch; $0.lr = 0.1; $0.momentum = 0; $0.weightDecay = 0
        }
    }

    /// (17.2): at R* each group's orbit point a* makes the mean of F = a²|g_out|² − |g_in|²/a² over
    /// every minibatch of the current size vanish, and R* is that point's charge.
    @Test(arguments: [2, 3])
    func theFixedPointCancelsTheMeanPushOverEveryMinibatch(batch: Int) throws {
        let sim = try Simulator(Self.small(samples: 8, batch: batch))
        for _ in 0..<20 { try sim.advance() }
        let eq = try #require(sim.noiseEquilibrium(family: Self.family))
        let groups = sim.symmetries.groups.filter { $0.family == Self.family }
        #expect(groups.count == 5 && eq.charges.count == 5)
        // Every subset of `batch` of the 8 samples, each a minibatch the sampler may draw.
        func subsets(_ k: Int, from start: Int) -> [[Int]] {
            guard k > 0 else { return [[]] }
            return (start..<8).flatMap { i in subsets(k - 1, from: i + 1).map { [i] + $0 } }
        }
        let batches = subsets(batch, from: 0)
        #expect(batches.count == (batch == 2 ? 28 : 56))
        let n = sim.parameterCount, d = sim.data.inputDim
        let backprop = Backprop(arch: sim.arch, batch: batch)
        var meanIn = [Double](repeating: 0, count: groups.count), meanOut = meanIn
        var x = [Double](repeating: 0, count: batch * d), labels = [Int](repeating: 0, count: batch)
        var g = [Double](repeating: 0, count: n)
        for b in batches {
            for (r, sample) in b.enumerated() {
                for j in 0..<d { x[r * d + j] = sim.data.inputs[sample * d + j] }
                labels[r] = sim.data.labels[sample]
            }
            _ = backprop.run(theta: sim.theta, grad: &g, x: x, labels: labels, targets: nil)
            for (j, group) in groups.enumerated() {
                for s in group.segments {
                    let sum = (0..<s.count).map { g[s.offset + $0 * s.stride] }.map { $0 * $0 }.reduce(0, +)
                    if s.sign < 0 {
                        meanIn[j] += sum / Double(batches.count)
                    } else {
                        meanOut[j] += sum / Double(batches.count)
                    }
                }
            }
        }
        let theta = sim.flatParameters
        for (j, group) in groups.enumerated() {
            #expect(relative(eq.expectedIn[j], meanIn[j]) < 1e-12, "E|g_in|² of \(group.name)")
            #expect(relative(eq.expectedOut[j], meanOut[j]) < 1e-12, "E|g_out|² of \(group.name)")
            let a2 = (meanIn[j] / meanOut[j]).squareRoot()
            let push = a2 * meanOut[j] - meanIn[j] / a2
            #expect(abs(push) < 1e-12 * (a2 * meanOut[j] + meanIn[j] / a2), "mean push at a* of \(group.name)")
            var inside = 0.0, outside = 0.0
            for s in group.segments {
                let sum = (0..<s.count).map { theta[s.offset + $0 * s.stride] }.map { $0 * $0 }.reduce(0, +)
                if s.sign < 0 { inside += sum } else { outside += sum }
            }
            #expect(relative(eq.charges[j], outside / a2 - a2 * inside, scale: outside + inside) < 1e-12)
        }
    }

    /// Full batch has no noise: E|g_B|² is |G|², the squared full-batch gradient.
    @Test func fullBatchExpectsTheFullGradient() throws {
        let sim = try Simulator(Self.small(samples: 8, batch: 8))
        for _ in 0..<5 { try sim.advance() }
        let eq = try #require(sim.noiseEquilibrium(family: Self.family))
        let g = sim.flatGradient
        for (j, group) in sim.symmetries.groups.filter({ $0.family == Self.family }).enumerated() {
            var inside = 0.0
            for s in group.segments where s.sign < 0 {
                inside += (0..<s.count).map { g[s.offset + $0 * s.stride] }.map { $0 * $0 }.reduce(0, +)
            }
            #expect(relative(eq.expectedIn[j], inside) < 1e-12)
        }
    }

    /// `batch-size` in a story: the next update uses all the samples, (17.1) and the exact
    /// prediction hold across the switch, and a table with `both = true` acts on the ghost too.
    @Test func aStoryChangesTheBatchOfBothRuns() throws {
        let text = """
            norm = "none"
            arch = "leaky-relu"
            depth = 1
            width = 6
            samples = 64
            batch-size = 4
            lr = 0.1
            momentum = 0.0
            weight-decay = 0.0
            steps = 40

            [[at]]
            step = 0
            both = true
            teleport = { family = "fc1-fc2.rescale", factor = 2.0 }

            [[at]]
            step = 0
            fork = true
            teleport = { family = "fc1-fc2.rescale", factor = 0.25 }

            [[at]]
            step = 20
            both = true
            batch-size = 1000
            """
        let preset = try Preset.parse(text, name: "t", file: "t.toml")
        #expect(preset.schedule.map(\.both) == [true, false, true])
        #expect(preset.schedule[2].batchSize == 1000)
        // Written and read back, the story is the same.
        #expect(try Preset.parse(preset.toml(), name: "t", file: "t.toml") == preset)
        let session = try Session(preset)
        let ghost = try #require(session.ghost)
        func charges(_ s: Simulator) -> [Double] {
            s.observation().charges.filter { $0.family == Self.family }.map(\.value)
        }
        // The ghost moved by 2, the fork by 2 then 1/4: the two runs sit at a and 1/a.
        let plain = try Simulator(preset.config)
        #expect(relative(ghost.loss, plain.loss) < 1e-12 && relative(session.front.loss, plain.loss) < 1e-12)
        #expect(zip(charges(ghost), charges(session.front)).allSatisfy { $0 < $1 })
        while session.step < 20 { try session.advance() }
        for sim in [session.front, session.ghost!] {
            #expect(sim.batchSize == 64 && sim.config.batchSize == 1000, "both runs are full batch")
        }
        // Full batch: the minibatch loss is the loss over all 64 samples, at every step.
        for _ in 0..<20 {
            let before = charges(session.front), g = session.front.flatGradient, eta = 0.1
            let groups = session.front.symmetries.groups.filter { $0.family == Self.family }
            try session.advance()
            let after = charges(session.front)
            for (j, group) in groups.enumerated() {
                var f = 0.0
                for s in group.segments {
                    f += s.sign * (0..<s.count).map { g[s.offset + $0 * s.stride] }.map { $0 * $0 }.reduce(0, +)
                }
                // (17.1) with λ = 0: R' = R + η²(|g_out|² − |g_in|²).
                #expect(abs(after[j] - before[j] - eta * eta * f) < 1e-12 * max(1, abs(before[j])))
            }
        }
        for sim in [session.front, session.ghost!] {
            let o = sim.observation()
            #expect(o.families.allSatisfy { $0.residualMax < 1e-12 }, "exact prediction across the switch")
        }
        // A replay to step 30 rebuilds both runs bit for bit, the ghost's batch change included.
        let replayed = try Session(preset, to: 30)
        let live = try Session(preset)
        while live.step < 30 { try live.advance() }
        #expect(replayed.front.flatParameters == live.front.flatParameters)
        #expect(replayed.ghost!.flatParameters == live.ghost!.flatParameters)
        #expect(replayed.ghost!.batchSize == 64)
        // Going back to step 25 keeps the change both runs had at step 20.
        try live.rewind(to: 25)
        let at25 = try Session(preset, to: 25)
        #expect(live.ghost!.flatParameters == at25.ghost!.flatParameters && live.ghost!.batchSize == 64)
        #expect(live.front.flatParameters == at25.front.flatParameters)
    }

    @Test func badStoryKeysAreRefusedWithTheirLine() {
        let base = "norm = \"none\"\nsteps = 10\n"
        for (table, message) in [
            ("[[at]]\nstep = 1\nbatch-size = 1\n", "t.toml:5: batch-size must be 2…1000000"),
            ("[[at]]\nstep = 1\nbatch-size = 2.5\n", "t.toml:5: batch-size must be an integer"),
            ("[[at]]\nstep = 1\nboth = 1\n", "t.toml:5: both must be true or false"),
            ("[[at]]\nstep = 1\nfork = true\nboth = true\n", "t.toml:3: an [[at]] table cannot both fork"),
        ] {
            #expect(throws: PresetError.self) { try Preset.parse(base + table, name: "t", file: "t.toml") }
            do {
                _ = try Preset.parse(base + table, name: "t", file: "t.toml")
            } catch {
                #expect(error.description.hasPrefix(message), "\(error.description)")
            }
        }
    }
}
