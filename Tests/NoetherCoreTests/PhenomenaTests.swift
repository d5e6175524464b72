import Foundation
import Testing
@testable import NoetherCore

/// THEORY.md §8 phenomena, reproduced with this engine's own seeds.
@Suite("Phenomena of THEORY.md §8")
struct PhenomenaTests {
    /// P1: with λ = 0 and β = 0 every scale charge rises at every step, and the growth at fixed
    /// time t = ηk is proportional to η (a finite-learning-rate effect).
    @Test func p1ScaleGrowthIsProportionalToTheLearningRate() throws {
        func growth(_ eta: Double) throws -> Double {
            let c = config {
                $0.lr = eta; $0.momentum = 0; $0.weightDecay = 0
            }
            let steps = Int((2 / eta).rounded())  // t = 2
            let obs = try trajectory(c, steps: steps)
            for k in 1..<obs.count {
                for (a, b) in zip(obs[k - 1].charges, obs[k].charges) where a.symmetry == .scale {
                    #expect(b.value > a.value, "\(a.group) did not rise at step \(k)")
                }
            }
            let pairs = zip(obs[0].charges, obs.last!.charges).filter { $0.0.family == "fc2.scale" }
            return pairs.map { ($1.value - $0.value) / $0.value }.reduce(0, +) / Double(pairs.count)
        }
        let small = try growth(0.02), large = try growth(0.1)
        // Γ ∝ η at fixed t: a 5× larger η gives about 5× the growth (the gradients themselves
        // differ along the two paths, so allow 3×–8×).
        #expect(large / small > 3 && large / small < 8, "growth \(small) → \(large)")
    }

    /// P2: rotational equilibrium — the RMS angular step per update approaches √(2ηλ/(1+β)).
    /// The reference saw 1 % agreement; the window here starts after 4τ_eq = 2000 steps,
    /// where the non-stationary boundary term is small, so 5 % is a real test.
    @Test(arguments: [0.0, 0.9])
    func p2RMSAngularStepMatchesEquilibrium(_ beta: Double) throws {
        let c = config {
            $0.lr = 0.1; $0.weightDecay = 5e-3; $0.momentum = beta
        }
        // Collapsed neurons (momentum 0.9 shrinks a few away) have no angle to speak of.
        let rms = try rmsAngle(c, from: 2000, to: 5000)
        let predicted = (2 * 0.1 * 5e-3 / (1 + beta)).squareRoot()
        #expect(abs(rms / predicted - 1) < 0.05, "RMS angle \(rms) vs \(predicted)")
    }

    /// P6: linear balance. From a small initialization the balance matrix barely drifts while
    /// the weights grow, and the drift at fixed t = ηk grows with η.
    @Test func p6BalanceDriftIsSmallAndGrowsWithTheLearningRate() throws {
        func drift(_ eta: Double, std: Double) throws -> (drift: Double, d0: Double, growth: Double) {
            let c = config {
                $0.arch = .linear; $0.norm = .none; $0.width = 8; $0.depth = 2; $0.data = .teacher; $0.bias = false
                $0.lr = eta; $0.momentum = 0; $0.weightDecay = 0; $0.initStd = std
            }
            let obs = try trajectory(c, steps: Int((20 / eta).rounded()))
            let first = obs[0].charges.first { $0.symmetry == .balance }!
            let last = obs.last!.charges.first { $0.group == first.group }!
            let w = obs.last!.layers.last!.weightNorm2
            return (last.drift!, first.value, w)
        }
        let slow = try drift(0.01, std: 0.05), fast = try drift(0.1, std: 0.05)
        #expect(slow.drift < 0.05 * fast.growth, "drift \(slow.drift) vs |W|² \(fast.growth)")
        #expect(fast.drift > 3 * slow.drift, "drift η=0.01: \(slow.drift), η=0.1: \(fast.drift)")
        let large = try drift(0.1, std: 0.5)
        #expect(large.d0 > 10 * slow.d0)
    }

