/// Per-group sums of one measurement: signed quadratic (or linear) forms of θ, Δ, g and v,
/// the unsigned magnitude, and θ·Δ (scale groups, for the angular step).
/// With per-layer rates a side's sign carries the weight 1/m (THEORY.md §13.8); `unweighted` is
/// the charge with signs ±1, what weight decay pulls on.
struct Sums {
    var q = 0.0, d = 0.0, g = 0.0, v = 0.0, magnitude = 0.0, thetaDelta = 0.0, unweighted = 0.0
}

/// How the charge groups read the parameters: whole rows and columns of weight matrices are
/// reduced once per step, one pass per matrix (row by row where groups read its rows, with the
/// column sums alongside; otherwise four columns at a time down the rows), and groups combine
/// those reductions.
final class ReductionPlan {
    typealias V = SIMD4<Double>

    /// |x| lane by lane: the sign bit cleared, as `abs` does.
    @inline(__always) private static func magnitude(_ x: V) -> V {
        unsafeBitCast(unsafeBitCast(x, to: SIMD4<UInt64>.self) & (UInt64.max >> 1), to: V.self)
    }

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
        // Field-major, so four neighbouring rows' (or columns') sums of one field are four
        // consecutive doubles, as a family of groups reads them (below).
        var rowSums: Buffer? = nil  // 5 × rows: θ², Δ², g², v², θΔ
        var columnSums: Buffer? = nil  // 5 × cols: θ², Δ², g², v², θΔ
        var columnLinear5: Buffer? = nil  // 5 × cols: θ, Δ, g, v, |θ|
    }

    /// A term resolved to raw pointers: its five sums at `base`, `stride` apart (or a loose segment).
    struct Resolved {
        var base: UnsafeMutablePointer<Double>?
        var stride = 0
        var sign: Double
        var linear: Bool
        var segment: Segment?
    }

    private(set) var matrices: [Matrix]
    /// Every group's terms in order; group g's are terms[groupStart[g]..<groupStart[g+1]]. Kept
    /// in raw memory: the per-step loop reads them without bounds checks or reference counting.
    private let terms: UnsafeMutableBufferPointer<Resolved>
    private let groupStart: UnsafeMutableBufferPointer<Int>
    /// Runs of at least four consecutive groups whose terms are the same but shifted by one row,
    /// column or entry from group to group (a layer's rescale or scale groups, the translation
    /// columns): summed four groups at a time.
    let families: [(first: Int, count: Int)]

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
            if m.columnQuadratic { matrices[i].columnSums = Buffer(m.cols * 5) }
            if m.columnLinear { matrices[i].columnLinear5 = Buffer(m.cols * 5) }
        }
        for (g, terms) in groupTerms.enumerated() {
            groupStart.append(resolved.count)
            let linear = groups[g].kind.isLinear
            for term in terms {
                switch term {
                case .row(let i, let r, let sign):
                    let m = matrices[i]
                    resolved.append(Resolved(base: m.rowSums!.pointer + r, stride: m.rows, sign: sign, linear: false))
                case .column(let i, let j, let sign):
                    let m = matrices[i], sums = linear ? m.columnLinear5! : m.columnSums!
                    resolved.append(Resolved(base: sums.pointer + j, stride: m.cols, sign: sign, linear: linear))
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
        families = Self.families(resolved, groupStart)
    }

    /// Maximal runs of groups each of which is its predecessor shifted by one (same signs and
    /// kinds of terms; sums one row or column further, or a single entry one index further).
    private static func families(_ terms: [Resolved], _ start: [Int]) -> [(first: Int, count: Int)] {
        func follows(_ a: Int, _ b: Int) -> Bool {
            guard start[a + 1] - start[a] == start[b + 1] - start[b] else { return false }
            for k in 0..<(start[a + 1] - start[a]) {
                let x = terms[start[a] + k], y = terms[start[b] + k]
                guard x.sign == y.sign, x.linear == y.linear else { return false }
                if let xb = x.base, let yb = y.base {
                    guard xb == yb + 1, x.stride == y.stride else { return false }
                } else if let xs = x.segment, let ys = y.segment {
                    guard xs.count == 1, ys.count == 1, xs.offset == ys.offset + 1 else { return false }
                } else {
                    return false
                }
            }
            return true
        }
        var found: [(first: Int, count: Int)] = []
        var g = 0
        while g < start.count - 1 {
            var n = 1
            while g + n < start.count - 1, follows(g + n, g + n - 1) { n += 1 }
            if n >= 4 { found.append((g, n)) }
            g += n
        }
        return found
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

    /// One contiguous pass per weight matrix that any group reads. Without `gradient` the
    /// gradient's sums are left out (they hold whatever an earlier pass left there).
    func reduce(
        theta: UnsafePointer<Double>, previous: UnsafePointer<Double>,
        grad: UnsafePointer<Double>, velocity: UnsafePointer<Double>, gradient: Bool = true
    ) {
        if gradient {
            reduce(theta, previous, grad, velocity, Yes.self)
        } else {
            reduce(theta, previous, grad, velocity, No.self)
        }
    }

    private func reduce<Gradient: Flag>(
        _ theta: UnsafePointer<Double>, _ previous: UnsafePointer<Double>,
        _ grad: UnsafePointer<Double>, _ velocity: UnsafePointer<Double>, _: Gradient.Type
    ) {
        typealias G = Gradient
        for m in matrices {
            if m.rowSums != nil {
                // One specialized loop per combination, so each does only the sums some group reads.
                switch (m.columnSums != nil, m.thetaDelta) {
                case (true, true): Self.rowsAndColumns(m, theta, previous, grad, velocity, RowPass<Yes, Yes, G>.self)
                case (true, false): Self.rowsAndColumns(m, theta, previous, grad, velocity, RowPass<Yes, No, G>.self)
                case (false, true): Self.rowsAndColumns(m, theta, previous, grad, velocity, RowPass<No, Yes, G>.self)
                case (false, false): Self.rowsAndColumns(m, theta, previous, grad, velocity, RowPass<No, No, G>.self)
                }
            }
            // Columns no row pass has summed, quadratic and linear in one pass down the columns.
            let quadratic = m.rowSums == nil && m.columnSums != nil, linear = m.columnLinear5 != nil
            let (t, p, g, v) = (theta, previous, grad, velocity)
            switch (quadratic, linear, m.thetaDelta) {
            case (true, true, true): Self.columnsAlone(m, t, p, g, v, ColumnPass<Yes, Yes, Yes, G>.self)
            case (true, true, false): Self.columnsAlone(m, t, p, g, v, ColumnPass<Yes, Yes, No, G>.self)
            case (true, false, true): Self.columnsAlone(m, t, p, g, v, ColumnPass<Yes, No, Yes, G>.self)
            case (true, false, false): Self.columnsAlone(m, t, p, g, v, ColumnPass<Yes, No, No, G>.self)
            case (false, true, _): Self.columnsAlone(m, t, p, g, v, ColumnPass<No, Yes, No, G>.self)
            case (false, false, _): break
            }
        }
    }

    /// Row sums (four lanes over the row, then the lanes' sum, then the tail) and, where asked,
    /// column sums (rows added in order). Rows go in pairs: two independent chains of sums, and
    /// each column sum loaded and stored once per two rows (it still adds row r, then row r + 1).
    /// θ·Δ is summed only where a group reads it (scale groups' angular step); elsewhere it stays 0.
    private static func rowsAndColumns<Which: WhichSums>(
        _ m: Matrix, _ theta: UnsafePointer<Double>, _ previous: UnsafePointer<Double>,
        _ grad: UnsafePointer<Double>, _ velocity: UnsafePointer<Double>, _: Which.Type
    ) {
        let columns = Which.columns, td = Which.thetaDelta, gs = Which.gradient
        let cols = m.cols, body = cols & ~3
        let colSums = columns ? m.columnSums!.pointer : UnsafeMutablePointer<Double>(bitPattern: 8)!
        if columns { colSums.initialize(repeating: 0, count: cols * 5) }
        let c0 = colSums, c1 = colSums + cols, c2 = colSums + 2 * cols, c3 = colSums + 3 * cols
        let c4 = colSums + 4 * cols
        let rowSums = m.rowSums!.pointer
        /// θ², Δ², g², v², θΔ of four entries of the row starting at `base`.
        @inline(__always) func terms(_ base: Int, _ j: Int) -> (V, V, V, V, V) {
            let tj = (theta + base).lanes(j), dj = tj - (previous + base).lanes(j)
            let gj = gs ? (grad + base).lanes(j) : V(), vj = (velocity + base).lanes(j)
            return (tj * tj, dj * dj, gs ? gj * gj : V(), vj * vj, td ? tj * dj : V())
        }
        /// Row r's five sums into the field-major row sums.
        @inline(__always) func store(_ s: (Double, Double, Double, Double, Double), _ r: Int) {
            let n = m.rows
            rowSums[r] = s.0; rowSums[n + r] = s.1; rowSums[2 * n + r] = s.2; rowSums[3 * n + r] = s.3
            if td { rowSums[4 * n + r] = s.4 }
        }
        @inline(__always) func scalarTerms(_ i: Int) -> (Double, Double, Double, Double, Double) {
            let tj = theta[i], dj = tj - previous[i], gj = gs ? grad[i] : 0, vj = velocity[i]
            return (tj * tj, dj * dj, gj * gj, vj * vj, td ? tj * dj : 0)
        }
        var r = 0
        while r + 1 < m.rows {
            let base0 = m.offset + r * cols, base1 = base0 + cols
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V()
            var b0 = V(), b1 = V(), b2 = V(), b3 = V(), b4 = V()
            var j = 0
            while j < body {
                let x = terms(base0, j), y = terms(base1, j)
                a0 += x.0; a1 += x.1; a3 += x.3
                b0 += y.0; b1 += y.1; b3 += y.3
                if gs { a2 += x.2; b2 += y.2 }
                if td { a4 += x.4; b4 += y.4 }
                if columns {
                    c0.setLanes(j, c0.lanes(j) + x.0 + y.0); c1.setLanes(j, c1.lanes(j) + x.1 + y.1)
                    if gs { c2.setLanes(j, c2.lanes(j) + x.2 + y.2) }
                    c3.setLanes(j, c3.lanes(j) + x.3 + y.3)
                    if td { c4.setLanes(j, c4.lanes(j) + x.4 + y.4) }
                }
                j += 4
            }
            // The tail goes after the lanes' sum: s = sum(lanes), then s += each tail entry in order.
            var s = (a0.sum(), a1.sum(), a2.sum(), a3.sum(), td ? a4.sum() : 0)
            var u = (b0.sum(), b1.sum(), b2.sum(), b3.sum(), td ? b4.sum() : 0)
            while j < cols {
                let x = scalarTerms(base0 + j), y = scalarTerms(base1 + j)
                s.0 += x.0; s.1 += x.1; s.2 += x.2; s.3 += x.3; s.4 += x.4
                u.0 += y.0; u.1 += y.1; u.2 += y.2; u.3 += y.3; u.4 += y.4
                if columns {
                    c0[j] = c0[j] + x.0 + y.0; c1[j] = c1[j] + x.1 + y.1; c2[j] = c2[j] + x.2 + y.2
                    c3[j] = c3[j] + x.3 + y.3
                    if td { c4[j] = c4[j] + x.4 + y.4 }
                }
                j += 1
            }
            store(s, r)
            store(u, r + 1)
            r += 2
        }
        while r < m.rows {
            let base = m.offset + r * cols
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V()
            var j = 0
            while j < body {
                let x = terms(base, j)
                a0 += x.0; a1 += x.1; a3 += x.3
                if gs { a2 += x.2 }
                if td { a4 += x.4 }
                if columns {
                    c0.setLanes(j, c0.lanes(j) + x.0); c1.setLanes(j, c1.lanes(j) + x.1)
                    if gs { c2.setLanes(j, c2.lanes(j) + x.2) }
                    c3.setLanes(j, c3.lanes(j) + x.3)
                    if td { c4.setLanes(j, c4.lanes(j) + x.4) }
                }
                j += 4
            }
            var s = (a0.sum(), a1.sum(), a2.sum(), a3.sum(), td ? a4.sum() : 0)
            while j < cols {
                let x = scalarTerms(base + j)
                s.0 += x.0; s.1 += x.1; s.2 += x.2; s.3 += x.3; s.4 += x.4
                if columns {
                    c0[j] += x.0; c1[j] += x.1; c2[j] += x.2; c3[j] += x.3
                    if td { c4[j] += x.4 }
                }
                j += 1
            }
            store(s, r)
            r += 1
        }
    }

    /// Column sums down all the rows, four columns at a time with the sums in registers (rows
    /// added in order, as a row-by-row pass would): quadratic (θ², Δ², g², v², θΔ) where no row
    /// pass made them, and linear (θ, Δ, g, v, |θ|) where a translation group reads them.
    private static func columnsAlone<Which: WhichColumns>(
        _ m: Matrix, _ theta: UnsafePointer<Double>, _ previous: UnsafePointer<Double>,
        _ grad: UnsafePointer<Double>, _ velocity: UnsafePointer<Double>, _: Which.Type
    ) {
        let quadratic = Which.quadratic, linear = Which.linear, td = Which.thetaDelta, gs = Which.gradient
        let cols = m.cols, body = cols & ~3
        let out = quadratic ? m.columnSums!.pointer : UnsafeMutablePointer<Double>(bitPattern: 8)!
        let lin = linear ? m.columnLinear5!.pointer : UnsafeMutablePointer<Double>(bitPattern: 8)!
        let t = theta + m.offset, p = previous + m.offset, g = grad + m.offset, v = velocity + m.offset
        @inline(__always) func store(_ to: UnsafeMutablePointer<Double>, _ j: Int, _ s: (V, V, V, V, V)) {
            to.setLanes(j, s.0); (to + cols).setLanes(j, s.1); (to + 2 * cols).setLanes(j, s.2)
            (to + 3 * cols).setLanes(j, s.3); (to + 4 * cols).setLanes(j, s.4)
        }
        var j = 0
        while j < body {
            var s = (V(), V(), V(), V(), V()), l = (V(), V(), V(), V(), V())
            var at = j
            for _ in 0..<m.rows {
                let tj = t.lanes(at), dj = tj - p.lanes(at), gj = gs ? g.lanes(at) : V(), vj = v.lanes(at)
                if quadratic {
                    s.0 += tj * tj; s.1 += dj * dj; s.3 += vj * vj
                    if gs { s.2 += gj * gj }
                    if td { s.4 += tj * dj }
                }
                if linear {
                    l.0 += tj; l.1 += dj; l.3 += vj; l.4 += Self.magnitude(tj)
                    if gs { l.2 += gj }
                }
                at += cols
            }
            if quadratic { store(out, j, s) }
            if linear { store(lin, j, l) }
            j += 4
        }
        while j < cols {
            var s = (0.0, 0.0, 0.0, 0.0, 0.0), l = (0.0, 0.0, 0.0, 0.0, 0.0)
            var at = j
            for _ in 0..<m.rows {
                let tj = t[at], dj = tj - p[at], gj = gs ? g[at] : 0, vj = v[at]
                if quadratic {
                    s.0 += tj * tj; s.1 += dj * dj; s.2 += gj * gj; s.3 += vj * vj
                    if td { s.4 += tj * dj }
                }
                if linear { l.0 += tj; l.1 += dj; l.2 += gj; l.3 += vj; l.4 += abs(tj) }
                at += cols
            }
            if quadratic {
                out[j] = s.0; out[cols + j] = s.1; out[2 * cols + j] = s.2; out[3 * cols + j] = s.3
                out[4 * cols + j] = s.4
            }
            if linear {
                lin[j] = l.0; lin[cols + j] = l.1; lin[2 * cols + j] = l.2; lin[3 * cols + j] = l.3;
                lin[4 * cols + j] = l.4
            }
            j += 1
        }
    }

    /// Where every group's sums go, indexed by group.
    struct Outputs {
        var q, d, g, v, magnitude, thetaDelta, unweighted: UnsafeMutablePointer<Double>
    }

    /// Every group's sums (after `reduce`): each family four groups at a time, with the same
    /// operations in the same order on each lane as `sums(group:)`, so the numbers are the same;
    /// the rest one by one. Without `complete`, the families leave out what only an observation
    /// reads (g, the magnitude, θ·Δ) and, without `unweighted`, the charge with signs ±1; those
    /// outputs then hold no number to read.
    func groupSums(
        _ theta: UnsafePointer<Double>, _ previous: UnsafePointer<Double>, _ grad: UnsafePointer<Double>,
        _ velocity: UnsafePointer<Double>, into out: Outputs, complete: Bool = true, unweighted: Bool = true
    ) {
        switch (complete, unweighted) {
        case (true, _): groupSums(theta, previous, grad, velocity, out, GroupFields<Yes, Yes>.self)
        case (false, true): groupSums(theta, previous, grad, velocity, out, GroupFields<No, Yes>.self)
        case (false, false): groupSums(theta, previous, grad, velocity, out, GroupFields<No, No>.self)
        }
    }

    private func groupSums<Which: WhichGroupFields>(
        _ theta: UnsafePointer<Double>, _ previous: UnsafePointer<Double>, _ grad: UnsafePointer<Double>,
        _ velocity: UnsafePointer<Double>, _ out: Outputs, _: Which.Type
    ) {
        let complete = Which.complete, signless = Which.unweighted
        var next = 0
        func scalar(upTo end: Int) {
            while next < end {
                let acc = sums(group: next, theta, previous, grad, velocity)
                out.q[next] = acc.q; out.d[next] = acc.d; out.g[next] = acc.g; out.v[next] = acc.v
                out.magnitude[next] = acc.magnitude; out.thetaDelta[next] = acc.thetaDelta
                out.unweighted[next] = acc.unweighted
                next += 1
            }
        }
        for family in families {
            scalar(upTo: family.first)
            let lanes = family.count & ~3
            for i in stride(from: 0, to: lanes, by: 4) {
                var q = V(), d = V(), g = V(), v = V(), mag = V(), td = V(), unweighted = V()
                for k in groupStart[family.first]..<groupStart[family.first + 1] {
                    let term = terms[k], sign = V(repeating: term.sign), positive = term.sign > 0
                    if let s = term.base {
                        let n = term.stride
                        let s0 = s.lanes(i), s1 = (s + n).lanes(i), s2 = (s + 2 * n).lanes(i)
                        let s3 = (s + 3 * n).lanes(i), s4 = (s + 4 * n).lanes(i)
                        if term.linear {
                            q += s0; d += s1; v += s3
                            if complete { g += s2; mag += s4 }
                            if signless { unweighted += s0 }
                        } else {
                            q += sign * s0; d += sign * s1; v += sign * s3
                            if complete { g += sign * s2; mag += s0; td += s4 }
                            if signless { unweighted += positive ? s0 : -s0 }
                        }
                        continue
                    }
                    let at = term.segment!.offset + i
                    let t = theta.lanes(at), dt = t - previous.lanes(at), vt = velocity.lanes(at)
                    let gt = complete ? grad.lanes(at) : V()
                    if term.linear {
                        q += t; d += dt; v += vt
                        if complete { g += gt; mag += Self.magnitude(t) }
                        if signless { unweighted += t }
                    } else {
                        q += sign * t * t; d += sign * dt * dt; v += sign * vt * vt
                        if complete { g += sign * gt * gt; mag += t * t; td += t * dt }
                        if signless { unweighted += positive ? t * t : -t * t }
                    }
                }
                let at = family.first + i
                out.q.setLanes(at, q); out.d.setLanes(at, d); out.g.setLanes(at, g); out.v.setLanes(at, v)
                out.magnitude.setLanes(at, mag); out.thetaDelta.setLanes(at, td)
                out.unweighted.setLanes(at, unweighted)
            }
            next = family.first + lanes
            scalar(upTo: family.first + family.count)
        }
        scalar(upTo: groupStart.count - 1)
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
                let sign = term.sign, n = term.stride
                let (s0, s1, s2, s3, s4) = (s[0], s[n], s[2 * n], s[3 * n], s[4 * n])
                if term.linear {
                    acc.q += s0; acc.d += s1; acc.g += s2; acc.v += s3; acc.magnitude += s4
                    acc.unweighted += s0
                } else {
                    acc.q += sign * s0; acc.d += sign * s1; acc.g += sign * s2; acc.v += sign * s3
                    acc.magnitude += s0; acc.thetaDelta += s4
                    acc.unweighted += sign > 0 ? s0 : -s0
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
    static var columns: Bool { get }; static var thetaDelta: Bool { get }; static var gradient: Bool { get }
}
/// The same for a pass down the columns: quadratic sums, linear sums or both.
protocol WhichColumns {
    static var quadratic: Bool { get }; static var linear: Bool { get }; static var thetaDelta: Bool { get }
    static var gradient: Bool { get }
}
/// Which outputs a family's sums fill: all of them, or what the next step reads (optionally
/// with the charge with signs ±1).
protocol WhichGroupFields {
    static var complete: Bool { get }; static var unweighted: Bool { get }
}
protocol Flag { static var value: Bool { get } }
enum Yes: Flag { static var value: Bool { true } }
enum No: Flag { static var value: Bool { false } }
enum RowPass<Columns: Flag, ThetaDelta: Flag, Gradient: Flag>: WhichSums {
    static var columns: Bool { Columns.value }
    static var thetaDelta: Bool { ThetaDelta.value }
    static var gradient: Bool { Gradient.value }
}
enum ColumnPass<Quadratic: Flag, Linear: Flag, ThetaDelta: Flag, Gradient: Flag>: WhichColumns {
    static var quadratic: Bool { Quadratic.value }
    static var linear: Bool { Linear.value }
    static var thetaDelta: Bool { ThetaDelta.value }
    static var gradient: Bool { Gradient.value }
}
enum GroupFields<Complete: Flag, Unweighted: Flag>: WhichGroupFields {
    static var complete: Bool { Complete.value }
    static var unweighted: Bool { Unweighted.value }
}
