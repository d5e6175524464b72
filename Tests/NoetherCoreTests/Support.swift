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

/// The worst exact residual per symmetry kind over 300 steps that halve η and double λ at step
/// 100 (changing β to `momentum` when given) and raise η by 1.3 at step 200.
func worstResiduals(_ c: Config, momentum: Double? = nil) throws -> [SymmetryKind: Double] {
    var changed = c.live
    changed.learningRate *= 0.5
    changed.weightDecay *= 2
    if let momentum { changed.momentum = momentum }
    var back = c.live
    back.learningRate *= 1.3
    let obs = try trajectory(c, steps: 300, changes: [100: changed, 200: back])
    var worst: [SymmetryKind: Double] = [:]
    for o in obs { for ch in o.charges { worst[ch.symmetry] = max(worst[ch.symmetry] ?? 0, ch.residual) } }
    return worst
}

/// RMS of the per-step angle of every live (not collapsed) scale group over steps from+1…to,
/// read at every `every`-th step (a sample of the same per-step angles).
func rmsAngle(_ c: Config, from: Int, to: Int, every: Int = 1) throws -> Double {
    let sim = try Simulator(c)
    var sum = 0.0, count = 0
    for k in 1...to {
        try sim.advance()
        guard k > from, k % every == 0 else { continue }
        for ch in sim.observation().charges where ch.symmetry == .scale && !ch.collapsed {
            sum += ch.angularStep! * ch.angularStep!
            count += 1
        }
    }
    return (sum / Double(count)).squareRoot()
}