    /// P10: discrete symmetries of tanh. A neuron with zero in- and out-weights stays exactly
    /// zero, and two identical neurons stay identical, under SGD + momentum + weight decay.
    @Test func p10TanhFixedPointsStayExact() throws {
        let c = config {
            $0.arch = .tanh; $0.norm = .none; $0.depth = 2; $0.width = 8; $0.momentum = 0.9; $0.weightDecay = 1e-3
        }
        let sim = try Simulator(c)
        var theta = sim.flatParameters
        let t = sim.arch.tensors
        let w1 = t.first { $0.name == "fc1.weight" }!, b1 = t.first { $0.name == "fc1.bias" }!
        let w2 = t.first { $0.name == "fc2.weight" }!
        for j in 0..<w1.cols {
            theta[w1.offset + j] = 0; theta[w1.offset + 2 * w1.cols + j] = theta[w1.offset + w1.cols + j]
        }
        theta[b1.offset] = 0; theta[b1.offset + 2] = theta[b1.offset + 1]
        for r in 0..<w2.rows {
            theta[w2.offset + r * w2.cols] = 0
            theta[w2.offset + r * w2.cols + 2] = theta[w2.offset + r * w2.cols + 1]
        }
        try sim.overwriteParameters(theta)
        for _ in 0..<500 { try sim.advance() }
        let p = sim.flatParameters
        for j in 0..<w1.cols {
            #expect(p[w1.offset + j] == 0)
            #expect(p[w1.offset + 2 * w1.cols + j] == p[w1.offset + w1.cols + j])
        }
        for r in 0..<w2.rows {
            #expect(p[w2.offset + r * w2.cols] == 0)
            #expect(p[w2.offset + r * w2.cols + 2] == p[w2.offset + r * w2.cols + 1])
        }
        #expect(p[b1.offset] == 0 && p[b1.offset + 2] == p[b1.offset + 1])
        // The other neurons did move.
        #expect(p[w1.offset + 3 * w1.cols] != theta[w1.offset + 3 * w1.cols])
    }

    /// The same configuration and seed give byte-identical JSON Lines; another seed does not.
    @Test func runsAreDeterministic() throws {
        func lines(_ seed: UInt64) throws -> String {
            let c = config {
                $0.seed = seed; $0.width = 8
            }
            return try trajectory(c, steps: 50).map { ObservationFormat.jsonLine($0) }.joined(separator: "\n")
        }
        let a = try lines(3), b = try lines(3), other = try lines(4)
        #expect(a == b)
        #expect(a != other)
    }

    /// A diverging run stops with a message naming the step instead of trapping.
    @Test func divergenceIsReportedWithTheStep() throws {
        let c = config {
            $0.arch = .linear; $0.norm = .none; $0.data = .teacher; $0.lr = 5; $0.momentum = 0; $0.weightDecay = 0
        }
        let sim = try Simulator(c)
        var error: SimulationError?
        for _ in 0..<1000 {
            do { try sim.advance() } catch let e as SimulationError { error = e; break }
        }
        guard case .diverged(let step, _) = error else { Issue.record("no divergence"); return }
        #expect(step > 0 && step < 1000)
        #expect("\(error!)".contains("diverged at step \(step)"))
        #expect(throws: SimulationError.self) { try sim.advance() }
    }
}

@Suite("Dead neurons")
struct DeadNeuronTests {
    /// A batch-norm neuron whose incoming row is exactly zero has zero variance. With eps = 0 it
    /// must normalize to 0 (no NaN), get no gradient, be flagged dead, and stay out of the
    /// family's worst residual.
    @Test func zeroVarianceNeuronStaysFiniteAndIsFlagged() throws {
        let sim = try Simulator(config { $0.width = 8 })
        var theta = sim.flatParameters
        let w1 = sim.arch.tensors.first { $0.name == "fc1.weight" }!,
            b1 = sim.arch.tensors.first { $0.name == "fc1.bias" }!
        for j in 0..<w1.cols { theta[w1.offset + 3 * w1.cols + j] = 0 }
        theta[b1.offset + 3] = 0  // z ≡ 0 over the batch, as a decayed dead neuron ends up
        try sim.overwriteParameters(theta)
        for _ in 0..<20 { try sim.advance() }
        let o = sim.observation()
        #expect(o.loss.isFinite)
        let neuron = o.charges.first { $0.group == "fc1.scale[3]" }!
        #expect(neuron.dead && neuron.gradNorm2 == 0, "\(neuron)")
        #expect(o.charges.filter { $0.family == "fc1.scale" && $0.group != "fc1.scale[3]" }.allSatisfy { !$0.dead })
        // Its magnitude is 0, so it also counts as collapsed: it appears once, among the collapsed.
        #expect(neuron.collapsed)
        let family = o.families.first { $0.family == "fc1.scale" }!
        #expect(family.collapsed == 1 && family.dead == 0)
        let gradient = sim.flatGradient
        #expect(gradient.allSatisfy { $0.isFinite })
    }
}

extension DeadNeuronTests {
    /// Layer norm over a single feature has zero variance for every sample: the layer outputs β
    /// and the run stays finite.
    @Test func layerNormOverOneFeatureStaysFinite() throws {
        let sim = try Simulator(
            config {
                $0.norm = .layer; $0.width = 1; $0.depth = 2
            })
        for _ in 0..<20 { try sim.advance() }
        #expect(sim.observation().loss.isFinite)
    }
}
