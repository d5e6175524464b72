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

    /// ẑ, then per unit: 1/σ, and two sums for backward.
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
        case .map:
            let run = p.batch * shape.spatial, scale = 1 / Double(run)
            for u in 0..<units {
                let row = x + u * run, out = zhat + u * run
                var m = 0.0
                for i in 0..<run { m += row[i] }
                m *= scale
                var v = 0.0
                for i in 0..<run { let d = row[i] - m; v += d * d }
                let s = inverseDeviation(v * scale, eps: eps)
                inv[u] = s
                for i in 0..<run { out[i] = (row[i] - m) * s }
            }
        }
        affine.forward(zhat, y, p)
    }

    /// dx = (1/σ)/N · (N·dẑ − Σdẑ − ẑ·Σ(dẑ·ẑ)) per unit, N the numbers it was normalized over.
    func backward(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
                  _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let zhat = scratch, inv = scratch + p.batch * shape.size
        let units = shape.units, sum = inv + units, dot = inv + 2 * units
        affine.backward(zhat, dy, dx, p)
        guard let dx else { return }
        switch shape {
        case .vector(let n):
            let count = Double(p.batch)
            sum.update(repeating: 0, count: n)
            dot.update(repeating: 0, count: n)
            for r in 0..<p.batch {
                let d = dx + r * n, z = zhat + r * n
                for j in 0..<n { sum[j] += d[j]; dot[j] += d[j] * z[j] }
            }
            for r in 0..<p.batch {
                let d = dx + r * n, z = zhat + r * n
                for j in 0..<n { d[j] = inv[j] / count * (count * d[j] - sum[j] - z[j] * dot[j]) }
            }
        case .map:
            let run = p.batch * shape.spatial, count = Double(run)
            for u in 0..<units {
                let d = dx + u * run, z = zhat + u * run
                var s = 0.0, t = 0.0
                for i in 0..<run { s += d[i]; t += d[i] * z[i] }
                let k = inv[u] / count
                for i in 0..<run { d[i] = k * (count * d[i] - s - z[i] * t) }
            }
        }
    }
}
