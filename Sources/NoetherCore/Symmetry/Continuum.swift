import Foundation

/// Neural Mechanics' continuous-time predictions (THEORY.md §4.2–4.3), advanced one update
/// at a time so they stay defined when the learning rate, momentum or weight decay change.
/// Time is t = ηk, so an update advances the clock by its own η.
struct ContinuumStep {
    typealias Propagator = (m: (Double, Double, Double, Double), f: (Double, Double))

    /// Without momentum: Q(t+η) = e^{−2λη}(Q(t) + η²|g|²) — the repo's discretization of
    /// e^{−2λt}Q(0) + η∫e^{−2λ(t−τ)}|g|²dτ. Translation decays as e^{−λη}.
    static func firstOrderDecay(_ kind: SymmetryKind, eta: Double, lambda: Double) -> Double {
        _exp(-kind.decayPerStep(lambda) * eta)
    }

    /// With momentum the charge is a damped oscillator Q̈ + 2γQ̇ + ω²Q = 2|θ̇|² with
    /// γ = (1−β)/(η(1+β)) and ω² = 4λ/(η(1+β)) (2λ/… for translation). Over one update
    /// the forcing is held constant, and the step is the exact matrix exponential of the
    /// augmented system, so every regime (under-, over-, critically damped, λ = 0) is one formula.
    /// Returns (propagator of (Q, Q̇), response to unit forcing).
    static func oscillator(_ kind: SymmetryKind, eta: Double, lambda: Double, beta: Double)
        -> (m: (Double, Double, Double, Double), f: (Double, Double))
    {
        // γη and ω²η are formed without dividing by η: at a subnormal η (4.9e-324) γ and ω²
        // themselves overflow, while their products with η are O(1).
        let gammaEta = (1 - beta) / (1 + beta)
        let omega2Eta = 2 * kind.decayPerStep(lambda) / (1 + beta)
        // Augmented generator [[0, 1, 0], [−ω², −2γ, 1], [0, 0, 0]] · h with h = η.
        var a = [0, eta, 0, -omega2Eta, -2 * gammaEta, eta, 0, 0, 0]
        let e = expm3(&a)
        return ((e[0], e[1], e[3], e[4]), (e[2], e[5]))
    }

    /// exp of a 3×3 matrix by scaling and squaring with a Taylor series: the norms here are O(1),
    /// so a few squarings and 18 terms reach machine precision. A non-finite entry gives NaN
    /// (the prediction is then undefined, never a loop); the squarings are at most 1100, as
    /// many as halve the largest finite Double below 0.25.
    static func expm3(_ a: inout [Double]) -> [Double] {
        var norm = 0.0
        for r in 0..<3 { norm = max(norm, abs(a[3 * r]) + abs(a[3 * r + 1]) + abs(a[3 * r + 2])) }
        guard norm.isFinite else { return [Double](repeating: .nan, count: 9) }
        var squarings = 0
        while norm > 0.25, squarings < 1100 { norm /= 2; squarings += 1 }
        for i in 0..<9 { a[i] = scalbn(a[i], -squarings) }
        var result = [1.0, 0, 0, 0, 1, 0, 0, 0, 1]
        var term = result
        for n in 1...18 {
            term = mul3(term, a).map { $0 / Double(n) }
            for i in 0..<9 { result[i] += term[i] }
        }
        for _ in 0..<squarings { result = mul3(result, result) }
        return result
    }

    static func mul3(_ x: [Double], _ y: [Double]) -> [Double] {
        var z = [Double](repeating: 0, count: 9)
        for r in 0..<3 { for c in 0..<3 { for k in 0..<3 { z[3 * r + c] += x[3 * r + k] * y[3 * k + c] } } }
        return z
    }
}
