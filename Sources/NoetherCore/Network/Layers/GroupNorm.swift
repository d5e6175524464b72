/// Group normalization (PyTorch's GroupNorm): the units (features of a vector, channels of a map)
/// are split into `groups` runs of equal size, each sample is standardized over each run's numbers
/// (all its positions too), then each unit scaled and shifted. With one group it is layer norm.
/// Each run of units, with its rows and biases, is scale-invariant, and shifting what every unit
/// of a run receives by one constant is invisible (THEORY.md §2.1).
struct GroupNorm: Normalizing {
    let name: String
    let shape: FeatureShape
    let groups: Int
    let eps: Double
    let affine: Affine

    var input: FeatureShape { shape }
    var output: FeatureShape { shape }
    var unitsPerGroup: Int { shape.units / groups }

    func declare(_ fold: inout SymmetryFold) {
        fold.breaksScale(eps: eps)
        let k = unitsPerGroup
        fold.normalize(name: name, affine: affine, together: (0..<groups).map { ($0 * k)..<(($0 + 1) * k) },
                       shifts: true)
    }

    /// ẑ, then 1/σ per sample and group.
    func scratchCount(batch: Int) -> Int { batch * shape.size + batch * groups }

    /// Sample b's numbers in group g lie in `parts` contiguous runs of `length`, the first at
    /// b·`sampleStep` + g·`groupStep`, each `partStep` after the last: a slice of one row of a
    /// vector, or one H·W plane per channel of the group.
    private func layout(batch: Int) -> (parts: Int, partStep: Int, sampleStep: Int, groupStep: Int, length: Int) {
        switch shape {
        case .vector(let n): (1, 0, n, unitsPerGroup, unitsPerGroup)
        case .map:
            (unitsPerGroup, batch * shape.spatial, shape.spatial, unitsPerGroup * batch * shape.spatial, shape.spatial)
        }
    }

    /// Calls `body` with every index of sample b in group g.
    @inline(__always)
    private func each(_ b: Int, _ g: Int, _ l: (parts: Int, partStep: Int, sampleStep: Int, groupStep: Int, length: Int),
                      _ body: (Int) -> Void) {
        for part in 0..<l.parts {
            let start = b * l.sampleStep + g * l.groupStep + part * l.partStep
            for i in start..<(start + l.length) { body(i) }
        }
    }

    func forward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                 _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let zhat = scratch, inv = scratch + p.batch * shape.size, count = Double(shape.size / groups)
        let l = layout(batch: p.batch)
        for b in 0..<p.batch {
            for g in 0..<groups {
                var mean = 0.0
                each(b, g, l) { mean += x[$0] }
                mean /= count
                var variance = 0.0
                each(b, g, l) { let d = x[$0] - mean; variance += d * d }
                let k = inverseDeviation(variance / count, eps: eps)
                inv[b * groups + g] = k
                each(b, g, l) { zhat[$0] = (x[$0] - mean) * k }
            }
        }
        affine.forward(zhat, y, p)
    }

    /// dx = (1/σ)/N · (N·dẑ − Σdẑ − ẑ·Σ(dẑ·ẑ)) over each sample's group, N its numbers.
    func backward(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
                  _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let zhat = scratch, inv = scratch + p.batch * shape.size, count = Double(shape.size / groups)
        affine.backward(zhat, dy, dx, p)
        guard let dx else { return }
        let l = layout(batch: p.batch)
        for b in 0..<p.batch {
            for g in 0..<groups {
                var sum = 0.0, dot = 0.0
                each(b, g, l) { sum += dx[$0]; dot += dx[$0] * zhat[$0] }
                let k = inv[b * groups + g] / count
                each(b, g, l) { dx[$0] = k * (count * dx[$0] - sum - zhat[$0] * dot) }
            }
        }
    }
}
