/// One training session: the front run, the ghosts its forks left, the story's pending `[[at]]`
/// changes, every change applied so far (a fork, a rewind and an undo replay them), the undo
/// points and the recorder. The explorer's thread, `noether run`, `replay`, sweep workers and
/// tests all drive it the same way; it knows nothing of threads, clocks or screens.
///
/// Runs are deterministic, so any earlier state is a replay away: going back to a step builds a
/// new simulator from the run's configuration and replays the logged changes to that step, the
/// same state bit for bit.
public final class Session {
    /// A change in the log, and whether the user made it (the story's own entries are no departure).
    public struct Logged: Equatable, Sendable {
        public var change: ScheduledChange
        public var byUser: Bool
        public init(_ change: ScheduledChange, byUser: Bool) {
            self.change = change
            self.byUser = byUser
        }
    }

    /// Where a run forked and what the ghost it left has been through (its changes stop at the
    /// fork, or at a swap, when it was the front run).
    public struct ForkPoint: Equatable, Sendable {
        public var step: Int
        public var ghostLog: [Logged]
        public var diverged = false
        /// Counts the session's forks from 1 as they are made: "ghost 2" stays that ghost's name
        /// while others come and go (unless the run has a `name`).
        public var number = 1
    }

    /// How many ghosts a session keeps at once: each is a whole second run, stepped in lock step
    /// and drawn on every chart, and four runs are as many as a chart keeps legible.
    public static let maxGhosts = 3

    /// Everything that decides a run, apart from its step: a value, so an undo point keeps one.
    public struct RunState: Equatable, Sendable {
        /// The run's starting point (configuration at step 0) and its story.
        public var preset: Preset
        /// The story entries still to come.
        public var pending: [ScheduledChange]
        public var log: [Logged]
        /// The forks in the order they were made; the newest is the one swap and drop act on.
        public var forks: [ForkPoint]
        /// Counts the session's runs (each reset starts one), so undo points know their run.
        public var run = 0
        /// The run's own settings differ from the story's (a reset with other settings): its
        /// captions describe another run, whatever its log holds.
        public var departs = false
    }

    /// What one step did: the story entries applied at the new step, a fork the story asked
    /// for, and the ghosts that diverged (their index in `forks`, and why).
    public struct Advance {
        public var applied: [ScheduledChange] = []
        public var forkedByStory = false
        /// The story's fork at this step was not made: the user's forks already hold every ghost
        /// the session keeps (or forked here). Its other changes act on the front run.
        public var storyForkSkipped = false
        public var ghostsDiverged: [(ghost: Int, error: Error)] = []
    }

    public internal(set) var state: RunState
    public internal(set) var front: Simulator
    /// One per fork, in the order of `state.forks`: nil where that ghost diverged.
    public internal(set) var ghosts: [Simulator?] = []
    /// The recorder hook: every change, reset, rewind and progress note goes through it.
    /// A write failure ends the recording and is kept here for the driver to report.
    public var recorder: Recorder?
    public private(set) var recordingFailure: String?
    public internal(set) var undoPoints: [UndoPoint] = []

    public var preset: Preset { state.preset }
    public var step: Int { front.step }
    public var log: [Logged] { state.log }
    /// The newest fork and its ghost (swap and drop act on them).
    public var fork: ForkPoint? { state.forks.last }
    public var ghost: Simulator? { ghosts.last ?? nil }
    public var forks: [ForkPoint] { state.forks }

    /// What the front run is called (its log's last `name`), if it is named.
    public var frontName: String? { Self.name(in: state.log) }

    /// What ghost `i` is called: its own log's last `name`, else "ghost" (the first fork's) or
    /// "ghost N" (the Nth fork's), a name that stays with it while others come and go.
    public func ghostName(_ i: Int) -> String {
        let number = state.forks[i].number
        return runName(ofGhost: i) ?? (number == 1 ? "ghost" : "ghost \(number)")
    }

    /// The story's name for ghost `i` (its log's last `name`), if it has one.
    public func runName(ofGhost i: Int) -> String? { Self.name(in: state.forks[i].ghostLog) }

    static func name(in log: [Logged]) -> String? { log.last { $0.change.runName != nil }?.change.runName }
    /// True when a change of the user's is in force: the story's captions describe another run.
    public var departed: Bool { state.departs || state.log.contains(where: \.byUser) }

    /// A run of `preset` from step 0, its step-0 story entries applied; `to` replays silently
    /// to that step (a recorded back-step or undo resumes there).
    public init(
        _ preset: Preset, to step: Int = 0, recorder: Recorder? = nil,
        observe: Observer? = nil
    ) throws {
        self.recorder = recorder
        state = RunState(preset: preset, pending: preset.schedule, log: [], forks: [])
        front = try Simulator(preset.config)
        if step > 0 {
            try restore(Self.story(preset.schedule, to: step, of: preset), at: step, observe: observe)
        } else {
            _ = try applyDue()
        }
    }

