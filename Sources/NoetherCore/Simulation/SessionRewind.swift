/// A change the user can undo: the run as it was just before it, and the step it was made at.
public struct UndoPoint: Equatable, Sendable {
    public var state: Session.RunState
    public var step: Int
    /// What the change was ("the teleport"), for the message that says what was undone.
    public var label: String
}

/// Thrown by a replay's observer to stop it (the program is quitting): the session stays as it was.
public struct ReplayStopped: Error {
    public init() {}
}

/// Going back: to an earlier beat of the story, or to before the last change. Either way the
/// run is replayed from step 0 with the changes it keeps (the engine is bit-exact, so the state
/// is the one the run had), and the recording notes it as a run that resumes at that step.
extension Session {
    /// The steps of the captions the run has shown, in order: the story's beats.
    public var beats: [Int] {
        Array(Set(state.log.filter { $0.change.say != nil }.map(\.change.step))).sorted()
    }

    /// The beat before the one in force (or the first beat, when there is no earlier one).
    public var previousBeat: Int? {
        let passed = beats.filter { $0 <= front.step }
        guard let current = passed.last else { return nil }
        return passed.dropLast().last ?? current
    }

    /// Undoes the last change: the run returns to the step where it was made, as if it had not
    /// been made. Returns what was undone, or nil when there is nothing to undo.
    @discardableResult
    public func undo(observe: Observer? = nil) throws -> UndoPoint? {
        guard let point = undoPoints.popLast() else { return nil }
        let oldStep = front.step
        try restore(point.state, at: point.step, observe: observe)
        recordRewind(from: oldStep)
        return point
    }

    /// Back to `step` of this run as it was when the run first reached it: the story's entries
    /// up to it and the user's changes made before it; later ones are forgotten (the story's
    /// come again as the run reaches them).
    public func rewind(to step: Int, observe: Observer? = nil) throws {
        let oldStep = front.step
        let kept = { (e: Logged) in e.change.step < step || e.change.step == step && !e.byUser }
        var run = state
        run.log = run.log.filter(kept)
        run.pending = run.preset.schedule.filter { $0.step > step }
        // A fork made at `step` by the user is forgotten with the user's other changes there.
        run.forks = run.forks.filter { f in
            f.step < step || run.log.contains { $0.change.fork && $0.change.step == f.step }
        }.map { f in ForkPoint(step: f.step, ghostLog: f.ghostLog.filter(kept), number: f.number) }
        try restore(run, at: step, observe: observe)
        let current = state.run
        undoPoints.removeAll { $0.state.run == current && $0.step >= step }
        recordRewind(from: oldStep)
    }

    /// A rewind in the recording: a new run of the same configuration that replays the kept
    /// changes and resumes at the current step (`Recorder.rewind`).
    func recordRewind(from oldStep: Int) {
        let (preset, step, changes) = (state.preset, front.step, state.log.map(\.change))
        record { try $0.rewind(at: oldStep, to: step, preset: preset, changes: changes) }
    }
}
