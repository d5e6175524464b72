import Foundation

/// What an error bar stands for: the standard deviation over repeats, the standard error of
/// their mean (default), or a 95 % confidence interval of the mean (Student's t).
public enum ErrorKind: String, CaseIterable, Sendable {
    case std, sem, ci95

    /// "± s.e.m.": how a caption names it.
    public var caption: String {
        switch self {
        case .std: "± 1 standard deviation over seeds"
        case .sem: "± 1 standard error of the mean over seeds"
        case .ci95: "95 % confidence interval of the mean (Student's t)"
        }
    }
}

/// The mean of repeated measurements and their spread. With one value the spread is nil.
public struct Spread: Sendable, Equatable {
    public var n: Int
    public var mean: Double
    /// Sample standard deviation (n − 1 in the denominator); nil for n < 2.
    public var std: Double?

    public init?(_ values: [Double]) {
        let v = values.filter(\.isFinite)
        guard !v.isEmpty else { return nil }
        n = v.count
        mean = v.reduce(0, +) / Double(n)
        let m = mean
        std = n > 1 ? (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)).squareRoot() : nil
    }

    /// The half-width of the error bar of `kind`.
    public func error(_ kind: ErrorKind) -> Double? {
        guard let std else { return nil }
        switch kind {
        case .std: return std
        case .sem: return std / Double(n).squareRoot()
        case .ci95: return Self.t975(n - 1) * std / Double(n).squareRoot()
        }
    }

    /// Student's t 97.5 % quantiles for 1…30 degrees of freedom, then the normal 1.96.
    public static let tTable: [Double] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]

    static func t975(_ dof: Int) -> Double { dof >= 1 && dof <= tTable.count ? tTable[dof - 1] : 1.96 }

    /// "0.1028 ± 0.0016": the spread to two significant digits, the mean to the same decimal
    /// place (four significant digits without a spread).
    public func formatted(_ kind: ErrorKind) -> String { Self.formatted(mean: mean, error: error(kind)) }

    /// A mean and the half-width of its error bar as `formatted` writes them.
    public static func formatted(mean: Double, error: Double?) -> String {
        guard let e = error, e > 0, e.isFinite else { return Self.significant(mean, 4) }
        let place = Int(floor(log10(e))) - 1
        if abs(mean) >= 1e5 || abs(mean) < 1e-4 && mean != 0 || place > 4 {
            return String(format: "%.*e ± %.1e", max(0, Int(floor(log10(abs(mean == 0 ? e : mean)))) - place), mean, e)
        }
        let decimals = max(0, -place)
        return String(format: "%.\(decimals)f ± %.\(decimals)f", mean, e)
    }

    /// x to `digits` significant digits, without exponent in the everyday range.
    public static func significant(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite, x != 0 else { return x == 0 ? "0" : "\(x)" }
        let magnitude = Int(floor(log10(abs(x))))
        if magnitude < -4 || magnitude >= 6 { return String(format: "%.\(digits - 1)e", x) }
        return String(format: "%.\(max(0, digits - 1 - magnitude))f", x)
    }
}
