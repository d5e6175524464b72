import Dispatch
import Foundation
import NoetherCore

/// The explorer's side of a session: commands in, a snapshot out, steps paced by wall time
/// (the preset's pace, and a fresh caption's reading time). It has no thread and no clock of
/// its own: SimulationThread calls it in a loop with the time, tests call it directly.
public struct SessionDriver {
    /// One run of a replayed recording: its preset (steps = where it ends) and the step it resumes at.
    public struct ReplayRun: Sendable {
        public var preset: Preset
        public var from: Int
        public init(_ preset: Preset, from: Int = 0) {
            self.preset = preset
            self.from = from
        }
    }

    public internal(set) var session: Session?
    public internal(set) var snapshot: Snapshot
    /// Something changed since the last publish (the screen redraws only then).
    public internal(set) var dirty = true
    let version: String
    var paused = false
    var pendingSteps = 0
    /// The measured rate's window, from a step to a later step (nil: it starts at the next step).
    var rateWindow: (time: Double, step: Int)?
    /// When the driver last saw the step count change, and to what.
    var lastStepSeen: (time: Double, step: Int) = (0, 0)
    var speedOrigin: (time: Double, step: Int) = (0, 0)
    var messageUntil = 0.0
    /// A pace asked for on the command line wins over the story's `speed` entries.
    let fixedSpeed: Int?
    /// The recorded runs still to replay, and whether the current one has just ended.
    var laterRuns: [ReplayRun]
    var runEnded = false
    /// The caption in force: its step, when it was shown (wall seconds) and how long it stays.
    /// `time` is when it reached the screen (its first publish), else when the story applied it.
    var captionShown: (step: Int, time: Double, dwell: Double)?
    /// Whether the caption in force has been published yet.
    var captionPublished = false
    /// Counts the captions the story has shown.
    var captionsShown = 0
    /// Where the screen sees a long replay's progress (`,`, `u`), and whether to stop it (the
    /// program is quitting). SimulationThread sets both; without them a replay runs silently.
    public var showProgress: (@Sendable (Snapshot) -> Void)?
    public var stopRequested: (@Sendable () -> Bool)?
    /// History sampling stride: a fixed one for the run, so that going back rebuilds the very
    /// charts the run drew the first time.
    var stride: Int { Self.sampleStride(forSteps: session?.preset.config.steps ?? 0) }
    /// When the data panel's decision map was last computed (at most twice a second: a forward pass of a grid).
    var decisionAt = -1.0

    /// About 2000 samples over the planned steps (every step for runs up to 4000 steps).
    public static func sampleStride(forSteps steps: Int) -> Int { max(1, steps / 2000) }
    var now: Double

    /// `speed`: steps per second (0 = as fast as possible); nil paces each preset so that its
    /// steps take about 30 seconds. `lecture`: hold at every caption until space.
    public init(
        preset: Preset, replay: Bool = false, record: String? = nil, version: String, speed: Int? = nil,
        then: [ReplayRun] = [], from: Int = 0, lecture: Bool = false, now: Double
    ) {
        self.version = version
        self.now = now
        laterRuns = then
        fixedSpeed = speed
        snapshot = Snapshot(config: preset.config)
        snapshot.replaying = replay
        snapshot.replayRuns = 1 + then.count
        snapshot.lecture = lecture
        snapshot.speedLimit = speed ?? Self.pace(forSteps: preset.config.steps)
        open(preset, from: from)
        if let record { startRecording(record) }
    }

    /// The pace at which `steps` take about 30 s, in readable steps per second.
    public static func pace(forSteps steps: Int) -> Int {
        guard steps > 0 else { return 0 }
        let raw = max(1, Int((Double(steps) / 30).rounded()))
        let unit = raw >= 1000 ? 100 : raw >= 100 ? 10 : 1
        return max(1, (raw + unit / 2) / unit * unit)
    }

    public static func clock() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    mutating func say(_ message: String) {
        snapshot.message = message
        // Up long enough to read at the captions' pace (CaptionDwell's words per second), and
        // never under 5 s; `M` lists every message afterwards.
        let words = Double(message.split(whereSeparator: \.isWhitespace).count)
        messageUntil = now + max(5, words / CaptionDwell.wordsPerSecond + 1)
        dirty = true
    }

