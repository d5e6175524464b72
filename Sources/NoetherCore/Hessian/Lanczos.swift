/// The largest eigenvalues of a symmetric operator from its products with vectors alone
/// (THEORY.md §16.2): Lanczos iteration with full reorthogonalization, stopped when each wanted
/// Ritz pair (θ, y) has residual ‖Hy − θy‖ ≤ tolerance·|θ|, which bounds the distance from θ to
/// an eigenvalue of H by the same amount; or after `maxIterations` products, or when the Krylov
/// space is invariant (then the Ritz values are exact).
public struct Lanczos {
    public struct Result: Sendable, Equatable {
        /// The wanted largest Ritz values, largest first.
        public var values: [Double]
        /// Their Ritz vectors (unit length), for a warm start of the next measurement.
        public var vectors: [[Double]]
        /// The largest residual ‖Hy − θy‖ / |θ| over the wanted pairs.
        public var residual: Double
        /// Products with H spent.
        public var iterations: Int
    }

    /// `apply(v, out)` writes Hv into `out`; `start` is the first Krylov vector (any nonzero).
    public static func top(
        _ wanted: Int, dimension n: Int, start: [Double], tolerance: Double, maxIterations: Int,
        apply: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void
    ) -> Result {
        precondition(n > 0 && wanted >= 1 && start.count == n)
        let limit = max(1, min(maxIterations, n))
        var basis: [[Double]] = []
        var alpha: [Double] = [], beta: [Double] = []
        var q = start
        var norm = dot(q, q).squareRoot()
        if !(norm > 0) || !norm.isFinite { q = [Double](repeating: 0, count: n); q[0] = 1; norm = 1 }
        for i in 0..<n { q[i] /= norm }
        var w = [Double](repeating: 0, count: n)
        var best = Result(values: [], vectors: [], residual: .infinity, iterations: 0)
        for j in 0..<limit {
            basis.append(q)
            q.withUnsafeBufferPointer { qp in w.withUnsafeMutableBufferPointer { apply(qp.baseAddress!, $0.baseAddress!) } }
            let a = dot(q, w)
            alpha.append(a)
            // Full reorthogonalization, twice ("twice is enough"): keeps the basis orthonormal
            // to rounding, so no spurious copies of converged eigenvalues appear.
            for _ in 0..<2 {
                for b in basis {
                    let c = dot(b, w)
                    for i in 0..<n { w[i] -= c * b[i] }
                }
            }
            let b = dot(w, w).squareRoot()
            let m = j + 1
            var t = [Double](repeating: 0, count: m * m)
            for i in 0..<m { t[i * m + i] = alpha[i] }
            for i in 0..<(m - 1) { t[i * m + i + 1] = beta[i]; t[(i + 1) * m + i] = beta[i] }
            let eigen = SymmetricEigen(t, n: m)
            let order = (0..<m).sorted { eigen.values[$0] > eigen.values[$1] }.prefix(wanted)
            // Ritz residual of pair i: β_j times the last entry of its eigenvector of T.
            let residual = order.map { k in
                abs(b * eigen.vectors[(m - 1) * m + k]) / max(abs(eigen.values[k]), .leastNormalMagnitude)
            }.max() ?? .infinity
            let invariant = !(b > 1e-14 * max(abs(alpha.max() ?? 0), abs(alpha.min() ?? 0), .leastNormalMagnitude))
            let done = order.count == wanted && (residual <= tolerance || invariant) || j == limit - 1 || invariant
            if done {
                let vectors = order.map { k in
                    var y = [Double](repeating: 0, count: n)
                    for (r, v) in basis.enumerated() {
                        let c = eigen.vectors[r * m + k]
                        for i in 0..<n { y[i] += c * v[i] }
                    }
                    return y
                }
                best = Result(values: order.map { eigen.values[$0] }, vectors: vectors,
                              residual: invariant ? 0 : residual, iterations: m)
                break
            }
            beta.append(b)
            for i in 0..<n { q[i] = w[i] / b }
        }
        return best
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }
}
