import Testing
@testable import NoetherCore

/// The per-step sums every charge is read from: a family of groups summed four at a time gives
/// each group exactly the numbers it gets summed alone.
@Suite("Reduction plan")
struct ReductionPlanTests {
    /// Every model of the identity tests, and the same with one group in seven weighted differently
    /// (as per-layer rates weight a side), which cuts families short and leaves remainders.
    @Test(arguments: ExactIdentityTests.models.map(\.0), [false, true])
    func familiesGiveEachGroupItsOwnSums(_ model: String, _ cut: Bool) throws {
        let sim = try Simulator(ExactIdentityTests.model(model))
        var groups = sim.symmetries.groups
        if cut {
            for g in stride(from: 5, to: groups.count, by: 7) { groups[g].segments[0].sign /= 3 }
        }
        let plan = ReductionPlan(groups: groups, tensors: sim.arch.tensors)
        let n = sim.parameterCount
        var rng = Xoshiro256(seed: 11)
        let (theta, previous, grad, velocity) = (
            (0..<n).map { _ in rng.normal() }, (0..<n).map { _ in rng.normal() },
            (0..<n).map { _ in rng.normal() }, (0..<n).map { _ in rng.normal() }
        )
        let pointers = (0..<7).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: groups.count) }
        defer { for p in pointers { p.deallocate() } }
        for p in pointers { p.initialize(repeating: .nan, count: groups.count) }
        plan.reduce(theta: theta, previous: previous, grad: grad, velocity: velocity)
        plan.groupSums(
            theta, previous, grad, velocity,
            into: .init(
                q: pointers[0], d: pointers[1], g: pointers[2], v: pointers[3], magnitude: pointers[4],
                thetaDelta: pointers[5], unweighted: pointers[6]))
        for g in groups.indices {
            let alone = plan.sums(group: g, theta, previous, grad, velocity)
            let expected = [alone.q, alone.d, alone.g, alone.v, alone.magnitude, alone.thetaDelta, alone.unweighted]
            #expect(pointers.map { $0[g].bitPattern } == expected.map(\.bitPattern), "\(model) group \(g)")
        }
        // The four-at-a-time path ran: some family has four groups or more.
        #expect(plan.families.contains { $0.count >= 4 }, "\(model): no family")
    }
}

/// Under momentum the tracker leaves the gradient's sums and the magnitudes out of a step and
/// makes them when they are read: by an observation, or by an update without momentum, whose
/// continuum reads them. A run observed only now and then, with momentum switched off and on
/// again, must give every charge number bit for bit as a run measured in full at every step.
@Suite("Gradient sums made when read")
struct LazyGradientSumsTests {
    static func numbers(_ o: Observation) -> [UInt64] {
        o.charges.flatMap { c -> [UInt64] in
            let optional: [Double?] = [c.effectiveLearningRate, c.angularStep, c.rmspropAccumulator, c.rmspropEMA]
            let values: [Double] =
                [
                    c.value, c.magnitude, c.gradNorm2, c.predicted, c.residual, c.reference, c.ksbGap, c.continuum,
                    c.kineticForcing, c.potentialForcing, c.momentumCarry,
                ] + optional.map { $0 ?? 0 }
            return values.map(\.bitPattern)
        }
    }

    /// The identity tests' models, and one whose widths leave remainders: 7 rows (a block of four,
    /// a pair, one alone) and 9 columns (a tail after the lanes).
    static let models =
        ExactIdentityTests.models + [
            (
                "odd widths",
                config {
                    $0.arch = .relu; $0.norm = .none; $0.depth = 2; $0.width = 7; $0.inputDim = 9
                }
            )
        ]

    @Test(arguments: models.map(\.0))
    func sparseObservationsGiveTheNumbersOfEveryStep(_ model: String) throws {
        var c = Self.models.first { $0.0 == model }!.1
        c.momentum = 0.9
        let (every, sparse) = (try Simulator(c), try Simulator(c))
        every.tracker.measuresEveryStepInFull = true
        var withoutMomentum = every.live
        withoutMomentum.momentum = 0
        let changes = [6: withoutMomentum, 13: every.live]
        var compared = 0
        for k in 0..<20 {
            if let p = changes[k] {
                try every.set(p)
                try sparse.set(p)
            }
            try every.advance()
            try sparse.advance()
            // Observed only after the changes have run a few steps, so the partial steps come first.
            guard [4, 10, 17, 19].contains(k) else { continue }
            let full = every.observation()
            let read = sparse.observation()
            #expect(!full.charges.isEmpty)
            #expect(Self.numbers(read) == Self.numbers(full), "\(model) step \(k + 1)")
            compared += 1
        }
        #expect(compared == 4)
    }
}
