import NoetherCore

/// What the symmetry-health mark says about a run, worst news first.
public enum HealthVerdict: Equatable, Sendable {
    /// No charge is tracked (e.g. nothing to report yet).
    case none
    /// Every live group follows the exact one-step identity to machine precision.
    case exact(worst: Double)
    /// The identity does not hold, for a reason the configuration states (an optimizer without an
    /// exact recursion, normalization eps).
    case broken(reason: String, worst: Double)
    /// The run says nothing about the symmetry: diverged, most neurons lost, or loss stuck.
    case degenerate(reason: String)

    /// Residuals at or below this are rounding (THEORY.md's identities hold to ~1e-12 relative).
    public static let exactTolerance = 1e-10

    public static func of(_ s: Snapshot) -> HealthVerdict {
        if case .diverged = s.state { return .degenerate(reason: "diverged") }
        if let loss = s.history[.loss], let last = loss.last {
            let first = loss.buckets.first?.mean ?? last
            if !last.isFinite || last > 10 * max(first, 1e-12) { return .degenerate(reason: "loss diverging") }
        }
        guard !s.families.isEmpty else { return .none }
        let counted = s.families.filter { $0.symmetry.isForced }
        let total = counted.map(\.count).reduce(0, +)
        let lost = counted.map(Self.lost).reduce(0, +)
        if total > 0, 2 * lost > total { return .degenerate(reason: "dead \(lost)/\(total)") }
        if let loss = s.history[.loss], Self.stuck(loss.recentInOrder.map(\.value)) { return .degenerate(reason: "loss stuck") }
        let worst = s.families.map(\.residualMax).max() ?? 0
        if worst <= exactTolerance { return .exact(worst: worst) }
        if !s.config.optimizer.keepsAllExact(s.config.optimizerSettings) {
            return .broken(reason: s.config.optimizerName, worst: worst)
        }
        if s.config.eps > 0, s.config.norm != .none {
            return .broken(reason: s.config.norm.abbreviation + " eps > 0", worst: worst)
        }
        return .broken(reason: "residual", worst: worst)
    }

    /// Groups of a family that no longer say anything: dead plus collapsed.
    public static func lost(_ f: FamilySummary) -> Int { f.dead + f.collapsed }

    /// The same loss, to 12 digits, over the last 200 samples (a network that no longer learns).
    static func stuck(_ recent: [Double]) -> Bool {
        guard recent.count >= 200, let hi = recent.suffix(200).max(), let lo = recent.suffix(200).min() else { return false }
        return hi - lo <= 1e-12 * max(abs(hi), 1e-300)
    }

    public func mark(_ glyphs: Glyphs) -> (text: String, color: Color) {
        switch self {
        case .none: ("no charges", .gray)
        case .exact(let worst): ("\(glyphs.ok) exact \(NumberFormat.compact(worst))", .green)
        case .broken(let reason, let worst): ("\(glyphs.bad) \(reason) \(NumberFormat.compact(worst))", .orange)
        case .degenerate(let reason): ("\(glyphs.unicode ? "⚠" : "!!") \(reason)", .vermillion)
        }
    }
}
