import Foundation
import NoetherCore

extension SessionDriver {
    public mutating func handle(_ c: Command, now: Double) {
        self.now = now
        dirty = true
        switch c {
        case .setLive(let p):
            guard let s = session else { return }
            do {
                try s.set(p)
                if snapshot.replaying {
                    snapshot.replaying = false
                    s.dropStory()
                    say("took over from the recording")
                }
                present(s, restarted: false, narrate: false)
            } catch { say("\(error)") }
        case .reset(let config):
            guard let s = session else { return }
            var p = s.preset
            var before = p.config
            before.live = config.live
            before.seed = config.seed
            let newNetwork = before != config
            p.config = config
            if newNetwork { p.schedule = [] }
            let departs = snapshot.modified || newNetwork || config.live != s.preset.config.live
            snapshot.replaying = false
            do {
                try s.reset(to: p, label: newNetwork ? "the change of network" : "the reset", departs: departs)
                restart(s)
                if newNetwork, !s.preset.description.isEmpty {
                    snapshot.caption = "You changed the network: the story's captions no longer apply to this run."
                }
            } catch { say("\(error)") }
        case .loadPreset(let p):
            snapshot.replaying = false
            snapshot.speedLimit = fixedSpeed ?? Self.pace(forSteps: p.config.steps)
            // A preset opened from the picker or the tour runs at once.
            paused = false
            snapshot.state = .running
            if let s = session, s.isRecording {
                do {
                    try s.reset(to: p, label: "opening \(p.name)")
                    s.recordPace(snapshot.speedLimit)
                    restart(s)
                } catch { say("\(error)") }
            } else {
                let recording = snapshot.recordingPath
                open(p)
                snapshot.recordingPath = recording
            }
            if snapshot.state == .running { say("preset \(p.name)") }
        case .setPaused(let value):
            if case .diverged = snapshot.state { return }
            if !value, snapshot.state == .finished, let s = session {
                // Past the story's end the run goes on for as many steps again, and says so.
                snapshot.targetSteps = max(snapshot.targetSteps, s.step) + max(1, s.preset.config.steps)
                snapshot.beyondStory = true
                snapshot.replaying = false  // past the recording's end the run is the user's
                say("beyond the story: the run goes on to step \(snapshot.targetSteps)")
            }
            paused = value
            snapshot.state = value ? .paused : .running
            speedOrigin = (now, session?.step ?? 0)
            // A caption read while paused has had its time.
            if !value, snapshot.lecture, let shown = captionShown {
                captionShown = (shown.step, now - shown.dwell, shown.dwell)
            }
        case .stepOnce: pendingSteps += 1
        case .setSpeed(let v):
            snapshot.speedLimit = v
            speedOrigin = (now, session?.step ?? 0)
            session?.recordPace(v)
        case .toggleRecording:
            if session?.isRecording == true {
                stopRecording("recording saved")
            } else {
                startRecording(Session.freshPath("noether-session-\(Self.timestamp())"))
            }
        case .savePreset:
            guard let s = session else { return }
            do {
                let p = try s.savePreset(summary: Screen.summary(s.front.config))
                say("saved preset \(p.name) (p lists it)")
            } catch { say("cannot save the preset: \(error)") }
        case .teleport(let t): teleport(t)
        case .fork:
            guard let s = session else { return }
            guard s.forks.count < Session.maxGhosts else {
                return say("there are \(Session.maxGhosts) ghosts, the most kept: g drops the newest")
            }
            do {
                try s.startFork(byUser: true)
                present(s, restarted: false, narrate: false)
                let ghost = snapshot.ghosts.last?.name ?? "the ghost"
                say("forked at step \(s.step): changes now act on the fork; \(ghost) goes on unchanged")
            } catch { say("cannot fork: \(error)") }
        case .swapFork:
            guard let s = session else { return }
            guard !s.isRecording else {
                return say("a recording follows the front run: stop recording (o) before swapping")
            }
            guard s.ghost != nil, var g = snapshot.ghosts.last else {
                say(
                    snapshot.ghosts.isEmpty
                        ? "no ghost to swap with: F forks the run"
                        : "\(snapshot.ghosts.last!.name) has diverged: it cannot come to the front")
                return
            }
            let (front, ghost) = (s.front.live, g.live)
            do { try s.swapFork() } catch { return say("\(error)") }
            (snapshot.history, g.history) = (g.history, snapshot.history)
            snapshot.ghosts[snapshot.ghosts.count - 1] = g
            present(s, restarted: false, narrate: false)
            snapshot.observe(s.front)
            let now = snapshot.ghosts.last?.name ?? g.name
            say(
                "swapped: \(g.name)'s run (\(Screen.runParameters(ghost, beside: front))) is in front;"
                    + " the front run (\(Screen.runParameters(front, beside: ghost))) is now \(now)")
        case .dropGhost:
            guard let s = session, s.fork != nil else { return say("no ghost to drop") }
            let name =
                (snapshot.ghosts.last.map { "\($0.name) (\(Screen.runParameters($0.live, beside: s.front.live)))" })
                ?? "the ghost"
            s.dropGhost()
            present(s, restarted: false, narrate: false)
            say("\(name) dropped" + (s.forks.isEmpty ? "" : "; \(s.forks.count) left"))
        case .undo: undo()
        case .back: back()
        case .setLecture(let on):
            snapshot.lecture = on
            say(
                on
                    ? "lecture: the run holds at every caption until space"
                    : "lecture off: captions hold for their reading time")
        case .quit: break
        }
    }

