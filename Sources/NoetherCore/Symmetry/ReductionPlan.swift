/// Per-group sums of one measurement: signed quadratic (or linear) forms of θ, Δ, g and v,
/// the unsigned magnitude, and θ·Δ (scale groups, for the angular step).
/// With per-layer rates a side's sign carries the weight 1/m (THEORY.md §13.8); `unweighted` is
/// the charge with signs ±1, what weight decay pulls on.
struct Sums {
    var q = 0.0, d = 0.0, g = 0.0, v = 0.0, magnitude = 0.0, thetaDelta = 0.0, unweighted = 0.0
}

/// How the charge groups read the parameters: whole rows and columns of weight matrices are
/// reduced once per step in a single row-major pass (strided column reads would miss the cache
/// on every element), and groups combine those reductions.
final class ReductionPlan {
    enum Term {
        case row(matrix: Int, index: Int, sign: Double)
        case column(matrix: Int, index: Int, sign: Double)
        case entries(Segment)
    }

    struct Matrix {
        var offset: Int, rows: Int, cols: Int
        var rowQuadratic = false, columnQuadratic = false, columnLinear = false
        var rowSums: Buffer? = nil  // rows × 5: θ², Δ², g², v², θΔ
        var columnSums: Buffer? = nil  // cols × 5: θ², Δ², g², v², θΔ
        var columnLinear5: Buffer? = nil  // cols × 5: θ, Δ, g, v, |θ|
    }

    /// A term resolved to raw pointers: sums at `base`, fields `stride` apart (or a loose segment).
    struct Resolved {
        var base: UnsafeMutablePointer<Double>?
        var stride: Int
        var sign: Double
        var linear: Bool
        var segment: Segment?
    }

    private(set) var matrices: [Matrix]
    private(set) var groupTerms: [[Term]] = []
    private(set) var resolved: [Resolved] = []
    private(set) var groupStart: [Int] = []  // group g's terms are resolved[groupStart[g]..<groupStart[g+1]]

    init(groups: [SymmetryGroup], tensors: [Tensor]) {
        matrices = tensors.filter(\.isMatrix).map { Matrix(offset: $0.offset, rows: $0.rows, cols: $0.cols) }
        for group in groups {
            var terms: [Term] = []
            for s in group.segments { terms += classify(s, linear: group.kind.isLinear) }
            groupTerms.append(terms)
        }
        for i in matrices.indices {
            let m = matrices[i]
            if m.rowQuadratic { matrices[i].rowSums = Buffer(m.rows * 5) }
            if m.columnQuadratic { matrices[i].columnSums = Buffer(m.cols * 5) }
            if m.columnLinear { matrices[i].columnLinear5 = Buffer(m.cols * 5) }
        }
        for (g, terms) in groupTerms.enumerated() {
            groupStart.append(resolved.count)
            let linear = groups[g].kind.isLinear
            for term in terms {
                switch term {
                case .row(let i, let r, let sign):
                    resolved.append(
                        Resolved(base: matrices[i].rowSums!.pointer + r * 5, stride: 1, sign: sign, linear: false))
                case .column(let i, let j, let sign):
                    let buffer = linear ? matrices[i].columnLinear5! : matrices[i].columnSums!
                    resolved.append(
                        Resolved(base: buffer.pointer + j, stride: matrices[i].cols, sign: sign, linear: linear))
                case .entries(let segment):
                    resolved.append(
                        Resolved(base: nil, stride: 0, sign: segment.sign, linear: linear, segment: segment))
                }
            }
        }
        groupStart.append(resolved.count)
    }

    private func classify(_ s: Segment, linear: Bool) -> [Term] {
        for (i, m) in matrices.enumerated() where s.offset >= m.offset && s.offset < m.offset + m.rows * m.cols {
            let local = s.offset - m.offset
            if !linear, s.stride == 1, s.count == m.cols, local % m.cols == 0 {
                matrices[i].rowQuadratic = true
                return [.row(matrix: i, index: local / m.cols, sign: s.sign)]
            }
            if !linear, s.stride == 1, s.count == m.rows * m.cols, local == 0 {
                matrices[i].rowQuadratic = true
                return (0..<m.rows).map { .row(matrix: i, index: $0, sign: s.sign) }
            }
            if s.stride == m.cols, s.count == m.rows, local < m.cols {
                if linear { matrices[i].columnLinear = true } else { matrices[i].columnQuadratic = true }
                return [.column(matrix: i, index: local, sign: s.sign)]
            }
        }
        return [.entries(s)]
    }

    /// One contiguous pass per weight matrix that any group reads.
    func reduce(
        theta: UnsafePointer<Double>, previous: UnsafePointer<Double>,
        grad: UnsafePointer<Double>, velocity: UnsafePointer<Double>
    ) {
        for m in matrices {
            if m.rowSums != nil || m.columnSums != nil {
                Self.quadratic(m, theta, previous, grad, velocity)
            }
            if let lin = m.columnLinear5 {
                Self.linearColumns(m, lin.pointer, theta, previous, grad, velocity)
            }
        }
    }

