/// A normalization layer, which ends in its affine map.
protocol Normalizing: Layer {
    var name: String { get }
    var affine: Affine { get }
}

/// The learned affine map after a normalization, y = γ_u·ẑ + β_u for every position of unit u,
/// and its backward pass (shared by batch norm and layer norm).
struct Affine: Sendable {
    let gamma: Int
    let beta: Int
    let shape: FeatureShape

    func forward(_ zhat: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ p: Pass) {
        let gamma = p.theta + self.gamma, beta = p.theta + self.beta
        switch shape {
        case .vector(let n):
            for r in 0..<p.batch {
                let z = zhat + r * n, out = y + r * n
                for j in 0..<n { out[j] = gamma[j] * z[j] + beta[j] }
            }
        case .map(let c, _, _):
            let run = p.batch * shape.spatial
            for u in 0..<c {
                let z = zhat + u * run, out = y + u * run, g = gamma[u], b = beta[u]
                for i in 0..<run { out[i] = g * z[i] + b }
            }
        }
    }

    /// dγ and dβ into the gradient; dẑ = dy·γ into `dzhat` when given.
    func backward(
        _ zhat: UnsafePointer<Double>, _ dy: UnsafePointer<Double>, _ dzhat: UnsafeMutablePointer<Double>?,
        _ p: Pass
    ) {
        parameterGradient(zhat, dy, p)
        guard let dzhat else { return }
        let gamma = p.theta + self.gamma
        switch shape {
        case .vector(let n):
            for r in 0..<p.batch {
                let d = dy + r * n, out = dzhat + r * n
                for j in 0..<n { out[j] = d[j] * gamma[j] }
            }
        case .map(let c, _, _):
            let run = p.batch * shape.spatial
            for u in 0..<c {
                let d = dy + u * run, out = dzhat + u * run, g = gamma[u]
                for i in 0..<run { out[i] = d[i] * g }
            }
        }
    }

    /// dγ = Σ dy·ẑ and dβ = Σ dy per unit, into the gradient.
    func parameterGradient(_ zhat: UnsafePointer<Double>, _ dy: UnsafePointer<Double>, _ p: Pass) {
        guard let grad = p.grad else { return }
        let dGamma = grad + gamma, dBeta = grad + beta
        switch shape {
        case .vector(let n):
            for j in 0..<n { dGamma[j] = 0; dBeta[j] = 0 }
            for r in 0..<p.batch {
                let d = dy + r * n, z = zhat + r * n
                for j in 0..<n { dGamma[j] += d[j] * z[j]; dBeta[j] += d[j] }
            }
        case .map(let c, _, _):
            let run = p.batch * shape.spatial
            for u in 0..<c {
                (dGamma[u], dBeta[u]) = Reduce.dotAndSum(dy + u * run, zhat + u * run, run)
            }
        }
    }
}

/// 1/√(variance + eps), or 0 where a unit or sample has no variance at all and eps = 0: a unit
/// whose incoming weights decayed to nothing gets no gradient (THEORY.md §10) and normalizes to 0.
@inline(__always)
func inverseDeviation(_ variance: Double, eps: Double) -> Double {
    let s = 1 / (variance + eps).squareRoot()
    return s.isFinite ? s : 0
}
