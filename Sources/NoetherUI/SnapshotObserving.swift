import NoetherCore

/// The one place where a run's state becomes what the screen shows: the explorer's driver and
/// every frame test sample runs through here.
extension Snapshot {
    /// Adds the run's current step to the history (unless `record` is false: it is there
    /// already) and takes its latest families, charges, layer names, step and live parameters.
    public mutating func observe(_ sim: Simulator, record: Bool = true) {
        let o = sim.observation()
        if record { history.record(step: sim.step, Self.sample(o, sharpness: sim.sharpness?.top)) }
        families = o.families
        charges = o.charges
        layerNames = o.layers.map(\.name)
        step = sim.step
        live = sim.live
    }

    /// Adds ghost `i`'s current step to its history.
    public mutating func observeGhost(_ i: Int, _ ghost: Simulator) {
        guard ghosts.indices.contains(i) else { return }
        ghosts[i].history.record(step: ghost.step, Self.sample(ghost.observation()))
        ghosts[i].live = ghost.live
    }

    /// A run of `config` observed after each of its first `steps` updates, with its notes.
    public static func observing(_ config: Config, steps: Int) throws -> Snapshot {
        let sim = try Simulator(config)
        var s = Snapshot(config: config)
        for _ in 0..<steps {
            try sim.advance()
            s.observe(sim)
        }
        s.notes = sim.symmetries.notes
        return s
    }
}
