import Foundation

/// Gradient flow of one linear neuron f(x) = a·wᵀx on whitened inputs (E[xxᵀ] = I) with the loss
/// ½|aw − β*|², in closed form (THEORY.md §14.2). R = a² − |w|² is conserved; ν = wᵀβ*/a obeys
/// the Riccati equation ν' = s² − Rν − ν² with s = |β*|, and a², |w|² and the kernel distance S
/// follow from ν by quadrature. Small |R| or R < 0 is rich (the features w turn), large R > 0 lazy.
public struct SingleNeuronFlow: Sendable {
    /// The conserved R = a² − |w|².
    public let r: Double
    /// s = |β*|, the teacher's norm.
    public let s: Double
    /// ν₀ = w₀ᵀβ*/a₀.
    public let nu0: Double
    public let a0: Double
    /// |w₀|² and the part of w₀ orthogonal to β*, whose direction never changes.
    public let w0Norm2: Double
    public let w0Perp: Double
    /// Input dimension: the kernel's isotropic part a²I has trace weight d.
    public let dimension: Int

    /// One instant of the flow.
    public struct State: Sendable, Equatable {
        public var t: Double
        /// ν = wᵀβ*/a.
        public var nu: Double
        public var a: Double
        public var wNorm: Double
        /// The network's function aw projected on β*: a²ν/s.
        public var alignedOutput: Double
        /// Kernel distance 1 − ⟨K₀, K_t⟩/(‖K₀‖‖K_t‖) with K = wwᵀ + a²I.
        public var kernelDistance: Double
    }

    /// a₀ must be non-zero and the teacher non-zero; w₀ has the teacher's dimension.
    public init(a0: Double, w0: [Double], teacher: [Double]) {
        precondition(a0 != 0 && w0.count == teacher.count && !teacher.isEmpty)
        let s2 = teacher.reduce(0) { $0 + $1 * $1 }
        let along = zip(w0, teacher).reduce(0) { $0 + $1.0 * $1.1 }
        self.a0 = a0
        s = s2.squareRoot()
        w0Norm2 = w0.reduce(0) { $0 + $1 * $1 }
        r = a0 * a0 - w0Norm2
        nu0 = along / a0
        w0Perp = max(0, w0Norm2 - along * along / s2).squareRoot()
        dimension = w0.count
    }

    /// The hyperbolic coordinate of the start (the notebook's φ₀): a₀ = √R·cosh θ₀, |w₀| = √R·sinh θ₀
    /// for R > 0, so φ₀ = cosh θ₀ = a₀/√R; a₀ = √−R·sinh θ₀, |w₀| = √−R·cosh θ₀ for R < 0, φ₀ = sinh θ₀.
    /// nil at R = 0, where the orbit is the cone a = ±|w|.
    public var phi0: Double? {
        guard r != 0 else { return nil }
        let theta0 = r > 0 ? atanh(w0Norm2.squareRoot() / abs(a0)) : atanh(abs(a0) / w0Norm2.squareRoot())
        return r > 0 ? cosh(theta0) : sinh(theta0)
    }

    /// k = √(4s² + R²) and the Riccati solution's phase: ν = ½(−R + k·τ(kt/2 + c)) with τ = tanh
    /// when ν₀ lies between the fixed points (−R ± k)/2, coth above them.
    private var riccati: (k: Double, c: Double, below: Bool) {
        let k = (4 * s * s + r * r).squareRoot()
        let x = (r + 2 * nu0) / k
        return abs(x) < 1 ? (k, atanh(x), true) : (k, atanh(1 / x), false)
    }

    public func state(at t: Double) -> State {
        let (k, c, below) = riccati
        let q = k * t / 2 + c
        let nu = 0.5 * (-r + k * (below ? tanh(q) : 1 / tanh(q)))
        // u = a² solves u' = 2u(ν + R − u): 1/u is linear, with integrating factor
        // E(t) = exp(2∫(ν + R)) = e^{Rt}·ψ(q)²/ψ(c)², ψ = cosh (or sinh above the fixed points).
        func psi2(_ x: Double) -> Double { below ? cosh(x) * cosh(x) : sinh(x) * sinh(x) }
        let e = exp(r * t) * psi2(q) / psi2(c)
        // ∫₀ᵗ e^{Rτ}ψ(q(τ))² dτ with ψ² = ¼(e^{2q} + e^{−2q}) ± ½.
        func expIntegral(_ rate: Double) -> Double { rate == 0 ? t : expm1(rate * t) / rate }
        let sign = below ? 0.5 : -0.5
        let integral =
            (0.25 * (exp(2 * c) * expIntegral(r + k) + exp(-2 * c) * expIntegral(r - k))
                + sign * expIntegral(r)) / psi2(c)
        let a2 = e / (1 / (a0 * a0) + 2 * integral)
        // Above the fixed points with c < 0, ν passes a pole where a crosses 0 (sinh q changes sign).
        let crossed = !below && (q < 0) != (c < 0)
        let a = ((a0 < 0) != crossed ? -1 : 1) * a2.squareRoot()
        let w2 = max(0, a2 - r)
        // w = (aν/s²)β* + w_⊥, and w_⊥ keeps its direction.
        let parallel = a * nu / s
        let perp = max(0, w2 - parallel * parallel).squareRoot()
        let parallel0 = a0 * nu0 / s
        let cross = parallel0 * parallel + w0Perp * perp
        let d = Double(dimension)
        let inner = cross * cross + a0 * a0 * w2 + a2 * w0Norm2 + d * a0 * a0 * a2
        func norm(_ a2: Double, _ w2: Double) -> Double { (w2 * w2 + 2 * a2 * w2 + d * a2 * a2).squareRoot() }
        return State(
            t: t, nu: nu, a: a, wNorm: w2.squareRoot(), alignedOutput: a * parallel,
            kernelDistance: 1 - inner / (norm(a0 * a0, w0Norm2) * norm(a2, w2)))
    }
}
