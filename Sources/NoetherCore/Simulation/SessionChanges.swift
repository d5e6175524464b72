/// The user's changes to a session: each is applied between two steps, logged (a fork, a
/// rewind and a replay repeat it), recorded, and leaves an undo point.
extension Session {
    /// Live parameters from the next update on.
    public func set(_ live: LiveParameters) throws(ConfigError) {
        let before = state
        try front.set(live)
        let change = ScheduledChange(
            step: front.step, learningRate: live.learningRate, momentum: live.momentum,
            weightDecay: live.weightDecay)
        log(change, undo: before, label: "the change of live parameters")
    }

    /// A symmetry teleport of the front run (THEORY.md §12). Returns the loss before and after.
    @discardableResult
    public func teleport(_ t: Teleport) throws(ConfigError) -> (before: Double, after: Double) {
        let before = state
        let losses = try front.teleport(t)
        log(ScheduledChange(step: front.step, teleports: [t]), undo: before, label: "the teleport")
        return losses
    }

    /// Forks the run: a replica of the front run, built by replaying its changes to this step
    /// (the same state bit for bit), goes on unchanged as the ghost; changes act on the front.
    public func startFork(byUser: Bool = false) throws {
        guard ghost == nil else { throw ConfigError("fork", "there is a ghost already: drop it first") }
        let before = state
        let replica = try Self.replay(state.preset.config, state.log.map(\.change), to: front.step) { _ in }
        state.fork = ForkPoint(step: front.step, ghostLog: state.log)
        ghost = replica
        // The story's own fork entry is logged when it applies; the user's is logged here.
        if byUser { log(ScheduledChange(step: front.step, fork: true), undo: before, label: "the fork") }
    }

    /// The ghost comes to the front (and takes the changes); the front run becomes the ghost.
    public func swapFork() throws(ConfigError) {
        guard let other = ghost, var fork = state.fork else { throw ConfigError("fork", "no ghost to swap with") }
        undoPoints.append(UndoPoint(state: state, step: front.step, label: "the swap"))
        (front, ghost) = (other, front)
        (state.log, fork.ghostLog) = (fork.ghostLog, state.log)
        state.fork = fork
    }

    public func dropGhost() {
        guard state.fork != nil else { return }
        undoPoints.append(UndoPoint(state: state, step: front.step, label: "dropping the ghost"))
        ghost = nil
        state.fork = nil
    }

    /// A new run of `preset` from step 0 (a reset-type control or another preset); undo returns
    /// to the run it ended, at the step it ended. `departs`: its settings are not the story's.
    public func reset(to preset: Preset, label: String = "the reset", departs: Bool = false) throws {
        let oldStep = front.step
        let point = UndoPoint(state: state, step: oldStep, label: label)
        let sim = try Simulator(preset.config)
        // The reset is written first: the new run's step-0 entries belong to it.
        record { try $0.reset(at: oldStep, to: preset) }
        front = sim
        ghost = nil
        state = RunState(
            preset: preset, pending: preset.schedule, log: [], fork: nil, run: state.run + 1, departs: departs)
        undoPoints.append(point)
        _ = try applyDue()
    }

    /// The story's entries no longer come (the user took over a replayed recording).
    public func dropStory() {
        state.pending = []
        state.preset.schedule = []
    }

    /// A change to the run's pace, for the recording only (the pace is not part of the run).
    public func recordPace(_ speed: Int) {
        let step = front.step
        record { try $0.record(ScheduledChange(step: step, speed: speed)) }
    }

    func log(_ change: ScheduledChange, undo before: RunState, label: String) {
        state.log.append(Logged(change, byUser: true))
        undoPoints.append(UndoPoint(state: before, step: front.step, label: label))
        record { try $0.record(change) }
    }
}
