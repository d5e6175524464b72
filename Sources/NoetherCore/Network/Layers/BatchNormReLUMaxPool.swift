/// A conv block's batch norm, ReLU and 2 × 2 max pooling run as one layer: the same arithmetic,
/// in the same order, as the three one after another, so every number is bit for bit theirs. The
/// three would write two full-size maps forward (ẑ and y, then the ReLU's output) and read and
/// write four backward, on the largest maps of a conv net; here each channel's batch × positions
/// run is read from memory once per pass and the rest happens while it is in cache. Backprop runs
/// it in place of the three; the model (its layers and symmetries) still has the three.
struct BatchNormReLUMaxPool: Layer {
    let norm: BatchNorm
    let relu: ActivationLayer
    let pool: Pool2D

    /// The three in a row, if they can run as one: batch norm over a map, ReLU, max pooling.
    init?(_ norm: any Layer, _ relu: any Layer, _ pool: any Layer) {
        guard let norm = norm as? BatchNorm, case .map = norm.shape, let relu = relu as? ActivationLayer,
            relu.activation == .relu, let pool = pool as? Pool2D, pool.kind == .max,
            relu.input == norm.output, pool.input == relu.output
        else { return nil }
        (self.norm, self.relu, self.pool) = (norm, relu, pool)
    }

    /// Where they can, runs of batch norm, ReLU and max pooling become one layer.
    static func fusing(_ layers: [any Layer]) -> [any Layer] {
        var fused: [any Layer] = [], i = 0
        while i < layers.count {
            if i + 2 < layers.count, let block = BatchNormReLUMaxPool(layers[i], layers[i + 1], layers[i + 2]) {
                fused.append(block)
                i += 3
            } else {
                fused.append(layers[i])
                i += 1
            }
        }
        return fused
    }

    var input: FeatureShape { norm.input }
    var output: FeatureShape { pool.output }

    func declare(_ fold: inout SymmetryFold) {
        norm.declare(&fold)
        relu.declare(&fold)
        pool.declare(&fold)
    }

    private var channels: Int { pool.channels }

    /// Per channel its mean and 1/σ, then one channel's ∂L/∂(batch norm's output) for backward,
    /// then each window's code (see `window`), one byte per output.
    func scratchCount(batch: Int) -> Int {
        let oh = pool.height / 2, ow = pool.width / 2
        return 2 * channels + batch * pool.height * pool.width + (channels * batch * oh * ow + 7) / 8
    }

    func forward(
        _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
        _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        let (height, width) = (pool.height, pool.width), oh = height / 2, ow = width / 2
        let area = height * width, run = p.batch * area, scale = 1 / Double(run)
        let mean = scratch, inv = scratch + channels
        let winners = UnsafeMutableRawPointer(scratch + 2 * channels + run).assumingMemoryBound(to: UInt8.self)
        let gamma = p.theta + norm.affine.gamma, beta = p.theta + norm.affine.beta
        for u in 0..<channels {
            let row = x + u * run
            // Batch norm's statistics, as it computes them.
            let m = Reduce.sum(row, run) * scale
            let s = inverseDeviation(Reduce.squaredDeviation(row, run, from: m) * scale, eps: norm.eps)
            mean[u] = m
            inv[u] = s
            let g = gamma[u], b = beta[u]
            for plane in (u * p.batch)..<((u + 1) * p.batch) {
                let src = x + plane * area, dst = y + plane * oh * ow
                for i in 0..<oh {
                    let top = src + 2 * i * width, bottom = top + width, out = dst + i * ow
                    let won = winners + (plane * oh + i) * ow
                    var j = 0
                    // Four windows at a time, free of branches (ReLU signs and winners are random).
                    while j + 4 <= ow {
                        let t = UnsafeRawPointer(top + 2 * j).loadUnaligned(as: SIMD8<Double>.self)
                        let l = UnsafeRawPointer(bottom + 2 * j).loadUnaligned(as: SIMD8<Double>.self)
                        let (mx, code) = Self.window(
                            Self.normalized(t.evenHalf, m, s, g, b), Self.normalized(t.oddHalf, m, s, g, b),
                            Self.normalized(l.evenHalf, m, s, g, b), Self.normalized(l.oddHalf, m, s, g, b))
                        out.setLanes(j, mx)
                        UnsafeMutableRawPointer(won + j).storeBytes(
                            of: SIMD4<UInt8>(truncatingIfNeeded: code), as: SIMD4<UInt8>.self)
                        j += 4
                    }
                    while j < ow {
                        let (mx, code) = Self.window(
                            Self.normalized(.init(repeating: top[2 * j]), m, s, g, b),
                            Self.normalized(.init(repeating: top[2 * j + 1]), m, s, g, b),
                            Self.normalized(.init(repeating: bottom[2 * j]), m, s, g, b),
                            Self.normalized(.init(repeating: bottom[2 * j + 1]), m, s, g, b))
                        out[j] = mx[0]
                        won[j] = UInt8(truncatingIfNeeded: code[0])
                        j += 1
                    }
                }
            }
        }
    }

    typealias V = SIMD4<Double>

    /// Batch norm's output γ·ẑ + β with ẑ = (x − m)·s, lane by lane as it computes it.
    @inline(__always)
    private static func normalized(_ v: V, _ m: Double, _ s: Double, _ g: Double, _ b: Double) -> V {
        V(repeating: g) * ((v - V(repeating: m)) * V(repeating: s)) + V(repeating: b)
    }

