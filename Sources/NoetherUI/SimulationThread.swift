import Foundation
import NoetherCore
import Synchronization

/// Runs the simulator on its own thread. The UI sends commands and takes a snapshot each
/// frame; both go through one mutex, so neither side ever waits for a step.
public final class SimulationThread: Sendable {
    private struct Shared {
        var commands: [Command] = []
        var snapshot: Snapshot
    }

    private let shared: Mutex<Shared>
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// Signalled by every command, so a paused simulator sleeps until there is something to do.
    private let wake = DispatchSemaphore(value: 0)
    private let start: Preset
    private let replay: Bool
    private let recordPath: String?
    private let version: String
    private let speed: Int?
    private let laterRuns: [Preset]

    /// `speed`: steps per second (0 = as fast as possible); nil paces the run so that its
    /// planned `steps` take about 30 seconds. A replay of a session with resets passes the runs
    /// after the first as `then`: each starts where the previous one reached its steps.
    public init(preset: Preset, replay: Bool, record: String?, version: String, speed: Int? = nil, then: [Preset] = []) {
        self.version = version
        start = preset
        laterRuns = then
        self.replay = replay
        recordPath = record
        self.speed = speed
        shared = Mutex(Shared(snapshot: Snapshot(config: preset.config)))
    }

    public func launch() {
        let thread = Thread { [self] in
            var worker = Worker(owner: self, preset: start, replay: replay, recordPath: recordPath, speed: speed, then: laterRuns)
            worker.run()
            finished.signal()
        }
        thread.name = "simulator"
        thread.start()
    }

    public func send(_ command: Command) {
        shared.withLock { $0.commands.append(command) }
        wake.signal()
    }
    public func snapshot() -> Snapshot { shared.withLock { $0.snapshot } }