    /// A fresh run of `p` from step 0 (or resumed at `from`): its story starts again, markers
    /// and history clear.
    mutating func open(_ p: Preset, from: Int = 0) {
        if snapshot.state == .finished { paused = false }  // a new run from DONE runs
        snapshot.config = p.config
        snapshot.live = p.config.live
        snapshot.title = p.title
        snapshot.description = p.description
        snapshot.targetSteps = p.config.steps
        snapshot.beyondStory = false
        snapshot.ghosts = []
        do {
            let replayed = ReplayedHistory(target: from, planned: p.config.steps)
            let s = try Session(p, to: from) { sim, ghost in replayed.observe(sim, ghost: ghost) }
            session = s
            snapshot.notes = s.front.symmetries.notes
            snapshot.state = paused ? .paused : .running
            snapshot.history = from > 0 ? replayed.front : History()
            presentGhosts(s, replayed: replayed.ghosts)
            present(s, restarted: true)
            if from == 0 {
                presentApplied(s.log.map(\.change), s)
                snapshot.observe(s.front)
            } else {
                snapshot.observe(s.front, record: false)  // the replay sampled this step
            }
        } catch {
            session = nil
            snapshot.history = History()
            snapshot.state = .diverged("\(error)")
        }
        restartRate(now: now, step: from)
        speedOrigin = (now, from)
        dirty = true
    }

    /// Re-reads what the session's log says at its current step: the caption, focus and family
    /// in force, the pace, the markers and the departure from the story.
    /// `narrate`: the run is at a new point of its story (opened, reset, gone back), so the
    /// caption is fresh again and the screen follows the story's focus and family; after a
    /// change in place the user's own focus stays.
    mutating func present(_ s: Session, restarted: Bool, narrate: Bool = true) {
        let log = s.log.map(\.change)
        if narrate {
            let says = log.last { $0.say != nil }
            snapshot.caption = says?.say
            // Read from here on: the run slows from its current step, not from the caption's.
            captionShown = says.map { (s.step, now, CaptionDwell.hold(for: $0.say!)) }
            captionPublished = false
            snapshot.narration.serial += 1
            snapshot.narration.focus = log.last { $0.focus != nil }?.focus
            snapshot.narration.family = log.last { $0.family != nil }?.family
            if let speed = log.last(where: { $0.speed != nil })?.speed, fixedSpeed == nil {
                snapshot.speedLimit = speed
            }
        }
        snapshot.config.optimizer = s.front.config.optimizer
        snapshot.markers = Self.markers(s.log, from: s.preset.config.live)
        presentGhosts(s)
        snapshot.departure = Self.departure(s)
        snapshot.userFork = s.forks.contains { f in (s.log + f.ghostLog).contains { $0.byUser && $0.change.fork } }
        snapshot.step = s.step
        snapshot.live = s.front.live
        // The mark follows the log: a back-step or undo that removes the change removes it.
        snapshot.modified = s.state.departs || snapshot.departure != nil
    }

    /// The ghosts on screen follow the session's forks: each keeps the history it has (one
    /// `replayed` rebuilt, else the one on screen; a new fork's starts as a copy of the front
    /// run's, which it was until now), and takes its name, markers and state from its fork.
    mutating func presentGhosts(_ s: Session, replayed: [Int: History]? = nil) {
        let shown = snapshot.ghosts
        snapshot.frontName = s.forks.isEmpty ? nil : s.frontName
        snapshot.ghosts = s.forks.enumerated().map { i, f in
            var g =
                shown.first { $0.forkStep == f.step }
                ?? Ghost(history: snapshot.history, live: s.front.live, forkStep: f.step)
            if let replayed { g.history = replayed[i] ?? History() }
            g.forkStep = f.step
            g.diverged = f.diverged
            g.markers = Self.markers(f.ghostLog, from: s.preset.config.live)
            g.name = s.ghostName(i)
            if let sim = s.ghosts[i] { g.live = sim.live }
            return g
        }
    }

    /// The markers of a log: every change of parameters, teleport and fork after step 0.
    static func markers(_ log: [Session.Logged], from start: LiveParameters) -> [TimeMarker] {
        var live = start
        var markers: [TimeMarker] = []
        for entry in log {
            let c = entry.change
            let label = Self.label(c, before: live, byUser: entry.byUser)
            live = c.applied(to: live)
            for text in label where c.step > 0 { markers.append(TimeMarker(step: c.step, label: text)) }
        }
        return Array(markers.suffix(64))
    }