    private static func quadratic(
        _ m: Matrix, _ theta: UnsafePointer<Double>, _ previous: UnsafePointer<Double>,
        _ grad: UnsafePointer<Double>, _ velocity: UnsafePointer<Double>
    ) {
        let cols = m.cols
        let colSums = m.columnSums?.pointer
        if let colSums { colSums.initialize(repeating: 0, count: cols * 5) }
        let c0 = colSums, c1 = colSums.map { $0 + cols }, c2 = colSums.map { $0 + 2 * cols }
        let c3 = colSums.map { $0 + 3 * cols }, c4 = colSums.map { $0 + 4 * cols }
        for r in 0..<m.rows {
            let base = m.offset + r * cols
            let t = theta + base, p = previous + base, g = grad + base, v = velocity + base
            // Four lanes at a time: independent accumulators let the row sums vectorize.
            typealias V = SIMD4<Double>
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V()
            let body = cols & ~3
            @inline(__always) func load(_ p: UnsafePointer<Double>, _ j: Int) -> V {
                UnsafeRawPointer(p + j).loadUnaligned(as: V.self)
            }
            @inline(__always) func add(_ p: UnsafeMutablePointer<Double>, _ j: Int, _ x: V) {
                UnsafeMutableRawPointer(p + j).storeBytes(of: load(p, j) + x, as: V.self)
            }
            var j = 0
            while j < body {
                let tj = load(t, j), dj = tj - load(p, j), gj = load(g, j), vj = load(v, j)
                let tt = tj * tj, dd = dj * dj, gg = gj * gj, vv = vj * vj, td = tj * dj
                a0 += tt; a1 += dd; a2 += gg; a3 += vv; a4 += td
                if let c0, let c1, let c2, let c3, let c4 {
                    add(c0, j, tt); add(c1, j, dd); add(c2, j, gg); add(c3, j, vv); add(c4, j, td)
                }
                j += 4
            }
            var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum(), s4 = a4.sum()
            while j < cols {
                let tj = t[j], dj = tj - p[j], gj = g[j], vj = v[j]
                let tt = tj * tj, dd = dj * dj, gg = gj * gj, vv = vj * vj, td = tj * dj
                s0 += tt; s1 += dd; s2 += gg; s3 += vv; s4 += td
                if let c0, let c1, let c2, let c3, let c4 {
                    c0[j] += tt; c1[j] += dd; c2[j] += gg; c3[j] += vv; c4[j] += td
                }
                j += 1
            }
            if let rows = m.rowSums?.pointer {
                let o = r * 5
                rows[o] = s0; rows[o + 1] = s1; rows[o + 2] = s2; rows[o + 3] = s3; rows[o + 4] = s4
            }
        }
    }

    private static func linearColumns(
        _ m: Matrix, _ out: UnsafeMutablePointer<Double>, _ theta: UnsafePointer<Double>,
        _ previous: UnsafePointer<Double>, _ grad: UnsafePointer<Double>,
        _ velocity: UnsafePointer<Double>
    ) {
        let cols = m.cols
        out.initialize(repeating: 0, count: cols * 5)
        let c0 = out, c1 = out + cols, c2 = out + 2 * cols, c3 = out + 3 * cols, c4 = out + 4 * cols
        for r in 0..<m.rows {
            let base = m.offset + r * cols
            let t = theta + base, p = previous + base, g = grad + base, v = velocity + base
            for j in 0..<cols {
                let tj = t[j]
                c0[j] += tj; c1[j] += tj - p[j]; c2[j] += g[j]; c3[j] += v[j]; c4[j] += abs(tj)
            }
        }
    }

    /// Adds up group g's terms.
    @inline(__always)
    func sums(
        group g: Int, _ theta: UnsafePointer<Double>, _ previous: UnsafePointer<Double>,
        _ grad: UnsafePointer<Double>, _ velocity: UnsafePointer<Double>
    ) -> Sums {
        var acc = Sums()
        resolved.withUnsafeBufferPointer { terms in
            for k in groupStart[g]..<groupStart[g + 1] {
                let term = terms[k]
                if let s = term.base {
                    let w = term.stride, sign = term.sign
                    if term.linear {
                        acc.q += s[0]; acc.d += s[w]; acc.g += s[2 * w]; acc.v += s[3 * w]; acc.magnitude += s[4 * w]
                        acc.unweighted += s[0]
                    } else {
                        acc.q += sign * s[0]; acc.d += sign * s[w]; acc.g += sign * s[2 * w]; acc.v += sign * s[3 * w]
                        acc.magnitude += s[0]; acc.thetaDelta += s[4 * w]
                        acc.unweighted += sign > 0 ? s[0] : -s[0]
                    }
                    continue
                }
                let seg = term.segment!
                var idx = seg.offset
                for _ in 0..<seg.count {
                    let t = theta[idx], d = t - previous[idx], g = grad[idx], v = velocity[idx]
                    if term.linear {
                        acc.q += t; acc.d += d; acc.g += g; acc.v += v; acc.magnitude += abs(t); acc.unweighted += t
                    } else {
                        acc.q += seg.sign * t * t; acc.d += seg.sign * d * d; acc.g += seg.sign * g * g
                        acc.v += seg.sign * v * v; acc.magnitude += t * t; acc.thetaDelta += t * d
                        acc.unweighted += seg.sign > 0 ? t * t : -t * t
                    }
                    idx += seg.stride
                }
            }
        }
        return acc
    }
}
