/// The "flattest" teleport's search (THEORY.md §16.5): the log-factor s ∈ [−bound, bound] of one
/// shared α = eˢ along an orbit where the sharpness f(s) is smallest. A grid of `points` values
/// (s = 0 among them) finds the basin, golden-section steps refine it; the result is never worse
/// than s = 0, so the teleport never raises the sharpness it measures.
enum FlattestSearch {
    static func minimize(bound: Double, points: Int = 9, refinements: Int = 12, _ f: (Double) -> Double)
        -> (s: Double, value: Double, start: Double)
    {
        let half = points / 2
        let grid = (-half...half).map { bound * Double($0) / Double(half) }
        let values = grid.map(f)
        let start = values[half]
        var best = (s: 0.0, value: start)
        for (s, v) in zip(grid, values) where v < best.value { best = (s, v) }
        guard let i = grid.firstIndex(of: best.s) else { return (best.s, best.value, start) }
        var lo = grid[max(0, i - 1)], hi = grid[min(grid.count - 1, i + 1)]
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo)
        var fa = f(a), fb = f(b)
        for _ in 0..<refinements {
            if fa < fb {
                hi = b; b = a; fb = fa
                a = hi - ratio * (hi - lo); fa = f(a)
            } else {
                lo = a; a = b; fa = fb
                b = lo + ratio * (hi - lo); fb = f(b)
            }
        }
        for (s, v) in [(a, fa), (b, fb)] where v < best.value { best = (s, v) }
        return (best.s, best.value, start)
    }
}

extension Simulator {
    /// "; sharpness 4.1 → 2.3 at α = 1.6" after a flattest teleport, for its message.
    public var flattenedNote: String {
        guard let f = flattened else { return "" }
        func g(_ x: Double) -> String { String(format: "%.4g", x) }
        return "; sharpness \(g(f.before)) → \(g(f.after)) at α = \(g(f.alpha))"
    }
}
