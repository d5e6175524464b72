import NoetherCore

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
