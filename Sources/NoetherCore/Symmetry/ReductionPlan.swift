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
        /// Whether a group reading its rows or columns needs θ·Δ (a scale group's angular step).
        var thetaDelta = false
        var rowSums: Buffer? = nil  // rows × 5: θ², Δ², g², v², θΔ
        var columnSums: Buffer? = nil  // 5 × cols: θ², Δ², g², v², θΔ
        var columnLinear5: Buffer? = nil  // 5 × cols: θ, Δ, g, v, |θ|
        // The same, one record of five per column (cols × 5), as the groups read them.
        var columnRecords: Buffer? = nil
        var linearRecords: Buffer? = nil
    }

    /// A term resolved to raw pointers: its five sums at `base` (or a loose segment).
    struct Resolved {
        var base: UnsafeMutablePointer<Double>?
        var sign: Double
        var linear: Bool
        var segment: Segment?
    }

    private(set) var matrices: [Matrix]
    /// Every group's terms in order; group g's are terms[groupStart[g]..<groupStart[g+1]]. Kept
    /// in raw memory: the per-step loop reads them without bounds checks or reference counting.
    private let terms: UnsafeMutableBufferPointer<Resolved>
    private let groupStart: UnsafeMutableBufferPointer<Int>

    init(groups: [SymmetryGroup], tensors: [Tensor]) {
        var matrices = tensors.filter(\.isMatrix).map { Matrix(offset: $0.offset, rows: $0.rows, cols: $0.cols) }
        var groupTerms: [[Term]] = [], resolved: [Resolved] = [], groupStart: [Int] = []
        for group in groups {
            var terms: [Term] = []
            for s in group.segments {
                terms += Self.classify(s, linear: group.kind.isLinear, angular: group.kind.hasAngularStep, &matrices)
            }
            groupTerms.append(terms)
        }
        for i in matrices.indices {
            let m = matrices[i]
            if m.rowQuadratic { matrices[i].rowSums = Buffer(m.rows * 5) }
            if m.columnQuadratic {
                (matrices[i].columnSums, matrices[i].columnRecords) = (Buffer(m.cols * 5), Buffer(m.cols * 5))
            }
            if m.columnLinear {
                (matrices[i].columnLinear5, matrices[i].linearRecords) = (Buffer(m.cols * 5), Buffer(m.cols * 5))
            }
        }
        for (g, terms) in groupTerms.enumerated() {
            groupStart.append(resolved.count)
            let linear = groups[g].kind.isLinear
            for term in terms {
                switch term {
                case .row(let i, let r, let sign):
                    resolved.append(
                        Resolved(base: matrices[i].rowSums!.pointer + r * 5, sign: sign, linear: false))
                case .column(let i, let j, let sign):
                    let records = linear ? matrices[i].linearRecords! : matrices[i].columnRecords!
                    resolved.append(Resolved(base: records.pointer + j * 5, sign: sign, linear: linear))
                case .entries(let segment):
                    resolved.append(
                        Resolved(base: nil, sign: segment.sign, linear: linear, segment: segment))
                }
            }
        }
        groupStart.append(resolved.count)
        self.matrices = matrices
        terms = .allocate(capacity: resolved.count)
        _ = terms.initialize(from: resolved)
        self.groupStart = .allocate(capacity: groupStart.count)
        _ = self.groupStart.initialize(from: groupStart)
    }

    deinit {
        terms.deallocate()
        groupStart.deallocate()
    }

    private static func classify(_ s: Segment, linear: Bool, angular: Bool, _ matrices: inout [Matrix]) -> [Term] {
        for (i, m) in matrices.enumerated() where s.offset >= m.offset && s.offset < m.offset + m.rows * m.cols {
            let local = s.offset - m.offset
            if angular { matrices[i].thetaDelta = true }
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
            if let sums = m.columnSums, let records = m.columnRecords { Self.records(sums, records, m.cols) }
            if let lin = m.columnLinear5, let records = m.linearRecords {
                Self.linearColumns(m, lin.pointer, theta, previous, grad, velocity)
                Self.records(lin, records, m.cols)
            }
        }
    }

    private static func quadratic(
        _ m: Matrix, _ theta: UnsafePointer<Double>, _ previous: UnsafePointer<Double>,
        _ grad: UnsafePointer<Double>, _ velocity: UnsafePointer<Double>
    ) {
        // One specialized loop per combination, so each does only the sums some group reads.
        switch (m.rowSums != nil, m.columnSums != nil, m.thetaDelta) {
        case (true, true, true): quadratic(m, theta, previous, grad, velocity, Sums3<Yes, Yes, Yes>.self)
        case (true, true, false): quadratic(m, theta, previous, grad, velocity, Sums3<Yes, Yes, No>.self)
        case (true, false, true): quadratic(m, theta, previous, grad, velocity, Sums3<Yes, No, Yes>.self)
        case (true, false, false): quadratic(m, theta, previous, grad, velocity, Sums3<Yes, No, No>.self)
        case (false, _, true): quadratic(m, theta, previous, grad, velocity, Sums3<No, Yes, Yes>.self)
        case (false, _, false): quadratic(m, theta, previous, grad, velocity, Sums3<No, Yes, No>.self)
        }
    }

    /// Row sums (four lanes over the row, then the lanes' sum, then the tail) and column sums
    /// (rows added in order). With column sums, rows go in pairs so each column sum is loaded
    /// and stored once per two rows; it still adds row r, then row r + 1. θ·Δ is summed only
    /// where a group reads it (scale groups' angular step); elsewhere it stays 0.
    private static func quadratic<Which: WhichSums>(
        _ m: Matrix, _ theta: UnsafePointer<Double>, _ previous: UnsafePointer<Double>,
        _ grad: UnsafePointer<Double>, _ velocity: UnsafePointer<Double>, _: Which.Type
    ) {
        let rows = Which.rows, columns = Which.columns, td = Which.thetaDelta
        typealias V = SIMD4<Double>
        let cols = m.cols, body = cols & ~3
        let colSums = columns ? m.columnSums!.pointer : UnsafeMutablePointer<Double>(bitPattern: 8)!
        if columns { colSums.initialize(repeating: 0, count: cols * 5) }
        let c0 = colSums, c1 = colSums + cols, c2 = colSums + 2 * cols, c3 = colSums + 3 * cols
        let c4 = colSums + 4 * cols
        let rowSums = rows ? m.rowSums!.pointer : UnsafeMutablePointer<Double>(bitPattern: 8)!
        /// θ², Δ², g², v², θΔ of four entries of the row starting at `base`.
        @inline(__always) func terms(_ base: Int, _ j: Int) -> (V, V, V, V, V) {
            let tj = (theta + base).lanes(j), dj = tj - (previous + base).lanes(j)
            let gj = (grad + base).lanes(j), vj = (velocity + base).lanes(j)
            return (tj * tj, dj * dj, gj * gj, vj * vj, td ? tj * dj : V())
        }
        @inline(__always) func scalarTerms(_ i: Int) -> (Double, Double, Double, Double, Double) {
            let tj = theta[i], dj = tj - previous[i], gj = grad[i], vj = velocity[i]
            return (tj * tj, dj * dj, gj * gj, vj * vj, td ? tj * dj : 0)
        }
        var r = 0
        while columns, r + 1 < m.rows {
            let base0 = m.offset + r * cols, base1 = base0 + cols
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V()
            var b0 = V(), b1 = V(), b2 = V(), b3 = V(), b4 = V()
            var j = 0
            while j < body {
                let x = terms(base0, j), y = terms(base1, j)
                if rows {
                    a0 += x.0; a1 += x.1; a2 += x.2; a3 += x.3
                    b0 += y.0; b1 += y.1; b2 += y.2; b3 += y.3
                    if td { a4 += x.4; b4 += y.4 }
                }
                c0.setLanes(j, c0.lanes(j) + x.0 + y.0); c1.setLanes(j, c1.lanes(j) + x.1 + y.1)
                c2.setLanes(j, c2.lanes(j) + x.2 + y.2); c3.setLanes(j, c3.lanes(j) + x.3 + y.3)
                if td { c4.setLanes(j, c4.lanes(j) + x.4 + y.4) }
                j += 4
            }
            // The tail goes after the lanes' sum: s = sum(lanes), then s += each tail entry in order.
            var s = rows ? (a0.sum(), a1.sum(), a2.sum(), a3.sum(), td ? a4.sum() : 0) : (0, 0, 0, 0, 0)
            var u = rows ? (b0.sum(), b1.sum(), b2.sum(), b3.sum(), td ? b4.sum() : 0) : (0, 0, 0, 0, 0)
            while j < cols {
                let x = scalarTerms(base0 + j), y = scalarTerms(base1 + j)
                s.0 += x.0; s.1 += x.1; s.2 += x.2; s.3 += x.3; s.4 += x.4
                u.0 += y.0; u.1 += y.1; u.2 += y.2; u.3 += y.3; u.4 += y.4
                c0[j] = c0[j] + x.0 + y.0; c1[j] = c1[j] + x.1 + y.1; c2[j] = c2[j] + x.2 + y.2
                c3[j] = c3[j] + x.3 + y.3
                if td { c4[j] = c4[j] + x.4 + y.4 }
                j += 1
            }
            if rows {
                rowSums[r * 5] = s.0; rowSums[r * 5 + 1] = s.1; rowSums[r * 5 + 2] = s.2; rowSums[r * 5 + 3] = s.3
                if td { rowSums[r * 5 + 4] = s.4 }
                rowSums[r * 5 + 5] = u.0; rowSums[r * 5 + 6] = u.1; rowSums[r * 5 + 7] = u.2
                rowSums[r * 5 + 8] = u.3
                if td { rowSums[r * 5 + 9] = u.4 }
            }
            r += 2
        }
        while r < m.rows {
            let base = m.offset + r * cols
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V()
            var j = 0
            while j < body {
                let x = terms(base, j)
                if rows {
                    a0 += x.0; a1 += x.1; a2 += x.2; a3 += x.3
                    if td { a4 += x.4 }
                }
                if columns {
                    c0.setLanes(j, c0.lanes(j) + x.0); c1.setLanes(j, c1.lanes(j) + x.1)
                    c2.setLanes(j, c2.lanes(j) + x.2); c3.setLanes(j, c3.lanes(j) + x.3)
                    if td { c4.setLanes(j, c4.lanes(j) + x.4) }
                }
                j += 4
            }
            var s = rows ? (a0.sum(), a1.sum(), a2.sum(), a3.sum(), td ? a4.sum() : 0) : (0, 0, 0, 0, 0)
            while j < cols {
                let x = scalarTerms(base + j)
                s.0 += x.0; s.1 += x.1; s.2 += x.2; s.3 += x.3; s.4 += x.4
                if columns {
                    c0[j] += x.0; c1[j] += x.1; c2[j] += x.2; c3[j] += x.3
                    if td { c4[j] += x.4 }
                }
                j += 1
            }
            if rows {
                rowSums[r * 5] = s.0; rowSums[r * 5 + 1] = s.1; rowSums[r * 5 + 2] = s.2; rowSums[r * 5 + 3] = s.3
                if td { rowSums[r * 5 + 4] = s.4 }
            }
            r += 1
        }
    }

    /// Five rows of column sums as one record of five per column.
    private static func records(_ sums: Buffer, _ records: Buffer, _ cols: Int) {
        let (s, r) = (sums.pointer, records.pointer)
        for j in 0..<cols {
            r[j * 5] = s[j]; r[j * 5 + 1] = s[cols + j]; r[j * 5 + 2] = s[2 * cols + j]
            r[j * 5 + 3] = s[3 * cols + j]; r[j * 5 + 4] = s[4 * cols + j]
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
        let body = cols & ~3
        /// |x| lane by lane: the sign bit cleared, as `abs` does.
        @inline(__always) func magnitude(_ x: SIMD4<Double>) -> SIMD4<Double> {
            unsafeBitCast(unsafeBitCast(x, to: SIMD4<UInt64>.self) & (UInt64.max >> 1), to: SIMD4<Double>.self)
        }
        for r in 0..<m.rows {
            let base = m.offset + r * cols
            let t = theta + base, p = previous + base, g = grad + base, v = velocity + base
            var j = 0
            while j < body {
                let tj = t.lanes(j)
                c0.setLanes(j, c0.lanes(j) + tj); c1.setLanes(j, c1.lanes(j) + (tj - p.lanes(j)))
                c2.setLanes(j, c2.lanes(j) + g.lanes(j)); c3.setLanes(j, c3.lanes(j) + v.lanes(j))
                c4.setLanes(j, c4.lanes(j) + magnitude(tj))
                j += 4
            }
            while j < cols {
                let tj = t[j]
                c0[j] += tj; c1[j] += tj - p[j]; c2[j] += g[j]; c3[j] += v[j]; c4[j] += abs(tj)
                j += 1
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
        for k in groupStart[g]..<groupStart[g + 1] {
            let term = terms[k]
            if let s = term.base {
                let sign = term.sign
                if term.linear {
                    acc.q += s[0]; acc.d += s[1]; acc.g += s[2]; acc.v += s[3]; acc.magnitude += s[4]
                    acc.unweighted += s[0]
                } else {
                    acc.q += sign * s[0]; acc.d += sign * s[1]; acc.g += sign * s[2]; acc.v += sign * s[3]
                    acc.magnitude += s[0]; acc.thetaDelta += s[4]
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
        return acc
    }
}

/// Which sums a matrix pass makes, as types, so each combination is compiled as its own loop.
protocol WhichSums {
    static var rows: Bool { get }; static var columns: Bool { get }; static var thetaDelta: Bool { get }
}
protocol Flag { static var value: Bool { get } }
enum Yes: Flag { static var value: Bool { true } }
enum No: Flag { static var value: Bool { false } }
enum Sums3<Rows: Flag, Columns: Flag, ThetaDelta: Flag>: WhichSums {
    static var rows: Bool { Rows.value }
    static var columns: Bool { Columns.value }
    static var thetaDelta: Bool { ThetaDelta.value }
}
