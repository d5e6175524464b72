import Testing
@testable import NoetherCore

/// Each group action leaves the minibatch loss unchanged (THEORY.md §2), to 1e-12 relative.
@Suite("Symmetry invariance of the loss")
struct InvarianceTests {
    struct Setup {
        var arch: Architecture
        var theta: [Double]
        var net: Backprop
        var x: [Double], labels: [Int], targets: [Double]
        var symmetries: SymmetrySet

        init(_ c: Config, task: Task = .classification) {
            arch = try! Architecture(config: c, inputDim: 4, outputDim: 3, task: task)
            var rng = Xoshiro256(seed: 7)
            theta = arch.initialParameters(c, rng: &rng)
            net = Backprop(arch: arch, batch: 9)
            x = (0..<36).map { _ in rng.normal() }
            labels = (0..<9).map { _ in rng.below(3) }
            targets = (0..<27).map { _ in rng.normal() }
            symmetries = SymmetrySet(arch: arch)
        }

        func loss(_ t: [Double]) -> Double {
            t.withUnsafeBufferPointer {
                net.run(theta: $0.baseAddress!, grad: nil, x: x, labels: labels, targets: targets).loss
            }
        }

        func act(_ g: SymmetryGroup, _ alpha: Double) -> [Double] { acted(theta, g, alpha) }
    }

    static let models: [(Activation, Normalization)] = [
        (.relu, .batch), (.leakyRelu, .none), (.linear, .none), (.relu, .layer), (.tanh, .layer), (.linear, .batch),
    ]

    @Test(arguments: models)
    func everyGroupActionPreservesTheLoss(_ a: Activation, _ n: Normalization) {
        let s = Setup(
            config {
                $0.arch = a; $0.norm = n; $0.depth = 2; $0.width = 6
            })
        let base = s.loss(s.theta)
        #expect(!s.symmetries.groups.isEmpty)
        for g in s.symmetries.groups {
            for alpha in [0.7, -0.4] {
                let moved = s.act(g, alpha)
                #expect(moved != s.theta)
                #expect(relative(s.loss(moved), base) < 1e-12, "\(g.name) α=\(alpha)")
            }
        }
    }

    /// A non-symmetry must change the loss, or the test above could not fail.
    @Test func aNonSymmetryChangesTheLoss() {
        let s = Setup(
            config {
                $0.arch = .tanh; $0.norm = .none; $0.depth = 2; $0.width = 6
            })
        var t = s.theta
        t[0] *= 2
        #expect(relative(s.loss(t), s.loss(s.theta)) > 1e-6)
    }

    /// GL(n) balance of a linear net: W_l → M W_l, b_l → M b_l, W_{l+1} → W_{l+1} M⁻¹ for
    /// M = I + εE_ij (inverse I − εE_ij), composed over several (i, j).
    @Test func linearBalanceActionPreservesTheLoss() {
        let s = Setup(
            config {
                $0.arch = .linear; $0.norm = .none; $0.depth = 2; $0.width = 5
            }, task: .regression)
        #expect(s.symmetries.balances.count == 2)
        let base = s.loss(s.theta)
        for g in s.symmetries.balances {
            var t = s.theta
            for (i, j, e) in [(0, 1, 0.8), (3, 2, -1.3), (4, 0, 0.5)] {
                // Rows: row_i += e · row_j (M W̃); columns of W_{l+1}: col_j −= e · col_i (W M⁻¹).
                for c in 0..<g.inputs { t[g.incoming + i * g.inputs + c] += e * t[g.incoming + j * g.inputs + c] }
                if let b = g.incomingBias { t[b + i] += e * t[b + j] }
                for r in 0..<g.outputs { t[g.outgoing + r * g.n + j] -= e * t[g.outgoing + r * g.n + i] }
            }
            #expect(relative(s.loss(t), base) < 1e-12, "\(g.name)")
        }
    }

    @Test func tanhHasNoRescaleChargesAndSaysSo() {
        let s = Setup(
            config {
                $0.arch = .tanh; $0.norm = .none
            }, task: .regression)
        #expect(s.symmetries.groups.isEmpty)
        #expect(s.symmetries.notes.contains { $0.contains("tanh") && $0.contains("discrete") })
        #expect(s.symmetries.notes.contains { $0.contains("no continuous parameter symmetry") })
    }
}
