/// The G of a linear-balance teleport (THEORY.md §12), n × n row-major, with its inverse.
enum BalanceTransform {
    /// The balancing G: with A = W̃_lW̃_lᵀ and B = W_{l+1}ᵀW_{l+1}, the symmetric
    /// G = P^{1/2}, P = A^{-1/2}(A^{1/2}BA^{1/2})^{1/2}A^{-1/2} solves PAP = B, hence
    /// GAGᵀ = G⁻ᵀBG⁻¹ and D = 0 after the move. It exists only when A and B are invertible.
    static func balancing(_ b: BalanceGroup, _ theta: UnsafePointer<Double>) throws(ConfigError) -> (
        g: [Double], inverse: [Double]
    ) {
        let n = b.n
        var a = [Double](repeating: 0, count: n * n), bb = a
        a.withUnsafeMutableBufferPointer { out in
            BLAS.gemm(
                transA: false, transB: true, m: n, n: n, k: b.inputs, theta + b.incoming, lda: b.inputs,
                theta + b.incoming, ldb: b.inputs, out.baseAddress!, ldc: n)
        }
        if let bias = b.incomingBias {
            for i in 0..<n { for j in 0..<n { a[i * n + j] += theta[bias + i] * theta[bias + j] } }
        }
        bb.withUnsafeMutableBufferPointer { out in
            BLAS.gemm(
                transA: true, transB: false, m: n, n: n, k: b.outputs, theta + b.outgoing, lda: n,
                theta + b.outgoing, ldb: n, out.baseAddress!, ldc: n)
        }
        let ea = SymmetricEigen(a, n: n), eb = SymmetricEigen(bb, n: n)
        for (e, side, rows) in [
            (ea, "W̃_lW̃_lᵀ", b.inputs + (b.incomingBias == nil ? 0 : 1)), (eb, "W_{l+1}ᵀW_{l+1}", b.outputs),
        ] {
            let top = e.values.max() ?? 0
            guard let low = e.values.min(), low > 1e-12 * top, top > 0 else {
                let why = rows < n ? " (its \(rows) rows cannot span \(n) neurons)" : ""
                throw ConfigError(
                    "teleport",
                    "cannot balance \(b.name): \(side) is singular\(why), so no G makes D = 0; the rescale family's 'balance' zeroes D's diagonal"
                )
            }
        }
        let root = ea.map { $0.squareRoot() }, inverseRoot = ea.map { 1 / $0.squareRoot() }
        let middle = SymmetricEigen(product(product(root, bb, n), root, n), n: n).map { max($0, 0).squareRoot() }
        var p = product(product(inverseRoot, middle, n), inverseRoot, n)
        for i in 0..<n {
            for j in 0..<i { let s = (p[i * n + j] + p[j * n + i]) / 2; p[i * n + j] = s; p[j * n + i] = s }
        }
        let ep = SymmetricEigen(p, n: n)
        return (ep.map { $0.squareRoot() }, ep.map { 1 / $0.squareRoot() })
    }

    /// A random rotation: Gram–Schmidt on a Gaussian matrix, rows orthonormal; G⁻¹ = Gᵀ.
    static func rotation(_ n: Int, rng: inout Xoshiro256) -> (g: [Double], inverse: [Double]) {
        var q = (0..<(n * n)).map { _ in rng.normal() }
        for i in 0..<n {
            for _ in 0..<2 {  // twice, so the rows are orthogonal to rounding
                for j in 0..<i {
                    var d = 0.0
                    for k in 0..<n { d += q[i * n + k] * q[j * n + k] }
                    for k in 0..<n { q[i * n + k] -= d * q[j * n + k] }
                }
            }
            var norm = 0.0
            for k in 0..<n { norm += q[i * n + k] * q[i * n + k] }
            let s = 1 / norm.squareRoot()
            for k in 0..<n { q[i * n + k] *= s }
        }
        return (q, (0..<(n * n)).map { q[($0 % n) * n + $0 / n] })
    }

    private static func product(_ x: [Double], _ y: [Double], _ n: Int) -> [Double] {
        var z = [Double](repeating: 0, count: n * n)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                z.withUnsafeMutableBufferPointer { zp in
                    BLAS.gemm(
                        transA: false, transB: false, m: n, n: n, k: n, xp.baseAddress!, lda: n,
                        yp.baseAddress!, ldb: n, zp.baseAddress!, ldc: n)
                }
            }
        }
        return z
    }
}
