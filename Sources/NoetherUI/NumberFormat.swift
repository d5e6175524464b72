import Foundation

/// How numbers read on screen: never a subnormal, never `5.59e+03` for a rate.
public enum NumberFormat {
    /// Values below the double-precision normal range are numerical dust: they show as 0.
    public static func clean(_ v: Double) -> Double { abs(v) < Double.leastNormalMagnitude ? 0 : v }

    /// Three significant digits; k/M for large values, an exponent only below 1e-3 or above 1e9,
    /// written as the axis ticks write it (2.9e-4 beside a tick 5e-4, never 2.9e-04).
    public static func compact(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let v = clean(v)
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e9 || a < 1e-3 { return exponent(v, significant: 2) }
        if a >= 1e6 { return trim(String(format: "%.3g", v / 1e6)) + "M" }
        if a >= 1e4 { return trim(String(format: "%.3g", v / 1e3)) + "k" }
        return String(format: "%.3g", v)
    }

    /// A ratio whose denominator has collapsed (to 0 or below the normal range) has no value: "–".
    public static func ratio(_ value: Double, over denominator: Double) -> String {
        clean(denominator) == 0 || !denominator.isFinite ? "–" : compact(value)
    }

    /// Steps per second: grouped digits below 10,000, then one decimal in thousands.
    public static func rate(_ v: Double) -> String {
        guard v.isFinite, v >= 0 else { return "–" }
        if v < 10_000 { return grouped(Int(v.rounded())) + " steps/s" }
        if v < 1e6 { return String(format: "%.1fk", v / 1e3) + " steps/s" }
        return String(format: "%.1fM", v / 1e6) + " steps/s"
    }

    public static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A tick label for a round value: 0, 500, 1k, 1.5k, 50k, 1.2M, 0.25, 2e-5.
    public static func tick(_ v: Double) -> String {
        let v = clean(v)
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e6 && a < 1e9 { return trim(String(format: "%.3g", v / 1e6)) + "M" }
        if a >= 1e3 && a < 1e6 { return trim(String(format: "%.3g", v / 1e3)) + "k" }
        if a >= 1e-3 && a < 1e3 { return trim(String(format: "%.3g", v)) }
        return exponent(v)
    }

    /// The labels of one axis in one notation: when any needs an exponent, all nonzero ones have
    /// one (never 0.002 beside 5e-4).
    public static func ticks(_ values: [Double]) -> [String] {
        let needsExponent = values.contains { v in
            let a = abs(clean(v))
            return a != 0 && (a < 1e-3 || a >= 1e9)
        }
        let labels = values.map { needsExponent && clean($0) != 0 ? exponent($0) : tick($0) }
        guard Set(labels).count < labels.count, !needsExponent, values.allSatisfy({ abs($0) < 1e3 }) else {
            return labels
        }
        // A narrow range (1.136, 1.138, …) needs the decimals of its spacing to keep labels apart.
        let spacing = zip(values, values.dropFirst()).map { abs($1 - $0) }.filter { $0 > 0 }.min() ?? 1
        let decimals = min(12, max(0, Int((-log10(spacing)).rounded(.up))))
        return values.map { String(format: "%.\(decimals)f", clean($0)) }
    }

    /// Exponent form, as short as the value allows: 1e-4, 1.5e-5, 2e9 (at most `significant` digits).
    static func exponent(_ v: Double, significant: Int = 3) -> String {
        let parts = String(format: "%.\(significant - 1)e", v).split(separator: "e")
        return trim(String(parts[0])) + "e" + String(Int(parts[1]) ?? 0)
    }

    private static func trim(_ s: String) -> String {
        guard s.contains("."), !s.contains("e") else { return s }
        var s = s
        while s.last == "0" { s.removeLast() }
        if s.last == "." { s.removeLast() }
        return s
    }
}

/// Round tick values (1-2-5 × 10ⁿ) inside a range.
public enum Ticks {
    /// Round values (1, 2 or 5 × 10ⁿ apart) within [lo, hi]: the finest spacing that gives at
    /// most `count` + 1 of them.
    public static func within(_ lo: Double, _ hi: Double, count: Int) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return lo.isFinite ? [lo] : [] }
        var magnitude = pow(10, floor(log10((hi - lo) / Double(max(count, 1) + 1))))
        while true {
            for m in [1.0, 2, 5] {
                let step = m * magnitude
                let first = (lo / step).rounded(.up), last = (hi / step).rounded(.down)
                if last - first + 1 <= Double(max(count, 1) + 1) {
                    // n·m / 10^k rather than n·m · 0.1…: the labels stay exact decimals.
                    let inverse = (1 / magnitude).rounded()
                    return stride(from: first, through: last, by: 1).map { n in
                        n == 0 ? 0 : magnitude < 1 ? n * m / inverse : n * step
                    }
                }
            }
            magnitude *= 10
        }
    }

    /// A y-range for a plot of `rows` rows with round ticks (1, 2 or 5 × 10ⁿ apart, at most
    /// `count` + 1 intervals) at equal row spacing: it starts on a tick at or below `lo` and ends
    /// at or above `hi`. Of the spacings that fit, the one that wastes the least of the plot wins.
    public static func evenRows(_ lo: Double, _ hi: Double, rows: Int, count: Int) -> (
        lo: Double, hi: Double, ticks: [Double]
    ) {
        let lines = rows - 1
        guard hi > lo, lo.isFinite, hi.isFinite, lines >= 1 else { return (lo, hi, within(lo, hi, count: count)) }
        var best: (waste: Double, lo: Double, hi: Double, ticks: [Double])?
        let top = Int(floor(log10(hi - lo))) + 1
        for e in (top - 3)...top {
            let magnitude = pow(10, Double(e))
            for m in [1.0, 2, 5] {
                let step = m * magnitude
                // Exact decimals: n·m / 10^k rather than n·m · 0.1…
                func value(_ n: Double) -> Double { n == 0 ? 0 : e < 0 ? n * m / pow(10, Double(-e)) : n * step }
                let first = (lo / step + 1e-9).rounded(.down)
                let intervals = Int((hi / step - 1e-9).rounded(.up) - first)
                guard intervals >= 1, intervals <= max(count, 1) + 1, intervals <= lines else { continue }
                let perInterval = lines / intervals
                let covered = Double(lines) / Double(perInterval)
                let waste = (covered - Double(intervals)) / covered + (covered * step - (hi - lo)) / (covered * step)
                guard best == nil || waste < best!.waste - 1e-12 else { continue }
                let ticks = (0...(lines / perInterval)).map { value(first + Double($0)) }
                best = (waste, value(first), value(first) + covered * step, ticks)
            }
        }
        guard let best else { return (lo, hi, within(lo, hi, count: count)) }
        return (best.lo, best.hi, best.ticks)
    }

    /// Powers of ten within [lo, hi] given as log10 values; 1-2-5 inside a single decade.
    public static func logWithin(_ lo: Double, _ hi: Double, count: Int) -> [Double] {
        let first = Int(lo.rounded(.up)), last = Int(hi.rounded(.down))
        if last - first >= 1 {
            let every = max(1, (last - first + count) / max(count, 1))
            return stride(from: first, through: last, by: every).map(Double.init)
        }
        return within(pow(10, lo), pow(10, hi), count: count).filter { $0 > 0 }.map(log10)
    }
}
