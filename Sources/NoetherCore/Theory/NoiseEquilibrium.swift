/// The noise equilibrium of a rescale family at θ (THEORY.md §17, (17.2)): for each group, the
/// charge at the point of its orbit where the push of the next minibatch vanishes on average,
/// a*⁴ = E|g_in|² / E|g_out|², R* = |θ_out|²/a*² − a*²|θ_in|². The expectations are over the
/// minibatches of the current size drawn without replacement, from every per-sample gradient:
/// E|g_B|² = |G|² + (N − B)/(B(N − 1))·(mean |g_n|² − |G|²) on each side.
public struct NoiseEquilibrium: Sendable, Equatable {
    /// R* per group of the family, in the family's order.
    public var charges: [Double]
    /// E|g_in|² and E|g_out|² per group (the minibatch's expected squared gradient on each side).
    public var expectedIn: [Double]
    public var expectedOut: [Double]

    public var median: Double {
        let s = charges.filter(\.isFinite).sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

extension Simulator {
    /// The noise equilibrium of `family` at θ_k for minibatches of the current size; nil unless
    /// the family is a rescale family of a network without normalization (whose per-sample
    /// gradients are those of a batch of one).
    public func noiseEquilibrium(family: String) -> NoiseEquilibrium? {
        let groups = symmetries.groups.filter { $0.family == family && $0.kind == .rescale }
        guard !groups.isEmpty, config.norm == .none else { return nil }
        let n = parameterCount, count = data.count, d = data.inputDim, k = data.outputDim
        let one = Backprop(arch: arch, batch: 1)
        let g = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let mean = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let x = UnsafeMutablePointer<Double>.allocate(capacity: d)
        let target = UnsafeMutablePointer<Double>.allocate(capacity: max(1, k))
        var label = 0
        defer { g.deallocate(); mean.deallocate(); x.deallocate(); target.deallocate() }
        mean.initialize(repeating: 0, count: n)
        // Σ_n |g_n|² on each side of each group.
        var squaredIn = [Double](repeating: 0, count: groups.count), squaredOut = squaredIn
        func sides(_ group: SymmetryGroup, _ v: UnsafePointer<Double>) -> (inside: Double, outside: Double) {
            var inside = 0.0, outside = 0.0
            for s in group.segments {
                var sum = 0.0
                for i in 0..<s.count { sum += v[s.offset + i * s.stride] * v[s.offset + i * s.stride] }
                if s.sign < 0 { inside += sum } else { outside += sum }
            }
            return (inside, outside)
        }
        for sample in 0..<count {
            data.inputs.withUnsafeBufferPointer { x.update(from: $0.baseAddress! + sample * d, count: d) }
            if data.task == .classification {
                label = data.labels[sample]
            } else {
                data.targets.withUnsafeBufferPointer { target.update(from: $0.baseAddress! + sample * k, count: k) }
            }
            withUnsafePointer(to: &label) { labelPointer in
                _ = one.run(theta: theta, grad: g, x: x, labels: labelPointer, targets: target)
            }
            for i in 0..<n { mean[i] += g[i] }
            for (j, group) in groups.enumerated() {
                let s = sides(group, g)
                squaredIn[j] += s.inside
                squaredOut[j] += s.outside
            }
        }
        for i in 0..<n { mean[i] /= Double(count) }
        let batch = min(batchSize, count)
        let spread = Double(count - batch) / (Double(batch) * Double(count - 1))
        var result = NoiseEquilibrium(charges: [], expectedIn: [], expectedOut: [])
        for (j, group) in groups.enumerated() {
            let full = sides(group, mean), weights = sides(group, theta)
            let eIn = full.inside + spread * (squaredIn[j] / Double(count) - full.inside)
            let eOut = full.outside + spread * (squaredOut[j] / Double(count) - full.outside)
            result.expectedIn.append(eIn)
            result.expectedOut.append(eOut)
            // a*² = √(E|g_in|² / E|g_out|²); a side without gradient has no interior point.
            guard eIn > 0, eOut > 0 else {
                result.charges.append(.nan)
                continue
            }
            let a2 = (eIn / eOut).squareRoot()
            result.charges.append(weights.outside / a2 - a2 * weights.inside)
        }
        return result
    }
}