    /// After a reset of the session: a new run from step 0 on the screen.
    mutating func restart(_ s: Session) {
        if snapshot.state == .finished { paused = false }
        snapshot.config = s.preset.config
        snapshot.title = s.preset.title
        snapshot.description = s.preset.description
        snapshot.targetSteps = s.preset.config.steps
        snapshot.beyondStory = false
        snapshot.notes = s.front.symmetries.notes
        snapshot.history = History()
        snapshot.ghosts = []
        snapshot.state = paused ? .paused : .running
        present(s, restarted: true)
        presentApplied(s.log.map(\.change), s)
        snapshot.observe(s.front)
        speedOrigin = (now, 0)
    }

    /// A teleport of the front run between two steps: logged, recorded, marked and undoable.
    mutating func teleport(_ t: Teleport) {
        guard let s = session else { return }
        do {
            let (before, after) = try s.teleport(t)
            present(s, restarted: false, narrate: false)
            snapshot.observe(s.front)
            let moved = abs(after - before) / max(abs(before), .leastNormalMagnitude)
            say(
                "teleported \(Self.teleportText(t)): "
                    + "loss \(NumberFormat.compact(before)) → \(NumberFormat.compact(after)) (relative change \(NumberFormat.compact(moved)))"
                    + (t.action == .flattest ? s.front.flattenedNote : ""))
        } catch { say("cannot teleport: \(error)") }
    }

    /// `u`: the run returns to the step of the last change, as if it had not been made.
    mutating func undo() {
        guard let s = session else { return }
        guard let point = s.undoPoints.last else { return say("nothing to undo") }
        guard goBack(s, to: point.step, "cannot undo", { observe in try s.undo(observe: observe) }) else { return }
        say("undid \(point.label): back at step \(point.step)")
    }

    /// `,`: back to the previous beat of the story, replayed from step 0 with every change
    /// made up to it; the run pauses there.
    mutating func back() {
        guard let s = session else { return }
        guard let beat = s.previousBeat else { return say("no caption to go back to") }
        guard goBack(s, to: beat, "cannot go back", { observe in try s.rewind(to: beat, observe: observe) }) else {
            return
        }
        paused = true
        snapshot.state = .paused
        say("back to step \(beat): space plays on from here")
    }

    /// Replays the session back to `step` with `go`, rebuilding the charts' history on the way
    /// and showing its progress in the header, then shows the story, pace and run state there.
    /// Returns false when the replay failed or was stopped (the session is as it was).
    mutating func goBack(
        _ s: Session, to step: Int, _ failure: String,
        _ go: (_ observe: @escaping Session.Observer) throws -> Void
    ) -> Bool {
        let replayed = ReplayedHistory(target: step, planned: s.preset.config.steps)
        let progress = RewindReport(snapshot, target: step, show: showProgress, stop: stopRequested)
        do {
            try go { sim, ghost in
                replayed.observe(sim, ghost: ghost)
                try progress.reached(sim.step, ghost: ghost)
            }
        } catch is ReplayStopped {
            snapshot.version = progress.version
            return false
        } catch {
            snapshot.version = progress.version
            if showProgress != nil { now = Self.clock() }
            say("\(failure): \(error)")
            return false
        }
        // The next publish must follow the progress frames, so the screen takes it.
        snapshot.version = progress.version
        // A replay the screen watched took wall time: the message and the caption's reading time
        // that follow start now, not when the key was pressed (else they would be over already).
        if showProgress != nil { now = Self.clock() }
        snapshot.history = replayed.front
        presentGhosts(s, replayed: replayed.ghosts)
        snapshot.config = s.preset.config
        snapshot.title = s.preset.title
        snapshot.description = s.preset.description
        snapshot.notes = s.front.symmetries.notes
        snapshot.targetSteps = max(s.preset.config.steps, snapshot.beyondStory ? snapshot.targetSteps : 0)
        present(s, restarted: false)
        snapshot.observe(s.front, record: false)  // the replay sampled this step
        if snapshot.state == .finished {
            paused = true
            snapshot.state = .paused
        }
        speedOrigin = (now, s.step)
        restartRate(now: now, step: s.step)
        return true
    }
}

/// A replay's progress for the header ("rewinding… step k/N"), sent at once and then at most 20 times a second
/// while the simulator thread replays, so the screen shows work going on and `q` still ends it.
final class RewindReport {
    private var frame: Snapshot
    private let show: (@Sendable (Snapshot) -> Void)?
    private let stop: (@Sendable () -> Bool)?
    /// The first step is shown at once: the key has been taken.
    private var shownAt = -Double.infinity
    private(set) var version: Int

    init(
        _ snapshot: Snapshot, target: Int, show: (@Sendable (Snapshot) -> Void)?,
        stop: (@Sendable () -> Bool)?
    ) {
        frame = snapshot
        frame.rewinding = RewindProgress(step: 0, target: target)
        version = snapshot.version
        self.show = show
        self.stop = stop
    }

    func reached(_ step: Int, ghost: Int?) throws {
        if stop?() == true { throw ReplayStopped() }
        guard let show else { return }
        let now = SessionDriver.clock()
        guard now - shownAt >= 0.05 else { return }
        shownAt = now
        frame.rewinding?.step = step
        frame.rewinding?.ghost = ghost != nil
        version += 1
        frame.version = version
        show(frame)
    }
}
