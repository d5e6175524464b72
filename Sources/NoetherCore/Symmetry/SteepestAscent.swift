/// The "steepest" teleport's search (Zhao et al., THEORY.md §12): a few steps of projected
/// gradient ascent of f(s), s the log-factors of the orbit, within |s_i| ≤ bound. The gradient is
/// by central differences; each step is halved until f rises, so f never falls.
enum SteepestAscent {
    static func maximize(dimension m: Int, bound: Double, steps: Int = 8, _ f: ([Double]) -> Double) -> (
        s: [Double], value: Double
    ) {
        var s = [Double](repeating: 0, count: m)
        var value = f(s)
        let h = 1e-4
        for _ in 0..<steps {
            var d = [Double](repeating: 0, count: m)
            for i in 0..<m {
                var up = s, down = s
                up[i] += h
                down[i] -= h
                d[i] = (f(up) - f(down)) / (2 * h)
            }
            let largest = d.map(abs).max() ?? 0
            guard largest > 0, largest.isFinite else { break }
            // The first try moves the steepest coordinate across the whole range.
            var t = 2 * bound / largest
            var improved = false
            for _ in 0..<30 {
                let trial = zip(s, d).map { min(bound, max(-bound, $0 + t * $1)) }
                let v = f(trial)
                if v > value, v.isFinite {
                    (s, value, improved) = (trial, v, true)
                    break
                }
                t /= 2
            }
            if !improved { break }
        }
        return (s, value)
    }
}
