import Foundation
import NoetherCore
import Synchronization

/// Runs a SessionDriver on its own thread: commands go in and snapshots come out through one
/// mutex, so neither side ever waits for a step. Everything else is the driver's.
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
    private let start: @Sendable () -> SessionDriver

    /// `speed`: steps per second (0 = as fast as possible); nil paces the run so that its
    /// planned `steps` take about 30 seconds. A replay of a session with resets passes the runs
    /// after the first as `then`: each starts where the previous one reached its steps (and
    /// resumes at its `from` step, for a recorded back-step or undo).
    public init(
        preset: Preset, replay: Bool, record: String?, version: String, speed: Int? = nil,
        then: [Preset] = [], from: [Int] = [], lecture: Bool = false
    ) {
        shared = Mutex(Shared(snapshot: Snapshot(config: preset.config)))
        let later = then.enumerated().map { SessionDriver.ReplayRun($1, from: $0 + 1 < from.count ? from[$0 + 1] : 0) }
        start = {
            SessionDriver(
                preset: preset, replay: replay, record: record, version: version, speed: speed, then: later,
                from: from.first ?? 0, lecture: lecture, now: SessionDriver.clock())
        }
    }

    public func launch() {
        let thread = Thread { [self] in
            run(start())
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

    /// The pace at which `steps` take about 30 s, in readable steps per second.
    public static func pace(forSteps steps: Int) -> Int { SessionDriver.pace(forSteps: steps) }

    private func run(_ initial: SessionDriver) {
        var driver = initial
        // A replay back to an earlier step (`,`, `u`) takes seconds: its progress goes to the
        // screen as it runs, and a quit stops it.
        driver.showProgress = { [self] frame in shared.withLock { $0.snapshot = frame } }
        driver.stopRequested = { [self] in stopRequested.load(ordering: .relaxed) }
        var lastPublish = 0.0
        while !stopRequested.load(ordering: .relaxed) {
            let commands = shared.withLock { s in
                defer { s.commands = [] }
                return s.commands
            }
            for c in commands { driver.handle(c, now: SessionDriver.clock()) }
            let now = SessionDriver.clock()
            let stepping = driver.stepping
            var idle = false
            if stepping {
                // Work in slices of about 5 ms so commands apply within a frame.
                idle = driver.step(now: now, sliceEnd: now + 0.005, clock: SessionDriver.clock) == 0
            }
            driver.tidy(now: now)
            // At most one snapshot per UI frame while running; a stopped run's at once (a pause
            // shows the step it stopped at before the thread sleeps).
            if !stepping || now - lastPublish >= 1.0 / 30, let snapshot = driver.publish(now: SessionDriver.clock()) {
                shared.withLock { $0.snapshot = snapshot }
                lastPublish = now
            }
            if !stepping {
                // Paused, finished or diverged: sleep until a command arrives (or a message expires).
                _ = wake.wait(timeout: .now() + (driver.snapshot.message == nil ? 1 : 0.25))
            } else if idle {
                _ = wake.wait(timeout: .now() + 0.002)
            }
        }
        driver.finish()
    }
}
