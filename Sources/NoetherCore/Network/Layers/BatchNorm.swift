/// Batch normalization in training mode: each unit (a feature, or a channel over the batch and
/// every position, as BatchNorm2d) is standardized with the minibatch's mean and biased variance,
/// then scaled and shifted. It makes the weights feeding each unit scale-invariant (THEORY.md §2.1).
struct BatchNorm: Normalizing {
    let name: String
    let shape: FeatureShape
    let eps: Double
    let affine: Affine

    var input: FeatureShape { shape }
    var output: FeatureShape { shape }

    /// Each unit is standardized alone: its incoming row (or filter) and bias form a scale group.
    func declare(_ fold: inout SymmetryFold) {
        fold.breaksScale(eps: eps)
        fold.normalize(name: name, affine: affine, together: (0..<shape.units).map { $0..<($0 + 1) }, shifts: false)
    }

    /// ẑ, then per unit: 1/σ, the mean and the variance (the last two hold dense backward's sums).
    func scratchCount(batch: Int) -> Int { batch * shape.size + 3 * shape.units }

    func forward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                 _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let zhat = scratch, inv = scratch + p.batch * shape.size
        let units = shape.units, mean = inv + units, variance = inv + 2 * units
        switch shape {
        case .vector(let n):
            // Accumulated row by row so every pass is contiguous in memory.
            mean.update(repeating: 0, count: n)
            variance.update(repeating: 0, count: n)
            for r in 0..<p.batch { let row = x + r * n; for j in 0..<n { mean[j] += row[j] } }
            let scale = 1 / Double(p.batch)
            for j in 0..<n { mean[j] *= scale }
            for r in 0..<p.batch {
                let row = x + r * n
                for j in 0..<n { let d = row[j] - mean[j]; variance[j] += d * d }
            }
            for j in 0..<n { inv[j] = inverseDeviation(variance[j] * scale, eps: eps) }
            for r in 0..<p.batch {
                let row = x + r * n, out = zhat + r * n
                for j in 0..<n { out[j] = (row[j] - mean[j]) * inv[j] }
            }
            affine.forward(zhat, y, p)
        case .map:
            // ẑ and y in one pass: these maps are the largest in a conv net.
            let run = p.batch * shape.spatial, scale = 1 / Double(run)
            let gamma = p.theta + affine.gamma, beta = p.theta + affine.beta
            for u in 0..<units {
                let row = x + u * run, z = zhat + u * run, out = y + u * run
                let m = Reduce.sum(row, run) * scale
                let s = inverseDeviation(Reduce.squaredDeviation(row, run, from: m) * scale, eps: eps)
                inv[u] = s
                let g = gamma[u], b = beta[u]
                for i in 0..<run { let v = (row[i] - m) * s; z[i] = v; out[i] = g * v + b }
            }
        }
    }

    /// dx = (1/σ)/N · (N·dẑ − Σdẑ − ẑ·Σ(dẑ·ẑ)) per unit, N the numbers it was normalized over,
    /// with dẑ = γ·dy: the two sums are γ·dβ and γ·dγ, so dx takes one pass after the affine's.
    func backward(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
                  _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        guard let grad = p.grad else { return }
        let zhat = scratch, inv = scratch + p.batch * shape.size
        let gamma = p.theta + affine.gamma, dGamma = grad + affine.gamma, dBeta = grad + affine.beta
        affine.parameterGradient(zhat, dy, p)
        guard let dx else { return }
        switch shape {
        case .vector(let n):
            // Row by row, with dẑ and its sums accumulated in PyTorch's order: the MLP paths
            // amplify rounding enough that a reassociated sum shows at 1e-12 against PyTorch.
            let count = Double(p.batch), sum = inv + n, dot = inv + 2 * n
            sum.update(repeating: 0, count: n)
            dot.update(repeating: 0, count: n)
            for r in 0..<p.batch {
                let d = dy + r * n, z = zhat + r * n, out = dx + r * n
                for j in 0..<n { let v = d[j] * gamma[j]; out[j] = v; sum[j] += v; dot[j] += v * z[j] }
            }
            for r in 0..<p.batch {
                let d = dx + r * n, z = zhat + r * n
                for j in 0..<n { d[j] = inv[j] / count * (count * d[j] - sum[j] - z[j] * dot[j]) }
            }
        case .map:
            let run = p.batch * shape.spatial, count = Double(run)
            for u in 0..<shape.units {
                let d = dy + u * run, z = zhat + u * run, out = dx + u * run
                let g = gamma[u], s = g * dBeta[u], t = g * dGamma[u], k = inv[u] / count
                for i in 0..<run { out[i] = k * (count * (d[i] * g) - s - z[i] * t) }
            }
        }
    }
}
