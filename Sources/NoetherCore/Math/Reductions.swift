/// Sums over long contiguous runs (a channel's batch × positions), in eight interleaved partial
/// sums: a plain `s += x[i]` loop waits for each addition before the next and is not vectorized,
/// as floating-point addition is not associative. The order differs from a serial loop only by
/// reassociation (as PyTorch's own vectorized reductions do).
enum Reduce {
    typealias V = SIMD4<Double>

    /// Σ f(i) for i in 0..<n, where `lanes(i)` gives f at i…i+3 and `one(i)` at i alone.
    @inline(__always)
    private static func accumulate(_ n: Int, _ lanes: (Int) -> V, _ one: (Int) -> Double) -> Double {
        var a = V.zero, b = V.zero, i = 0
        while i + 8 <= n { a += lanes(i); b += lanes(i + 4); i += 8 }
        if i + 4 <= n { a += lanes(i); i += 4 }
        var s = (a + b).sum()
        while i < n { s += one(i); i += 1 }
        return s
    }

    /// Σ x.
    static func sum(_ x: UnsafePointer<Double>, _ n: Int) -> Double {
        accumulate(n, { x.lanes($0) }, { x[$0] })
    }

    /// Σ (x − m)², the second pass of a two-pass variance.
    static func squaredDeviation(_ x: UnsafePointer<Double>, _ n: Int, from m: Double) -> Double {
        accumulate(
            n,
            {
                let d = x.lanes($0) - V(repeating: m); return d * d
            },
            {
                let d = x[$0] - m; return d * d
            })
    }

    /// (Σ a·b, Σ a) in one pass: a normalization's dγ and dβ from dy and ẑ.
    static func dotAndSum(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> (
        dot: Double, sum: Double
    ) {
        var d0 = V.zero, d1 = V.zero, s0 = V.zero, s1 = V.zero, i = 0
        while i + 8 <= n {
            let x0 = a.lanes(i), x1 = a.lanes(i + 4)
            d0 += x0 * b.lanes(i); d1 += x1 * b.lanes(i + 4)
            s0 += x0; s1 += x1
            i += 8
        }
        var dot = (d0 + d1).sum(), sum = (s0 + s1).sum()
        while i < n { dot += a[i] * b[i]; sum += a[i]; i += 1 }
        return (dot, sum)
    }

    /// dotAndSum(a, ẑ, n) with ẑ = (x − m)·s made on the fly from x, in the same order: the same
    /// sums as over a stored ẑ, without writing and reading it back.
    static func dotAndSum(
        _ a: UnsafePointer<Double>, standardizing x: UnsafePointer<Double>, mean m: Double, scale s: Double, _ n: Int
    ) -> (dot: Double, sum: Double) {
        let mv = V(repeating: m), sv = V(repeating: s)
        var d0 = V.zero, d1 = V.zero, s0 = V.zero, s1 = V.zero, i = 0
        while i + 8 <= n {
            let x0 = a.lanes(i), x1 = a.lanes(i + 4)
            d0 += x0 * ((x.lanes(i) - mv) * sv); d1 += x1 * ((x.lanes(i + 4) - mv) * sv)
            s0 += x0; s1 += x1
            i += 8
        }
        var dot = (d0 + d1).sum(), sum = (s0 + s1).sum()
        while i < n { dot += a[i] * ((x[i] - m) * s); sum += a[i]; i += 1 }
        return (dot, sum)
    }
}