    /// Four windows given batch norm's outputs at their four corners: the maximum after the ReLU
    /// and the winner, as ActivationLayer and Pool2D find them (ReLU: NaN passes, −0 becomes +0;
    /// only a strictly larger value replaces the best so far, so the winner is the first entry
    /// equal to the maximum, or the first when it is NaN). The code is the bit of the corner
    /// (1, 2, 4, 8: top left, top right, bottom left, bottom right) whose gradient passes: the
    /// winner's, when its input to the ReLU was positive; 0 when none does.
    @inline(__always)
    private static func window(_ va: V, _ vb: V, _ vc: V, _ vd: V) -> (V, SIMD4<Int64>) {
        let a = va.replacing(with: 0, where: va .<= 0), b = vb.replacing(with: 0, where: vb .<= 0)
        let c = vc.replacing(with: 0, where: vc .<= 0), d = vd.replacing(with: 0, where: vd .<= 0)
        var mx = a, input = va, winner = SIMD4<Int64>(repeating: 1)
        var better = b .> mx
        mx.replace(with: b, where: better); input.replace(with: vb, where: better);
        winner.replace(with: 2, where: better)
        better = c .> mx
        mx.replace(with: c, where: better); input.replace(with: vc, where: better);
        winner.replace(with: 4, where: better)
        better = d .> mx
        mx.replace(with: d, where: better); input.replace(with: vd, where: better);
        winner.replace(with: 8, where: better)
        winner.replace(with: 0, where: .!(input .> 0))
        return (mx, winner)
    }

    /// Pooling sends each window's gradient to its winner, the ReLU lets it through where its
    /// input was positive, and batch norm's backward follows (BatchNorm.backward, with ẑ
    /// recomputed from x instead of read back: the same product of the same two numbers).
    func backward(
        _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
        _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        let run = p.batch * pool.height * pool.width
        backward(x, dy, scratch, p, into: dx.map { dx in { dx + $0 * run } }, then: nil)
    }

    /// Backward, with channel u's ∂L/∂x written at `into(u)` (nothing written when nil) and
    /// handed to `then` before the next channel is made, while it is still in cache.
    func backward(
        _ x: UnsafePointer<Double>, _ dy: UnsafePointer<Double>, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass,
        into: ((Int) -> UnsafeMutablePointer<Double>)?, then: ((Int, UnsafePointer<Double>) -> Void)?
    ) {
        guard let grad = p.grad else { return }
        let (height, width) = (pool.height, pool.width), oh = height / 2, ow = width / 2
        let area = height * width, run = p.batch * area, count = Double(run)
        let mean = scratch, inv = scratch + channels, d = scratch + 2 * channels
        let winners = UnsafeRawPointer(scratch + 2 * channels + run).assumingMemoryBound(to: UInt8.self)
        let gamma = p.theta + norm.affine.gamma
        let dGamma = grad + norm.affine.gamma, dBeta = grad + norm.affine.beta
        for u in 0..<channels {
            // ∂L/∂(batch norm's output) of this channel into d.
            for b in 0..<p.batch {
                let plane = u * p.batch + b
                let to = d + b * area, from = dy + plane * oh * ow
                for i in 0..<oh {
                    let toTop = to + 2 * i * width, toBottom = toTop + width
                    let g = from + i * ow, won = winners + (plane * oh + i) * ow
                    var j = 0
                    // Four windows at a time, free of branches: each corner takes the gradient's
                    // bits where its code bit is set and +0 elsewhere.
                    while j + 4 <= ow {
                        let code = SIMD4<UInt64>(
                            truncatingIfNeeded: UnsafeRawPointer(won + j).loadUnaligned(as: SIMD4<UInt8>.self))
                        let bits = UnsafeRawPointer(g + j).loadUnaligned(as: SIMD4<UInt64>.self)
                        @inline(__always) func corner(_ k: UInt64) -> V {
                            let mask = SIMD4<UInt64>.zero &- ((code &>> k) & 1)
                            return unsafeBitCast(bits & mask, to: V.self)
                        }
                        let a = corner(0), b = corner(1), c = corner(2), d = corner(3)
                        UnsafeMutableRawPointer(toTop + 2 * j).storeBytes(
                            of: SIMD8(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3]), as: SIMD8<Double>.self)
                        UnsafeMutableRawPointer(toBottom + 2 * j).storeBytes(
                            of: SIMD8(c[0], d[0], c[1], d[1], c[2], d[2], c[3], d[3]), as: SIMD8<Double>.self)
                        j += 4
                    }
                    while j < ow {
                        let w = won[j], v = g[j]
                        toTop[2 * j] = w & 1 != 0 ? v : 0
                        toTop[2 * j + 1] = w & 2 != 0 ? v : 0
                        toBottom[2 * j] = w & 4 != 0 ? v : 0
                        toBottom[2 * j + 1] = w & 8 != 0 ? v : 0
                        j += 1
                    }
                }
                // Odd last row or column: no window reads them.
                if height % 2 == 1 { (to + (height - 1) * width).update(repeating: 0, count: width) }
                if width % 2 == 1 { for r in 0..<(2 * oh) { to[r * width + width - 1] = 0 } }
            }
            let row = x + u * run, m = mean[u], s = inv[u]
            (dGamma[u], dBeta[u]) = Reduce.dotAndSum(d, standardizing: row, mean: m, scale: s, run)
            guard let into else { continue }
            let out = into(u)
            let g = gamma[u], sb = g * dBeta[u], t = g * dGamma[u], k = s / count
            for i in 0..<run { out[i] = k * (count * (d[i] * g) - sb - ((row[i] - m) * s) * t) }
            then?(u, out)
        }
    }
}
