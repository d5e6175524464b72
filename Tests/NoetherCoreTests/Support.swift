@testable import NoetherCore

/// A configuration built from the default with a few fields changed.
func config(_ change: (inout Config) -> Void) -> Config {
    var c = Config()
    change(&c)
    return c
}

/// Observations of steps 0…steps (every step), optionally changing live parameters on the way.
func trajectory(_ c: Config, steps: Int, changes: [Int: LiveParameters] = [:]) throws -> [Observation] {
    let sim = try Simulator(c)
    var out = [sim.observation()]
    for k in 0..<steps {
        if let p = changes[k] { try sim.set(p) }
        try sim.advance()
        out.append(sim.observation())
    }
    return out
}

func relative(_ a: Double, _ b: Double, scale: Double? = nil) -> Double {
    let s = scale ?? max(abs(a), abs(b))
    return s == 0 ? 0 : abs(a - b) / s
}

/// θ moved by the group's one-parameter action with parameter α (THEORY.md §2).
func acted(_ theta: [Double], _ g: SymmetryGroup, _ alpha: Double) -> [Double] {
    var t = theta
    for s in g.segments {
        for i in 0..<s.count {
            let idx = s.offset + i * s.stride
            switch g.kind {
            case .translation: t[idx] += alpha
            case .scale: t[idx] *= _exp(alpha)
            case .rescale: t[idx] *= _exp(s.sign > 0 ? -alpha : alpha)
            case .balance: break
            }
        }
    }
    return t
}