    /// What a change changed, as marker labels: "lr 0.2 β 0.9", "T fc1.scale ×2", "fork".
    static func label(_ c: ScheduledChange, before: LiveParameters, byUser: Bool) -> [String] {
        var labels: [String] = []
        if c.fork { labels.append("fork") }
        if c.changesParameters {
            let p = c.applied(to: before)
            var parts: [String] = c.optimizer.map { [$0.title] } ?? []
            if p.learningRate != before.learningRate { parts.append("lr \(NumberFormat.tick(p.learningRate))") }
            if p.momentum != before.momentum { parts.append("β \(NumberFormat.tick(p.momentum))") }
            if p.weightDecay != before.weightDecay { parts.append("λ \(NumberFormat.tick(p.weightDecay))") }
            if let size = c.batchSize { parts.append("batch \(size)") }
            if !parts.isEmpty { labels.append(parts.joined(separator: " ")) }
        }
        for t in c.teleports { labels.append("T " + teleportText(t)) }
        return labels
    }

    static func teleportText(_ t: Teleport) -> String {
        t.family + " "
            + (t.factor.map { f in t.action == .shift ? "+\(NumberFormat.tick(f))" : "×\(NumberFormat.tick(f))" }
                .map { t.action == .steepest ? "steepest \($0)" : $0 } ?? (t.action?.rawValue ?? ""))
    }

    /// The user's last change in force that the story's captions do not describe (a fork alone
    /// changes nothing the captions say), as "lr 0.2 at step 1200".
    static func departure(_ s: Session) -> String? {
        var live = s.preset.config.live
        var last: String?
        for entry in s.log {
            let labels = label(entry.change, before: live, byUser: entry.byUser).filter { $0 != "fork" }
            live = entry.change.applied(to: live)
            if entry.byUser, !labels.isEmpty { last = labels.joined(separator: ", ") + " at step \(entry.change.step)" }
        }
        return last
    }

    /// Shows what the story's entries just applied ask for: captions, focus, family, pace, pauses.
    mutating func presentApplied(_ applied: [ScheduledChange], _ s: Session) {
        guard !applied.isEmpty else { return }
        snapshot.config.optimizer = s.front.config.optimizer
        snapshot.markers = Self.markers(s.log, from: s.preset.config.live)
        for change in applied {
            if let say = change.say {
                captionsShown += 1
                snapshot.caption = say
                captionShown = (change.step, now, CaptionDwell.hold(for: say))
                captionPublished = false
            }
            if change.focus != nil || change.family != nil {
                // The family stays the story's until it names another: a focus alone keeps it.
                snapshot.narration.serial += 1
                if let focus = change.focus { snapshot.narration.focus = focus }
                if let family = change.family { snapshot.narration.family = family }
            }
            if let speed = change.speed, fixedSpeed == nil {
                snapshot.speedLimit = speed
                speedOrigin = (now, s.step)
            }
            if change.pause || change.say != nil && snapshot.lecture {
                paused = true
                snapshot.state = .paused
                say(change.pause ? "paused by the story: space continues" : "lecture: space continues")
            }
        }
        dirty = true
    }

    mutating func startRecording(_ path: String) {
        guard let s = session else { return }
        let modified = snapshot.modified
        do {
            let restarted = try s.startRecording(
                to: path, version: version, modified: modified, pace: snapshot.speedLimit)
            snapshot.recordingPath = path
            let p = s.preset
            (snapshot.title, snapshot.description) = (p.title, p.description)
            snapshot.history = History()
            snapshot.ghosts = []
            snapshot.targetSteps = p.config.steps
            snapshot.beyondStory = false
            snapshot.state = paused ? .paused : .running
            present(s, restarted: true)
            presentApplied(s.log.map(\.change), s)
            snapshot.observe(s.front)
            speedOrigin = (now, 0)
            say(
                "recording to \(path)" + (restarted ? ": restarted from step 0" : "")
                    + (modified ? " with your settings, without the story" : ""))
        } catch { say("\(error)") }
    }

    mutating func stopRecording(_ message: String) {
        session?.stopRecording()
        snapshot.recordingPath = nil
        say(message)
    }

    static func timestamp() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.locale = Locale(identifier: "en_US_POSIX")
        return f.string(from: Date())
    }
}
