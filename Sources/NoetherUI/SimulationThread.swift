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
    private let start: Preset
    private let replay: Bool
    private let recordPath: String?
    private let version: String

    public init(preset: Preset, replay: Bool, record: String?, version: String) {
        self.version = version
        start = preset
        self.replay = replay
        recordPath = record
        shared = Mutex(Shared(snapshot: Snapshot(config: preset.config)))
    }

    public func launch() {
        let thread = Thread { [self] in
            var worker = Worker(owner: self, preset: start, replay: replay, recordPath: recordPath)
            worker.run()
            finished.signal()
        }
        thread.name = "simulator"
        thread.start()
    }

    public func send(_ command: Command) { shared.withLock { $0.commands.append(command) } }
    public func snapshot() -> Snapshot { shared.withLock { $0.snapshot } }

    /// Asks the thread to stop and waits (bounded) for it to close any recording.
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        _ = finished.wait(timeout: .now() + 2)
    }

    fileprivate var shouldStop: Bool { stopRequested.load(ordering: .relaxed) }
    fileprivate func takeCommands() -> [Command] {
        shared.withLock { s in defer { s.commands = [] }; return s.commands }
    }
    fileprivate func publish(_ snapshot: Snapshot) { shared.withLock { $0.snapshot = snapshot } }

    /// The simulator thread's own state; touched by no other thread.
    private struct Worker {
        let owner: SimulationThread
        var preset: Preset
        var sim: Simulator?
        var snapshot: Snapshot
        var schedule: ArraySlice<ScheduledChange>
        var recorder: Recorder?
        var paused = false
        var pendingSteps = 0
        var rateWindow: (time: Double, step: Int) = (0, 0)
        var speedOrigin: (time: Double, step: Int) = (0, 0)
        var messageUntil = 0.0

        init(owner: SimulationThread, preset: Preset, replay: Bool, recordPath: String?) {
            self.owner = owner
            self.preset = preset
            snapshot = Snapshot(config: preset.config)
            schedule = preset.schedule[...]
            snapshot.replaying = replay
            reset(preset)
            if let recordPath { startRecording(recordPath) }
        }

        static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

        mutating func say(_ message: String) {
            snapshot.message = message
            messageUntil = Self.now() + 4
        }

        mutating func reset(_ p: Preset) {
            preset = p
            schedule = p.schedule[...]
            snapshot.config = p.config
            snapshot.live = p.config.live
            snapshot.title = p.title
            snapshot.description = p.description
            snapshot.history = History()
            snapshot.step = 0
            do {
                let s = try Simulator(p.config)
                sim = s
                snapshot.notes = s.symmetries.notes
                snapshot.state = paused ? .paused : .running
                sample(s)
            } catch {
                sim = nil
                snapshot.state = .diverged("\(error)")
            }
            rateWindow = (Self.now(), 0)
            speedOrigin = rateWindow
            if recorder != nil { stopRecording("recording stopped: the run was reset") }
        }

        mutating func sample(_ s: Simulator) {
            let o = s.observation()
            snapshot.history.record(step: s.step, Snapshot.sample(o))
            snapshot.families = o.families
            snapshot.charges = o.charges
            snapshot.layerNames = o.layers.map(\.name)
            snapshot.step = s.step
            snapshot.live = s.live
        }

        mutating func startRecording(_ path: String) {
            guard let sim else { return }
            var p = preset
            p.config.live = sim.live
            if sim.step > 0 {
                say("recording starts at a reset: press r to restart from step 0 while recording")
                return
            }
            do {
                recorder = try Recorder(path: path, preset: p, version: owner.version)
                snapshot.recordingPath = path
                say("recording to \(path)")
            } catch { say("\(error)") }
        }

        mutating func stopRecording(_ message: String) {
            try? recorder?.stop(at: sim?.step ?? 0)
            recorder = nil
            snapshot.recordingPath = nil
            say(message)
        }

        mutating func handle(_ c: Command) {
            switch c {
            case .setLive(let p):
                guard let sim else { return }
                do {
                    try sim.set(p)
                    snapshot.live = p
                    if snapshot.replaying {
                        snapshot.replaying = false
                        schedule = []
                        say("took over from the recording")
                    }
                    let change = ScheduledChange(step: sim.step, learningRate: p.learningRate, momentum: p.momentum,
                                                 weightDecay: p.weightDecay)
                    try recorder?.record(change)
                } catch { say("\(error)") }
            case .reset(let config):
                var p = preset
                var before = preset.config
                before.live = config.live
                before.seed = config.seed
                if before != config, !p.title.hasSuffix("(modified)") {
                    // The preset's description no longer describes this run.
                    p.title += " (modified)"
                    p.description = ""
                }
                p.config = config
                p.schedule = []
                let recordingPath = recorder?.path
                snapshot.replaying = false
                reset(p)
                if let recordingPath { startRecording(recordingPath) }
            case .loadPreset(let p):
                snapshot.replaying = false
                reset(p)
                say("preset \(p.name)")
            case .setPaused(let value):
                paused = value
                if case .diverged = snapshot.state { return }
                snapshot.state = value ? .paused : .running
                speedOrigin = (Self.now(), sim?.step ?? 0)
            case .stepOnce: pendingSteps += 1
            case .setSpeed(let v):
                snapshot.speedLimit = v
                speedOrigin = (Self.now(), sim?.step ?? 0)
            case .toggleRecording:
                if recorder != nil {
                    stopRecording("recording saved")
                } else {
                    startRecording("noether-session-\(Int(Date().timeIntervalSince1970)).toml")
                }
            case .savePreset:
                var p = preset
                if let sim { p.config.live = sim.live }
                p.schedule = []
                let path = "noether-preset-\(Int(Date().timeIntervalSince1970)).toml"
                do {
                    try OutputFile.write(p.toml(), to: path)
                    say("saved \(path)")
                } catch { say("\(error)") }
            case .quit: break
            }
        }

        mutating func advance(_ sim: Simulator) -> Bool {
            for change in (try? sim.applyDue(&schedule)) ?? [] { try? recorder?.record(change) }
            do {
                try sim.advance()
                return true
            } catch {
                snapshot.state = .diverged("at step \(sim.step)")
                say("\(error)")
                sample(sim)
                return false
            }
        }

        mutating func run() {
            var lastPublish = 0.0
            var stride = 1
            while !owner.shouldStop {
                for c in owner.takeCommands() { handle(c) }
                let now = Self.now()
                if let sim, snapshot.state == .running || pendingSteps > 0 {
                    // Work in slices of about 5 ms so commands apply within a frame.
                    let sliceEnd = now + 0.005
                    var budget = Int.max
                    if snapshot.speedLimit > 0, pendingSteps == 0 {
                        let allowed = speedOrigin.step + Int((now - speedOrigin.time) * Double(snapshot.speedLimit))
                        budget = max(0, allowed - sim.step)
                    }
                    if pendingSteps > 0 { budget = pendingSteps; pendingSteps = 0 }
                    var done = 0
                    while done < budget, Self.now() < sliceEnd || done == 0 && budget > 0 {
                        guard advance(sim) else { break }
                        done += 1
                        if sim.step % stride == 0 { sample(sim) }
                    }
                    if done == 0 { usleep(2000) }
                    snapshot.step = sim.step
                    snapshot.live = sim.live
                } else {
                    usleep(5000)
                }
                if now - rateWindow.time >= 0.5 {
                    snapshot.stepsPerSecond = Double((sim?.step ?? 0) - rateWindow.step) / (now - rateWindow.time)
                    rateWindow = (now, sim?.step ?? 0)
                    // Keep history sampling near 60 per second whatever the step rate.
                    stride = max(1, Int(snapshot.stepsPerSecond / 60))
                }
                if now > messageUntil { snapshot.message = nil }
                if now - lastPublish >= 1.0 / 30 {  // one publish per UI frame
                    if let sim, sim.step != snapshot.history.lastStep { sample(sim) }
                    owner.publish(snapshot)
                    lastPublish = now
                }
            }
            if recorder != nil { stopRecording("recording saved") }
        }
    }
}
