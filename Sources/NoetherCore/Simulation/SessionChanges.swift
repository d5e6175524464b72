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
    /// (the same state bit for bit), goes on unchanged as a ghost; changes act on the front.
    /// Earlier ghosts go on beside it, up to `maxGhosts`.
    public func startFork(byUser: Bool = false) throws {
        guard state.forks.count < Self.maxGhosts else {
            throw ConfigError(
                "fork", "there are \(Self.maxGhosts) ghosts already, the most a session keeps: drop one first")
        }
        guard !state.forks.contains(where: { $0.step == front.step }) else {
            throw ConfigError("fork", "the run forked at this step already: its ghost is this run as it is")
        }
        let before = state
        let replica = try Self.replay(state.preset.config, state.log.map(\.change), to: front.step) { _ in }
        state.forks.append(
            ForkPoint(step: front.step, ghostLog: state.log, number: (state.forks.last?.number ?? 0) + 1))
        ghosts.append(replica)
        // The story's own fork entry is logged when it applies; the user's is logged here.
        if byUser { log(ScheduledChange(step: front.step, fork: true), undo: before, label: "the fork") }
    }

    /// The newest ghost comes to the front (and takes the changes); the front run becomes that ghost.
    public func swapFork() throws(ConfigError) {
        guard let other = ghost, var fork = state.forks.last else { throw ConfigError("fork", "no ghost to swap with") }
        undoPoints.append(UndoPoint(state: state, step: front.step, label: "the swap"))
        (front, ghosts[ghosts.count - 1]) = (other, front)
        (state.log, fork.ghostLog) = (fork.ghostLog, state.log)
        state.forks[state.forks.count - 1] = fork
    }

    /// Drops the newest ghost (the older ones go on).
    public func dropGhost() {
        guard !state.forks.isEmpty else { return }
        undoPoints.append(UndoPoint(state: state, step: front.step, label: "dropping the ghost"))
        ghosts.removeLast()
        state.forks.removeLast()
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
        ghosts = []
        state = RunState(
            preset: preset, pending: preset.schedule, log: [], forks: [], run: state.run + 1, departs: departs)
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