    /// Sees each simulator of a replay at every step: the front run (`ghost` nil) or the ghost
    /// of fork `ghost`.
    public typealias Observer = (Simulator, _ ghost: Int?) throws -> Void

    /// The state a story reaches at `step` when nothing else happens: its entries up to there.
    static func story(_ schedule: [ScheduledChange], to step: Int, of preset: Preset) -> RunState {
        let before = schedule.filter { $0.step <= step }.map { Logged($0, byUser: false) }
        // A story's fork comes before the other entries of its step, so the ghost has none of them
        // but those meant for both runs.
        let forks = before.filter(\.change.fork).enumerated().map { i, fork in
            let f = fork.change.step
            return ForkPoint(step: f, ghostLog: before.filter { $0.change.step < f || $0.change.both }, number: i + 1)
        }
        return RunState(preset: preset, pending: schedule.filter { $0.step > step }, log: before, forks: forks)
    }

    /// Applies the story entries due at the current step (a fork entry first forks the run).
    func applyDue() throws -> Advance {
        var result = Advance()
        let due = state.pending.prefix { $0.step <= front.step }
        if due.contains(where: \.fork) {
            if state.forks.count < Self.maxGhosts, !state.forks.contains(where: { $0.step == front.step }) {
                try startFork()
                result.forkedByStory = true
            } else {
                // Logged and recorded without the fork, so a replay builds the runs this one has.
                for i in due.indices where state.pending[i].fork { state.pending[i].fork = false }
                result.storyForkSkipped = true
            }
        }
        var pending = state.pending[...]
        defer { state.pending = Array(pending) }
        result.applied = try front.applyDue(&pending)
        for change in result.applied {
            state.log.append(Logged(change, byUser: false))
            record { try $0.record(change) }
            // A change for both runs acts on the ghosts too, and their replays must repeat it.
            guard change.both else { continue }
            for (i, ghost) in ghosts.enumerated() {
                var one = [change][...]
                try ghost?.applyDue(&one)
                state.forks[i].ghostLog.append(Logged(change, byUser: false))
            }
        }
        return result
    }

    /// One update of the front run (and of the ghosts, in lock step), then the story's entries
    /// due at the new step. A divergence of the front run throws; a ghost's is reported.
    @discardableResult
    public func advance() throws -> Advance {
        try front.advance()
        var diverged: [(ghost: Int, error: Error)] = []
        for (i, ghost) in ghosts.enumerated() {
            do { try ghost?.advance() } catch {
                diverged.append((i, error))
                ghosts[i] = nil
                state.forks[i].diverged = true
            }
        }
        var result = try applyDue()
        result.ghostsDiverged = diverged
        return result
    }

    /// Builds the front run (and the ghosts) of `run` at `step` by replaying its logged changes.
    /// `observe` sees every simulator at each step of the replay (for charts that must show
    /// the run's history as it was).
    func restore(_ run: RunState, at step: Int, observe: Observer? = nil) throws {
        let newFront = try Self.replay(run.preset.config, run.log.map(\.change), to: step) { try observe?($0, nil) }
        var newGhosts: [Simulator?] = []
        var run = run
        run.forks.removeAll { $0.step > step }
        for (i, f) in run.forks.enumerated() {
            do {
                // Until the fork the ghost is the front run, so it is observed from step 0.
                newGhosts.append(
                    try Self.replay(run.preset.config, f.ghostLog.map(\.change), to: step) { try observe?($0, i) })
                run.forks[i].diverged = false
            } catch let stop as ReplayStopped {
                throw stop
            } catch {
                newGhosts.append(nil)
                run.forks[i].diverged = true  // it diverged before this step the first time too
            }
        }
        state = run
        front = newFront
        ghosts = newGhosts
    }

    /// A simulator of `config` with `changes` applied at their steps, advanced to `step`.
    static func replay(
        _ config: Config, _ changes: [ScheduledChange], to step: Int,
        observe: (Simulator) throws -> Void
    ) throws -> Simulator {
        let sim = try Simulator(config)
        var pending = changes[...]
        try sim.applyDue(&pending)
        try observe(sim)
        while sim.step < step {
            try sim.advance()
            try sim.applyDue(&pending)
            try observe(sim)
        }
        return sim
    }

    /// Writes to the recording; a failure ends the recording and is kept, never silent.
    func record(_ write: (Recorder) throws -> Void) {
        guard let recorder else { return }
        do { try write(recorder) } catch {
            self.recorder = nil
            recordingFailure = "recording stopped: \(error)"
        }
    }

    /// The last recording failure, once (the driver says it).
    public func takeRecordingFailure() -> String? {
        defer { recordingFailure = nil }
        return recordingFailure
    }

    /// Notes how far the run got (at most every two seconds), so a recording cut short says.
    public func noteProgress() {
        let step = front.step
        record { try $0.progress(at: step) }
    }
}
