/// Layer normalization: each sample is standardized over all its numbers (a layer's features,
/// or a map's channels × positions), then each unit scaled and shifted (on maps this is
/// GroupNorm with one group: γ, β per channel). It makes the whole layer feeding it
/// scale-invariant, and shifting every unit's input by the same amount invisible (THEORY.md §2.1).
struct LayerNorm: Normalizing {
    let name: String
    let shape: FeatureShape
    let eps: Double
    let affine: Affine

    var input: FeatureShape { shape }
    var output: FeatureShape { shape }

    /// All units are standardized together: one scale group for the layer, and shifting every
    /// unit's input alike is invisible (translations).
    func declare(_ fold: inout SymmetryFold) {
        fold.breaksScale(eps: eps)
        fold.normalize(name: name, affine: affine, together: [0..<shape.units], shifts: true)
    }

    /// ẑ, then 1/σ per sample.
    func scratchCount(batch: Int) -> Int { batch * shape.size + batch }

    /// Sample b's numbers lie in `parts` contiguous runs of `length`, the first at b·`sampleStep`,
    /// each `partStep` after the last: one row of a vector, or one H·W plane per channel.
    private func layout(batch: Int) -> (parts: Int, partStep: Int, sampleStep: Int, length: Int) {
        switch shape {
        case .vector(let n): (1, 0, n, n)
        case .map(let c, _, _): (c, batch * shape.spatial, shape.spatial, shape.spatial)
        }
    }

    /// Calls `body` with every index of sample b.
    @inline(__always)
    private func each(_ b: Int, _ l: (parts: Int, partStep: Int, sampleStep: Int, length: Int), _ body: (Int) -> Void) {
        for part in 0..<l.parts {
            let start = b * l.sampleStep + part * l.partStep
            for i in start..<(start + l.length) { body(i) }
        }
    }

    func forward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                 _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let zhat = scratch, inv = scratch + p.batch * shape.size, count = Double(shape.size)
        let l = layout(batch: p.batch)
        for b in 0..<p.batch {
            var mean = 0.0
            each(b, l) { mean += x[$0] }
            mean /= count
            var variance = 0.0
            each(b, l) { let d = x[$0] - mean; variance += d * d }
            let k = inverseDeviation(variance / count, eps: eps)
            inv[b] = k
            each(b, l) { zhat[$0] = (x[$0] - mean) * k }
        }
        affine.forward(zhat, y, p)
    }

    func backward(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
                  _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let zhat = scratch, inv = scratch + p.batch * shape.size, count = Double(shape.size)
        affine.backward(zhat, dy, dx, p)
        guard let dx else { return }
        let l = layout(batch: p.batch)
        for b in 0..<p.batch {
            var sum = 0.0, dot = 0.0
            each(b, l) { sum += dx[$0]; dot += dx[$0] * zhat[$0] }
            let k = inv[b] / count
            each(b, l) { dx[$0] = k * (count * dx[$0] - sum - zhat[$0] * dot) }
        }
    }
}
