import Testing
@testable import NoetherCore

/// Derivations of docs/THEORY.md that go beyond the one-step identities, checked exactly.
@Suite("THEORY.md derivations")
struct TheoryDerivationTests {
    /// §5.3: with β = 0, A = κQ² obeys A' = ρA + (1−ρ)|ĝ|² + κη⁴|g|⁴ exactly (ρ = (1−ηλ)⁴). So the
    /// accumulator minus the EMA noether shows is the neglected term, propagated: D' = ρD + κη⁴|g|⁴.
    @Test func rmspropAccumulatorMinusEMAIsExactlyTheNeglectedTerm() throws {
        let eta = 0.1, lambda = 5e-3
        let obs = try trajectory(
            config {
                $0.lr = eta; $0.momentum = 0; $0.weightDecay = lambda
            }, steps: 400)
        let c = 1 - eta * lambda, rho = c * c * c * c
        let kappa = (1 - rho) / (2 * c * c * eta * eta)
        let scale = obs[0].charges.indices.filter { obs[0].charges[$0].symmetry == .scale }
        try #require(!scale.isEmpty)
        var neglected = scale.map { _ in 0.0 }
        var worst = 0.0, largest = 0.0
        for k in 0..<(obs.count - 1) {
            for (n, i) in scale.enumerated() {
                let now = obs[k].charges[i], next = obs[k + 1].charges[i]
                let g2 = now.gradNorm2
                neglected[n] = rho * neglected[n] + kappa * eta * eta * eta * eta * g2 * g2
                let difference = next.rmspropAccumulator! - next.rmspropEMA!
                worst = max(worst, abs(difference - neglected[n]) / next.rmspropAccumulator!)
                largest = max(largest, neglected[n] / next.rmspropAccumulator!)
            }
        }
        #expect(worst < 1e-12, "accumulator − EMA differs from the propagated term by \(worst)")
        // The term is real (the analogy is not exact) and small, about ηλ relative.
        #expect(largest > 1e-6 && largest < 1e-2, "neglected term \(largest)")
    }

    /// §9.2: with β = 0 the phase-portrait velocity (Q_{k+1} − Q_k)/η is exactly η|g|² − (2λ − ηλ²)Q,
    /// so a neuron is still where η|g|² = λ(2 − ηλ)Q, not on the first-order line η|g|² = 2λQ.
    @Test func phasePortraitVelocityIsExactWithoutMomentum() throws {
        let eta = 0.2, lambda = 2e-2
        let obs = try trajectory(
            config {
                $0.lr = eta; $0.momentum = 0; $0.weightDecay = lambda
            }, steps: 200)
        var worst = 0.0, count = 0
        for k in 0..<(obs.count - 1) {
            for (now, next) in zip(obs[k].charges, obs[k + 1].charges) where now.symmetry == .scale && !now.dead {
                let velocity = (next.value - now.value) / eta
                let predicted = eta * now.gradNorm2 - (2 * lambda - eta * lambda * lambda) * now.value
                worst = max(worst, abs(velocity - predicted) * eta / now.value)
                count += 1
            }
        }
        try #require(count > 0)
        #expect(worst < 1e-13, "velocity off by \(worst) relative to Q")
        // The ηλ² term is resolved: NM's tangent (2λ + ηλ²) misses each step by 2η²λ²Q.
        #expect(2 * eta * eta * lambda * lambda > 1e4 * max(worst, 1e-17))
    }
}
