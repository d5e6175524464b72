import Foundation

/// One axis of a figure: the data range mapped onto pixels, linearly or by log10, with ticks at
/// round values (1, 2, 5 × 10ⁿ) that never crowd.
struct AxisScale {
    var low: Double
    var high: Double
    var log: Bool
    /// Pixel positions of `low` and `high`.
    var from: Double
    var to: Double

    /// A scale over `values`, padded by 5 % so markers do not sit on the frame.
    init(_ values: [Double], log: Bool, from: Double, to: Double, including: [Double] = []) {
        let v = (values + including).filter { $0.isFinite && (!log || $0 > 0) }
        var lo = v.min() ?? 0, hi = v.max() ?? 1
        if log {
            (lo, hi) = (Foundation.log10(lo), Foundation.log10(hi))
        }
        if hi - lo < 1e-12 * max(abs(lo), abs(hi), 1e-300) {
            let pad = log ? 0.15 : max(abs(lo) * 0.05, 1e-12)
            (lo, hi) = (lo - pad, hi + pad)
        } else {
            let pad = (hi - lo) * 0.06
            (lo, hi) = (lo - pad, hi + pad)
        }
        self.low = lo
        self.high = hi
        self.log = log
        self.from = from
        self.to = to
    }

    func pixel(_ x: Double) -> Double {
        let u = log ? Foundation.log10(x) : x
        return from + (u - low) / (high - low) * (to - from)
    }

    func contains(_ x: Double) -> Bool {
        guard x.isFinite, !log || x > 0 else { return false }
        let u = log ? Foundation.log10(x) : x
        return u >= low - 1e-12 && u <= high + 1e-12
    }

    /// Tick values inside the range: at most about `maxTicks`.
    func ticks(maxTicks: Int = 6) -> [Double] {
        if log {
            let decades = Int(floor(low))...Int(ceil(high))
            for mantissas in [[1.0], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
                let t = decades.flatMap { d in mantissas.map { $0 * pow(10, Double(d)) } }.filter(contains)
                if t.count >= 3 || mantissas.count == 9 { return t.count > maxTicks * 2 ? t.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) : t }
            }
            return []
        }
        let span = high - low
        let raw = span / Double(maxTicks)
        let magnitude = pow(10, floor(Foundation.log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { span / $0 <= Double(maxTicks) } ?? 10 * magnitude
        let first = ceil(low / step) * step
        return stride(from: first, through: high + step * 1e-9, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
    }

    /// A tick label: as few digits as tell the ticks apart.
    static func label(_ x: Double, ticks: [Double]) -> String {
        // Each label must read back as its tick (1.5 is never printed "2").
        for digits in 1...6 {
            let exact = ticks.allSatisfy { t in
                Double(format(t, digits)).map { abs($0 - t) <= 1e-9 * max(abs(t), 1e-300) } ?? false
            }
            if exact { return format(x, digits) }
        }
        return format(x, 6)
    }

    static func format(_ x: Double, _ digits: Int) -> String {
        if x == 0 { return "0" }
        let m = Foundation.log10(abs(x))
        if m < -3 || m >= 5 { return String(format: "%.\(max(0, digits - 1))e", x).replacingOccurrences(of: "e-0", with: "e-") }
        let s = String(format: "%.\(digits)g", x)
        return s.contains("e") ? String(format: "%.\(max(0, digits - 1 - Int(floor(m))))f", x) : s
    }
}
