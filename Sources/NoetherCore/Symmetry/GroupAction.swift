/// The group actions of THEORY.md §2 applied in place, for teleports (THEORY.md §12). θ moves
/// along the orbit; the optimizer's buffers hold gradients, which transform inversely
/// (v → T⁻ᵀv: divided where θ is multiplied), and Adam's second moment as squared gradients.
struct GroupAction {
    var theta: UnsafeMutablePointer<Double>
    var velocity: UnsafeMutablePointer<Double>? = nil
    var second: UnsafeMutablePointer<Double>? = nil

    /// Scale: θ_A × α. Rescale: incoming (sign −1) × α, outgoing ÷ α.
    func multiply(_ g: SymmetryGroup, by alpha: Double) {
        for s in g.segments {
            let m = g.kind.scaleFactor(alpha, sign: s.sign)
            for i in 0..<s.count {
                let idx = s.offset + i * s.stride
                theta[idx] *= m
                velocity?[idx] /= m
                second?[idx] /= m * m
            }
        }
    }

    /// Rescale: the α that makes |α·in|² = |out/α|², α⁴ = |out|²/|in|²; nil when a side is zero.
    func balancingFactor(_ g: SymmetryGroup) -> Double? {
        var incoming = 0.0, outgoing = 0.0
        for s in g.segments {
            for i in 0..<s.count {
                let x = theta[s.offset + i * s.stride]
                if s.sign < 0 { incoming += x * x } else { outgoing += x * x }
            }
        }
        guard incoming > 0, outgoing > 0 else { return nil }
        return (outgoing / incoming).squareRoot().squareRoot()
    }

    /// Rescale: the α that moves the charge B/α² − α²A to `value`, with A and B the incoming and
    /// outgoing squared norms, each divided by its side's rate multiplier (THEORY.md §13.8):
    /// α² = (√(value² + 4AB) − value)/(2A). nil when a side is zero.
    func chargeFactor(_ g: SymmetryGroup, to value: Double, rates: RateRuns) -> Double? {
        var incoming = 0.0, outgoing = 0.0
        for s in g.segments {
            let m = rates.factor(at: s.offset)
            for i in 0..<s.count {
                let x = theta[s.offset + i * s.stride]
                if s.sign < 0 { incoming += x * x / m } else { outgoing += x * x / m }
            }
        }
        guard incoming > 0, outgoing > 0 else { return nil }
        let root = (value * value + 4 * incoming * outgoing).squareRoot()
        // For value > 0 the difference cancels: use 2B/(root + value) instead.
        let alpha2 = value > 0 ? 2 * outgoing / (root + value) : (root - value) / (2 * incoming)
        return alpha2.squareRoot()
    }

    /// Translation: θ_A + c·1. The action is a shift, its derivative the identity: buffers stay.
    func shift(_ g: SymmetryGroup, by c: Double) {
        for s in g.segments {
            for i in 0..<s.count { theta[s.offset + i * s.stride] += c }
        }
    }

    /// Linear balance: W̃_l → G W̃_l, W_{l+1} → W_{l+1} G⁻¹; the buffer V̂_l → G⁻ᵀV̂_l,
    /// V_{l+1} → V_{l+1} Gᵀ. Adam's second moment has no elementwise law under a general G and
    /// is left as it is.
    func transform(_ b: BalanceGroup, _ gMatrix: [Double], inverse: [Double]) {
        let n = b.n
        let inverseTransposed = (0..<(n * n)).map { inverse[($0 % n) * n + $0 / n] }
        let transposed = (0..<(n * n)).map { gMatrix[($0 % n) * n + $0 / n] }
        for x in [theta, velocity].compactMap({ $0 }) {
            let isTheta = x == theta
            let left = isTheta ? gMatrix : inverseTransposed
            let right = isTheta ? inverse : transposed
            Self.leftMultiply(left, n, x + b.incoming, cols: b.inputs)
            if let bias = b.incomingBias { Self.leftMultiply(left, n, x + bias, cols: 1) }
            Self.rightMultiply(x + b.outgoing, rows: b.outputs, right, n)
        }
    }

    /// X[n × cols] ← M X.
    private static func leftMultiply(_ m: [Double], _ n: Int, _ x: UnsafeMutablePointer<Double>, cols: Int) {
        let copy = Array(UnsafeBufferPointer(start: x, count: n * cols))
        m.withUnsafeBufferPointer { mp in
            copy.withUnsafeBufferPointer { cp in
                BLAS.gemm(
                    transA: false, transB: false, m: n, n: cols, k: n, mp.baseAddress!, lda: n,
                    cp.baseAddress!, ldb: cols, x, ldc: cols)
            }
        }
    }

    /// X[rows × n] ← X M.
    private static func rightMultiply(_ x: UnsafeMutablePointer<Double>, rows: Int, _ m: [Double], _ n: Int) {
        let copy = Array(UnsafeBufferPointer(start: x, count: rows * n))
        m.withUnsafeBufferPointer { mp in
            copy.withUnsafeBufferPointer { cp in
                BLAS.gemm(
                    transA: false, transB: false, m: rows, n: n, k: n, cp.baseAddress!, lda: n,
                    mp.baseAddress!, ldb: n, x, ldc: n)
            }
        }
    }
}