    /// Asks the thread to stop and waits (bounded) for it to close any recording.
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        wake.signal()
        _ = finished.wait(timeout: .now() + 2)
    }

    fileprivate var shouldStop: Bool { stopRequested.load(ordering: .relaxed) }
    fileprivate func takeCommands() -> [Command] {
        shared.withLock { s in defer { s.commands = [] }; return s.commands }
    }
    fileprivate func publish(_ snapshot: Snapshot) { shared.withLock { $0.snapshot = snapshot } }
    fileprivate func sleep(_ seconds: Double) { _ = wake.wait(timeout: .now() + seconds) }

    /// The pace at which `steps` take about 30 s, in readable steps per second.
    public static func pace(forSteps steps: Int) -> Int {
        guard steps > 0 else { return 0 }
        let raw = max(1, Int((Double(steps) / 30).rounded()))
        let unit = raw >= 1000 ? 100 : raw >= 100 ? 10 : 1
        return max(1, (raw + unit / 2) / unit * unit)
    }

    /// The simulator thread's own state; touched by no other thread.
    private struct Worker {
        let owner: SimulationThread
        var preset: Preset
        var sim: Simulator?
        var snapshot: Snapshot
        var schedule: ArraySlice<ScheduledChange>
        var recorder: Recorder?
        var paused = false
        /// Once the user continues past the planned last step, the run goes on without end.
        var pastTarget = false
        var pendingSteps = 0
        var rateWindow: (time: Double, step: Int) = (0, 0)
        var speedOrigin: (time: Double, step: Int) = (0, 0)
        var messageUntil = 0.0
        /// When the data panel's decision map was last computed (at most twice a second: a forward pass of a grid).
        var decisionAt = -1.0
        /// Something changed since the last publish (the screen redraws only then).
        var dirty = true
        /// A pace asked for on the command line wins over the story's `speed` entries.
        let fixedSpeed: Int?
        /// The recorded runs still to replay, and whether the current one has just ended.
        var laterRuns: [Preset]
        var runEnded = false
        /// Every change applied to the front run since step 0, in order: a fork replays it.
        var log: [ScheduledChange] = []
        /// After a fork, the ghost run (nil again once it diverges; the view keeps its curves) and its own log.
        var ghost: Simulator?
        var ghostLog: [ScheduledChange] = []

        init(owner: SimulationThread, preset: Preset, replay: Bool, recordPath: String?, speed: Int?, then: [Preset]) {
            self.owner = owner
            laterRuns = then
            self.preset = preset
            fixedSpeed = speed
            snapshot = Snapshot(config: preset.config)
            schedule = preset.schedule[...]
            snapshot.replaying = replay
            snapshot.replayRuns = 1 + then.count
            snapshot.speedLimit = speed ?? SimulationThread.pace(forSteps: preset.config.steps)
            reset(preset)
            if let recordPath { startRecording(recordPath) }
        }

        static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

        mutating func say(_ message: String) {
            snapshot.message = message
            messageUntil = Self.now() + 4
            dirty = true
        }

        /// A fresh run of `p` from step 0: its story starts again, markers and history clear.
        mutating func reset(_ p: Preset) {
            if snapshot.state == .finished { paused = false }  // a new run from DONE runs
            preset = p
            schedule = p.schedule[...]
            snapshot.config = p.config
            snapshot.live = p.config.live
            snapshot.title = p.title
            snapshot.description = p.description
            snapshot.caption = nil
            // A new run's captions name their own families (the serial keeps counting).
            snapshot.narration.family = nil
            snapshot.narration.focus = nil
            snapshot.markers = []
            snapshot.ghost = nil
            ghost = nil
            log = []
            snapshot.targetSteps = p.config.steps
            snapshot.history = History()
            snapshot.step = 0
            pastTarget = false
            do {
                let s = try Simulator(p.config)
                sim = s
                snapshot.notes = s.symmetries.notes
                snapshot.state = paused ? .paused : .running
                applySchedule(s)
                sample(s)
            } catch {
                sim = nil
                snapshot.state = .diverged("\(error)")
            }
            rateWindow = (Self.now(), 0)
            speedOrigin = rateWindow
            dirty = true
        }

        mutating func sample(_ s: Simulator) {
            if let ghost {
                snapshot.ghost?.history.record(step: ghost.step, Snapshot.sample(ghost.observation()))
                snapshot.ghost?.live = ghost.live
            }
            let o = s.observation()
            snapshot.history.record(step: s.step, Snapshot.sample(o))
            snapshot.families = o.families
            snapshot.charges = o.charges
            snapshot.layerNames = o.layers.map(\.name)
            snapshot.step = s.step
            snapshot.live = s.live
            if Self.now() - decisionAt >= 0.5 || snapshot.decision == nil { snapshot.decision = s.decisionMap(); decisionAt = Self.now() }
        }

        /// A change to the training at this step. At step 0 a change is the starting point, not a
        /// change, and the pace is not part of the run: neither leaves a marker.
        mutating func mark(_ label: String) {
            guard let step = sim?.step, step > 0 else { return }
            snapshot.markers.append(TimeMarker(step: step, label: label))
            if snapshot.markers.count > 64 { snapshot.markers.removeFirst() }
        }

        /// "lr 0.2 β 0.9": what a change of live parameters changed.
        static func label(_ p: LiveParameters, from old: LiveParameters) -> String {
            var parts: [String] = []
            if p.learningRate != old.learningRate { parts.append("lr \(NumberFormat.tick(p.learningRate))") }
            if p.momentum != old.momentum { parts.append("β \(NumberFormat.tick(p.momentum))") }
            if p.weightDecay != old.weightDecay { parts.append("λ \(NumberFormat.tick(p.weightDecay))") }
            return parts.joined(separator: " ")
        }

        /// Writes to the recording; a failure ends the recording with a message, never silently.
        mutating func record(_ write: (Recorder) throws -> Void) {
            guard let recorder else { return }
            do { try write(recorder) } catch {
                self.recorder = nil
                snapshot.recordingPath = nil
                say("recording stopped: \(error)")
            }
        }

        /// The story's entries due at this step: live changes, captions, pauses, focus, pace.
        mutating func applySchedule(_ sim: Simulator) {
            let before = sim.live
            if schedule.first.map({ $0.fork && $0.step <= sim.step }) == true { fork(byStory: true) }
            let applied: [ScheduledChange]
            do { applied = try sim.applyDue(&schedule) } catch {
                say("\(error)")
                return
            }
            log += applied
            snapshot.config.optimizer = sim.config.optimizer
            for change in applied {
                if change.changesParameters {
                    let text = ([change.optimizer?.title ?? ""] + [Self.label(sim.live, from: before)]).filter { !$0.isEmpty }
                        .joined(separator: " ")
                    if !text.isEmpty { mark(text) }
                }
                if let say = change.say { snapshot.caption = say }
                if change.focus != nil || change.family != nil {
                    snapshot.narration.serial += 1
                    snapshot.narration.focus = change.focus
                    snapshot.narration.family = change.family
                }
                if let speed = change.speed, fixedSpeed == nil {
                    snapshot.speedLimit = speed
                    speedOrigin = (Self.now(), sim.step)
                }
                if change.pause {
                    paused = true
                    snapshot.state = .paused
                    say("paused by the story: space continues")
                }
                record { try $0.record(change) }
                dirty = true
            }
        }

        /// Starts recording: the run restarts from step 0 with its configuration as it is now, so
        /// the recording replays from the start (the story's step-0 entries included).
        mutating func startRecording(_ path: String) {
            guard let sim else { return }
            let restarted = sim.step > 0
            var p = preset
            p.config.live = sim.live
            let modified = snapshot.modified
            if modified {
                // The story was told for other settings: the recording keeps the settings, says so,
                // and leaves the story's entries out.
                p.schedule = []
                p.title = preset.title + " (modified)"
                p.description = "Recorded from \"\(preset.title)\" with changed settings: lr \(NumberFormat.compact(sim.live.learningRate)), "
                    + "momentum \(NumberFormat.compact(sim.live.momentum)), weight decay \(NumberFormat.compact(sim.live.weightDecay)); "
                    + "the story's captions are left out."
            }
            do {
                recorder = try Recorder(path: path, preset: p, version: owner.version)
            } catch {
                say("\(error)")
                return
            }
            snapshot.recordingPath = path
            let pace = snapshot.speedLimit
            record { try $0.record(ScheduledChange(step: 0, speed: pace)) }
            reset(p)
            snapshot.modified = modified
            say("recording to \(path)" + (restarted ? ": restarted from step 0" : "") + (modified ? " with your settings, without the story" : ""))
        }

        mutating func stopRecording(_ message: String) {
            let step = sim?.step ?? 0
            record { try $0.stop(at: step) }
            recorder = nil
            snapshot.recordingPath = nil
            say(message)
        }

        /// A file name in the working directory that exists nowhere yet.
        static func freshPath(_ stem: String, in folder: String = ".") -> String {
            var path = "\(folder)/\(stem).toml", n = 2
            while FileManager.default.fileExists(atPath: path) { path = "\(folder)/\(stem)-\(n).toml"; n += 1 }
            return folder == "." ? String(path.dropFirst(2)) : path
        }

        mutating func handle(_ c: Command) {
            dirty = true
            switch c {
            case .setLive(let p):
                guard let sim else { return }
                do {
                    let before = sim.live
                    try sim.set(p)
                    snapshot.live = p
                    snapshot.modified = true
                    if snapshot.replaying {
                        snapshot.replaying = false
                        schedule = []
                        say("took over from the recording")
                    }
                    let text = Self.label(p, from: before)
                    if !text.isEmpty { mark(text) }
                    let change = ScheduledChange(step: sim.step, learningRate: p.learningRate, momentum: p.momentum,
                                                 weightDecay: p.weightDecay)
                    log.append(change)
                    record { try $0.record(change) }
                } catch { say("\(error)") }
            case .reset(let config):
                var p = preset
                var before = preset.config
                before.live = config.live
                before.seed = config.seed
                let newNetwork = before != config
                p.config = config
                if newNetwork { p.schedule = [] }
                let oldStep = sim?.step ?? 0
                let modified = snapshot.modified || newNetwork || config.live != preset.config.live
                snapshot.replaying = false
                // The reset is written first: the new run's step-0 entries belong to it.
                record { try $0.reset(at: oldStep, to: p) }
                reset(p)
                snapshot.modified = modified
                if newNetwork, !preset.description.isEmpty {
                    snapshot.caption = "You changed the network: the story's captions no longer apply to this run."
                }
            case .loadPreset(let p):
                let oldStep = sim?.step ?? 0
                snapshot.replaying = false
                snapshot.modified = false
                snapshot.speedLimit = fixedSpeed ?? SimulationThread.pace(forSteps: p.config.steps)
                record { try $0.reset(at: oldStep, to: p) }
                let pace = snapshot.speedLimit
                record { try $0.record(ScheduledChange(step: 0, speed: pace)) }
                reset(p)
                say("preset \(p.name)")
            case .setPaused(let value):
                if case .diverged = snapshot.state { return }
                if !value, snapshot.state == .finished {
                    pastTarget = true
                    snapshot.replaying = false  // past the recording's end the run is the user's
                    say("past the planned \(snapshot.targetSteps) steps: the run goes on")
                }
                paused = value
                snapshot.state = value ? .paused : .running
                speedOrigin = (Self.now(), sim?.step ?? 0)
            case .stepOnce: pendingSteps += 1
            case .setSpeed(let v):
                snapshot.speedLimit = v
                speedOrigin = (Self.now(), sim?.step ?? 0)
                let step = sim?.step ?? 0
                record { try $0.record(ScheduledChange(step: step, speed: v)) }
            case .toggleRecording:
                if recorder != nil {
                    stopRecording("recording saved")
                } else {
                    let stamp = Self.timestamp()
                    startRecording(Self.freshPath("noether-session-\(stamp)"))
                }
            case .savePreset: savePreset()
            case .teleport(let t): teleport(t)
            case .fork: fork()
            case .swapFork:
                guard recorder == nil else { return say("a recording follows the front run: stop recording (o) before swapping") }
                guard let front = sim, let other = ghost, var g = snapshot.ghost else {
                    say(snapshot.ghost == nil ? "no ghost to swap with: F forks the run" : "the ghost has diverged: it cannot come to the front")
                    return
                }
                (sim, ghost) = (other, front)
                (log, ghostLog) = (ghostLog, log)
                (snapshot.history, g.history) = (g.history, snapshot.history)
                (snapshot.markers, g.markers) = (g.markers, snapshot.markers)
                g.live = front.live
                snapshot.ghost = g
                snapshot.live = other.live
                sample(other)
                say("swapped: the other run is in front and takes the controls")
            case .dropGhost:
                guard snapshot.ghost != nil else { return say("no ghost to drop") }
                ghost = nil
                snapshot.ghost = nil
                say("ghost dropped")
            case .quit: break
            }
        }

        /// A teleport of the front run between two steps: recorded (a replay repeats it), marked,
        /// and replayed by a later fork like any change.
        mutating func teleport(_ t: Teleport) {
            guard let sim else { return }
            do {
                let (before, after) = try sim.teleport(t)
                let change = ScheduledChange(step: sim.step, teleports: [t])
                log.append(change)
                record { try $0.record(change) }
                let what = t.family + " " + (t.factor.map { f in t.action == .shift ? "+\(NumberFormat.tick(f))" : "×\(NumberFormat.tick(f))" }
                    .map { t.action == .steepest ? "steepest \($0)" : $0 } ?? (t.action?.rawValue ?? ""))
                mark("T " + what)
                snapshot.modified = true
                sample(sim)
                let moved = abs(after - before) / max(abs(before), .leastNormalMagnitude)
                say("teleported \(what): loss \(NumberFormat.compact(before)) → \(NumberFormat.compact(after)) (relative change \(NumberFormat.compact(moved)))")
            } catch { say("cannot teleport: \(error)") }
        }

        /// Forks the run: a second simulator replays this run's configuration and changes to the
        /// current step (runs are deterministic, so it is the same state bit for bit) and goes on
        /// unchanged as the ghost, while controls act on the front run.
        /// `byStory`: the schedule's own fork entry, which the schedule records and logs itself.
        mutating func fork(byStory: Bool = false) {
            guard let sim, ghost == nil else { return say("there is a ghost already: g drops it") }
            do {
                let replica = try Simulator.replica(of: preset.config, changes: log, to: sim.step)
                // Recorded as a change, so a replay forks at the same step.
                if !byStory {
                    let change = ScheduledChange(step: sim.step, fork: true)
                    log.append(change)
                    record { try $0.record(change) }
                }
                ghost = replica
                ghostLog = log
                mark("fork")
                snapshot.ghost = Ghost(history: snapshot.history, live: replica.live, forkStep: sim.step, markers: snapshot.markers)
                snapshot.modified = snapshot.modified || !byStory  // a story's own fork is part of the story
                say("forked at step \(sim.step): changes now act on the fork; the ghost goes on unchanged")
            } catch { say("cannot fork: \(error)") }
        }

        static func timestamp() -> String {
            let f = DateFormatter()
            f.dateFormat = "yyyyMMdd-HHmmss"
            f.locale = Locale(identifier: "en_US_POSIX")
            return f.string(from: Date())
        }

        /// Saves the configuration, as it is now, into the user presets folder (listed in the picker).
        mutating func savePreset() {
            var p = preset
            if let sim {
                p.config.live = sim.live
                p.config.optimizer = sim.config.optimizer  // a story may have switched it
            }
            p.schedule = []
            let c = p.config
            let norm = c.norm == .none ? "" : (c.norm == .batch ? "bn-" : "ln-")
            let stem = "\(norm)\(c.arch.rawValue)-\(c.depth)x\(c.width)-lr\(NumberFormat.tick(c.lr))"
            let folder = PresetLibrary.userPresetsFolder
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let path = Self.freshPath(stem, in: folder)
                p.name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                p.title = Screen.summary(c) + ", lr \(NumberFormat.tick(c.lr)), β \(NumberFormat.tick(c.momentum)), λ \(NumberFormat.tick(c.weightDecay))"
                p.description = "Saved from the explorer at step \(sim?.step ?? 0) of \"\(preset.title)\": a \(Screen.summary(c)) network, "
                    + "learning rate \(c.lr), momentum \(c.momentum), weight decay \(c.weightDecay), seed \(c.seed), \(c.steps) steps."
                try OutputFile.write(p.toml(), to: path)
                say("saved preset \(p.name) (p lists it)")
            } catch { say("cannot save the preset: \(error)") }
        }

        mutating func advance(_ sim: Simulator) -> Bool {
            do {
                try sim.advance()
            } catch {
                snapshot.state = .diverged("at step \(sim.step)")
                say("\(error)")
                sample(sim)
                return false
            }
            if let ghost {
                // Lock step: the ghost makes the same update count, with the parameters it kept.
                do { try ghost.advance() } catch {
                    self.ghost = nil
                    snapshot.ghost?.diverged = true
                    say("the ghost diverged at step \(ghost.step)")
                }
            }
            applySchedule(sim)
            if !pastTarget, snapshot.targetSteps > 0, sim.step >= snapshot.targetSteps {
                if snapshot.replaying, !laterRuns.isEmpty {
                    runEnded = true  // the run loop starts the next run once this one's slice is over
                    return false
                }
                paused = true
                snapshot.state = .finished  // the header says "DONE space continues"
            }
            return true
        }

        var stepping: Bool { snapshot.state == .running || pendingSteps > 0 }

        mutating func run() {
            var lastPublish = 0.0
            var stride = 1
            while !owner.shouldStop {
                for c in owner.takeCommands() { handle(c) }
                let now = Self.now()
                if let sim, stepping {
                    // Work in slices of about 5 ms so commands apply within a frame.
                    let sliceEnd = now + 0.005
                    var budget = Int.max
                    if snapshot.speedLimit > 0, pendingSteps == 0 {
                        let allowed = speedOrigin.step + Int((now - speedOrigin.time) * Double(snapshot.speedLimit))
                        budget = max(0, allowed - sim.step)
                    }
                    if pendingSteps > 0 { budget = pendingSteps; pendingSteps = 0 }
                    if !pastTarget, snapshot.targetSteps > sim.step { budget = min(budget, snapshot.targetSteps - sim.step) }
                    var done = 0
                    while done < budget, Self.now() < sliceEnd || done == 0 && budget > 0 {
                        guard advance(sim) else { break }
                        done += 1
                        if sim.step % stride == 0 { sample(sim) }
                        if snapshot.state != .running { break }
                    }
                    if done > 0 {
                        dirty = true
                        let step = sim.step
                        record { try $0.progress(at: step) }
                    } else {
                        owner.sleep(0.002)
                    }
                    snapshot.step = sim.step
                    snapshot.live = sim.live
                } else {
                    // Paused, finished or diverged: sleep until a command arrives (or a message expires).
                    owner.sleep(snapshot.message == nil ? 1 : 0.25)
                }
                if runEnded {
                    runEnded = false
                    snapshot.replayRun += 1
                    reset(laterRuns.removeFirst())
                    say("the recording reset here: run \(snapshot.replayRun + 1) of \(snapshot.replayRuns)")
                }
                if now - rateWindow.time >= 0.5 {
                    let rate = Double((sim?.step ?? 0) - rateWindow.step) / (now - rateWindow.time)
                    if rate != snapshot.stepsPerSecond { dirty = true }
                    snapshot.stepsPerSecond = rate
                    rateWindow = (now, sim?.step ?? 0)
                    // Keep history sampling near 60 per second whatever the step rate.
                    stride = max(1, Int(snapshot.stepsPerSecond / 60))
                }
                if snapshot.message != nil, now > messageUntil { snapshot.message = nil; dirty = true }
                if dirty, now - lastPublish >= 1.0 / 30 {  // at most one publish per UI frame
                    if let sim, sim.step != snapshot.history.lastStep { sample(sim) }
                    snapshot.version += 1
                    owner.publish(snapshot)
                    lastPublish = now
                    dirty = false
                }
            }
            if recorder != nil { stopRecording("recording saved") }
        }
    }
}
