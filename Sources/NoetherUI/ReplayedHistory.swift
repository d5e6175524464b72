import NoetherCore

/// Histories rebuilt while a session replays its way back to a step.
final class ReplayedHistory {
    var front = History()
    /// The ghosts' histories, by their index in the session's forks.
    var ghosts: [Int: History] = [:]
    let stride: Int
    let target: Int

    /// Samples at the steps the run sampled the first time (SessionDriver.sampleStride).
    init(target: Int, planned: Int) {
        self.target = target
        stride = SessionDriver.sampleStride(forSteps: planned)
    }

    func observe(_ sim: Simulator, ghost: Int?) {
        guard sim.step % stride == 0 || sim.step == target else { return }
        let sample = Snapshot.sample(sim.observation())
        if let ghost {
            ghosts[ghost, default: History()].record(step: sim.step, sample)
        } else {
            front.record(step: sim.step, sample)
        }
    }
}
