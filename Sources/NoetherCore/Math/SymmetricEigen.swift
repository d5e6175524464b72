/// Eigenvalues and orthonormal eigenvectors of a symmetric n × n matrix (row-major) by cyclic
/// Jacobi rotations: O(n³) per sweep, accurate to rounding, and only needed by teleports.
struct SymmetricEigen {
    let n: Int
    var values: [Double]
    /// Column j (entries vectors[i·n + j]) belongs to values[j].
    var vectors: [Double]

    init(_ matrix: [Double], n: Int) {
        self.n = n
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0, total = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    total += a[i * n + j] * a[i * n + j]; if i != j { off += a[i * n + j] * a[i * n + j] }
                }
            }
            if off <= 1e-32 * total || off == 0 { break }
            for p in 0..<n {
                for q in (p + 1)..<n where a[p * n + q] != 0 {
                    // The rotation that zeroes a[p][q] (Golub & Van Loan, symmetric Schur decomposition).
                    let tau = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                    let t = (tau >= 0 ? 1 : -1) / (abs(tau) + (1 + tau * tau).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        values = (0..<n).map { a[$0 * n + $0] }
        vectors = v
    }

    /// V f(Λ) Vᵀ: a function of the matrix (square root, inverse square root).
    func map(_ f: (Double) -> Double) -> [Double] {
        let fl = values.map(f)
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                var s = 0.0
                for k in 0..<n { s += vectors[i * n + k] * fl[k] * vectors[j * n + k] }
                out[i * n + j] = s
                out[j * n + i] = s
            }
        }
        return out
    }
}
