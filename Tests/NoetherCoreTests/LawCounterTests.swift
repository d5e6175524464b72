import Testing
@testable import NoetherCore

/// THEORY.md §14.3: D − dim Lie(W)(θ) for two-layer networks at random θ.
@Suite("Conservation-law counter")
struct LawCounterTests {
    static func random(_ count: Int, _ rng: inout Xoshiro256) -> [Double] { (0..<count).map { _ in rng.normal() } }

    /// Linear: the entries of UᵀU − VᵀV, r(r+1)/2 of them while r ≤ n + m (n counts a hidden bias).
    @Test(arguments: [(1, 2, 1), (2, 2, 2), (2, 3, 1), (3, 3, 2), (3, 2, 2), (3, 4, 1), (4, 3, 3)])
    func linearHasOneLawPerEntryOfTheBalanceMatrix(_ r: Int, _ n: Int, _ m: Int) {
        var rng = Xoshiro256(seed: UInt64(100 * r + 10 * n + m))
        let count = LawCounter.count(v: Self.random(r * n, &rng), u: Self.random(m * r, &rng), hidden: r, inputs: n,
                                     outputs: m, perNeuron: false)!
        #expect(count.parameters == r * (n + m))
        #expect(count.independent == r * (r + 1) / 2, "r \(r) n \(n) m \(m): \(count)")
    }

    /// Wider than n + m, UᵀU − VᵀV has rank at most n + m, so its entries are not independent:
    /// r(r+1)/2 − (r−k)(r−k+1)/2 laws with k = n + m.
    @Test func widerThanInputsAndOutputsHasFewerLaws() {
        var rng = Xoshiro256(seed: 7)
        let count = LawCounter.count(v: Self.random(4 * 2, &rng), u: Self.random(4, &rng), hidden: 4, inputs: 2,
                                     outputs: 1, perNeuron: false)!
        #expect(count.independent == 10 - 1)
    }

    /// ReLU: one rescale law |u_k|² − |v_k|² per hidden neuron.
    @Test(arguments: [(1, 2, 1), (2, 2, 2), (2, 3, 1), (3, 2, 2), (3, 4, 1), (4, 2, 1)])
    func reluHasOneLawPerNeuron(_ r: Int, _ n: Int, _ m: Int) {
        var rng = Xoshiro256(seed: UInt64(1000 + 100 * r + 10 * n + m))
        let count = LawCounter.count(v: Self.random(r * n, &rng), u: Self.random(m * r, &rng), hidden: r, inputs: n,
                                     outputs: m, perNeuron: true)!
        #expect(count.independent == r, "r \(r) n \(n) m \(m): \(count)")
    }

    /// Free parameters (an output bias) add to D and to the rank alike.
    @Test func freeParametersDoNotChangeTheCount() {
        var rng = Xoshiro256(seed: 3)
        let v = Self.random(6, &rng), u = Self.random(4, &rng)
        let plain = LawCounter.count(v: v, u: u, hidden: 2, inputs: 3, outputs: 2, perNeuron: false)!
        let biased = LawCounter.count(v: v, u: u, hidden: 2, inputs: 3, outputs: 2, perNeuron: false, free: 2)!
        #expect(biased.parameters == plain.parameters + 2 && biased.independent == plain.independent)
    }

    /// At a degenerate point the trace shrinks and the count rises: θ = 0 is fixed by every field.
    @Test func zeroIsFixedByEveryField() {
        let count = LawCounter.count(v: [0, 0, 0, 0], u: [0, 0], hidden: 2, inputs: 2, outputs: 1, perNeuron: true)!
        #expect(count.rank == 0 && count.independent == 6)
    }

    /// Too many parameters: no count rather than a long wait.
    @Test func largeModelsAreNotCounted() {
        let r = 8, n = 6, m = 1
        #expect(LawCounter.count(v: Array(repeating: 1, count: r * n), u: Array(repeating: 1, count: m * r), hidden: r,
                                 inputs: n, outputs: m, perNeuron: true) == nil)
    }
}

/// The counter on real runs: rows carry it, and at random θ it equals what noether tracks.
@Suite("Conservation-law counter on runs")
struct LawTallyTests {
    static func run(_ change: (inout Config) -> Void) throws -> Simulator {
        try Simulator(config {
            $0.norm = .none; $0.depth = 1; $0.data = .teacher; $0.inputDim = 3; $0.targets = 2; change(&$0)
        })
    }

    @Test(arguments: [(Activation.linear, true), (.linear, false), (.relu, true), (.relu, false), (.leakyRelu, true)])
    func equalsTheTrackedCount(_ activation: Activation, _ bias: Bool) throws {
        let sim = try Self.run { $0.arch = activation; $0.width = 3; $0.bias = bias }
        let tally = try #require(sim.laws)
        #expect(tally.count.independent == tally.tracked, "\(activation) bias \(bias): \(tally)")
        #expect(tally.tracked == (activation == .linear ? 6 : 3))
        let line = ObservationFormat.jsonLine(sim.observation(), detail: .summary)
        #expect(line.contains("\"laws_independent\":\(tally.count.independent),\"laws_tracked\":\(tally.tracked)"))
        #expect(ObservationFormat.csvHeader(sim.observation(), detail: .summary).contains("laws_independent,laws_tracked"))
        #expect(sim.symmetries.notes.contains { $0.hasSuffix("these are all the laws there are (THEORY.md §14.3)") })
    }

    /// Wider than inputs + outputs, the balance matrix's entries are not independent: noether
    /// tracks 15 for width 5 with 1 input and 2 outputs, and there are 15 − 3 = 12.
    @Test func wideLinearTracksDependentEntries() throws {
        let sim = try Self.run { $0.arch = .linear; $0.width = 5; $0.inputDim = 1; $0.targets = 2; $0.bias = false }
        let tally = try #require(sim.laws)
        #expect(tally.tracked == 15 && tally.count.independent == 12)
        #expect(sim.symmetries.notes.contains { $0.contains("12 independent") && $0.contains("not independent") })
    }

    /// Models the counter does not cover carry no count and no columns.
    @Test func otherModelsHaveNoCount() throws {
        #expect(try Simulator(Config()).laws == nil)
        #expect(try Self.run { $0.arch = .tanh; $0.width = 3 }.laws == nil)
        let line = ObservationFormat.jsonLine(try Simulator(Config()).observation(), detail: .summary)
        #expect(!line.contains("laws_"))
    }
}
