import NoetherCore

public enum RunState: Equatable, Sendable {
    /// `finished`: paused at the run's last step (the preset's or --steps); space continues.
    case running, paused, finished, diverged(String)
    public var label: String {
        switch self {
        case .running: "RUNNING"
        case .paused: "PAUSED"
        case .finished: "DONE"
        case .diverged: "DIVERGED"
        }
    }
}

/// How far a replay back to an earlier step has got (`,` and `u` re-simulate from step 0).
public struct RewindProgress: Equatable, Sendable {
    public var step: Int
    public var target: Int
    /// The replay of the ghost, which follows the front run's.
    public var ghost = false
}

/// An applied change, drawn as a marker on the time axis of every chart.
public struct TimeMarker: Equatable, Sendable {
    public var step: Int
    /// Short label, e.g. "lr 0.2", "β 0.9", "say".
    public var label: String
    public init(step: Int, label: String) {
        self.step = step
        self.label = label
    }
}

/// What the narration asks of the screen. `serial` grows with each request, so the UI applies
/// a focus or family request once and the user can move away from it afterwards.
public struct NarrationRequest: Equatable, Sendable {
    public var serial = 0
    public var focus: String?
    public var family: String?
    public init() {}
}

/// A run that goes on unchanged after a fork, drawn dimmed beneath the front run on every chart.
public struct Ghost: Sendable {
    public var history: History
    public var live: LiveParameters
    /// The step at which the two runs parted.
    public var forkStep: Int
    /// What its curves are labelled ("ghost", "ghost 2", or the story's name for it).
    public var name = "ghost"
    public var diverged = false
    /// The ghost's own applied changes (those before the fork are shared).
    public var markers: [TimeMarker] = []
}

/// What the simulator thread publishes for the screen: a value copied under the lock.
public struct Snapshot: Sendable {
    public var step = 0
    public var stepsPerSecond = 0.0
    public var live: LiveParameters
    public var config: Config
    public var state = RunState.running
    public var speedLimit = 0  // steps per second, 0 = as fast as possible
    public var history = History()
    public var families: [FamilySummary] = []
    /// Every group's charge at the last sample (per-neuron views).
    public var charges: [ChargeObservation] = []
    public var layerNames: [String] = []
    /// A two-feature classification run's data and the model's decision regions (the data panel).
    public var decision: DecisionMap?
    /// An image run's samples and first conv filters (the data panel for images).
    public var gallery: ImageGallery?
    public var notes: [String] = []
    public var title = ""
    public var description = ""
    public var replaying = false
    /// Which run of a recorded session is replaying (0-based), of how many.
    public var replayRun = 0
    public var replayRuns = 1
    public var recordingPath: String?
    public var message: String?
    /// The run's planned length (the preset's `steps` or --steps): the x-axis spans at least this.
    public var targetSteps = 0
    /// The narration caption in force at this step, if any.
    public var caption: String?
    /// True once the user changed a control: title and description stay, marked modified.
    public var modified = false
    /// The user's last change in force that the captions do not describe ("lr 0.2 at step 1200").
    public var departure: String?
    /// Past the story's last step: the run goes on (space at DONE).
    public var beyondStory = false
    /// The user forked the run (a story's own fork is part of the story, not work to lose).
    public var userFork = false
    /// Lecture mode: the run holds at every caption until space.
    public var lecture = false
    /// Seconds a fresh caption still holds the run back (slowed or held), while it does.
    public var readingHold: Double?
    /// While `,` or `u` replays the run from step 0: how far the replay has got.
    public var rewinding: RewindProgress?
    public var markers: [TimeMarker] = []
    /// After forks: the runs they left, oldest first, advancing in lock step.
    public var ghosts: [Ghost] = []
    /// What the front run is called beside its ghosts (the story's `name`), if it is named and
    /// has ghosts (alone it needs no name on the charts).
    public var frontName: String?
    public var narration = NarrationRequest()
    /// Grows with every publish: the screen redraws only when it changed (idle when paused).
    public var version = 0

    public init(config: Config) {
        self.config = config
        live = config.live
    }
}
