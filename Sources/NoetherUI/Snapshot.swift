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
    public var notes: [String] = []
    public var title = ""
    public var description = ""
    public var replaying = false
    public var recordingPath: String?
    public var message: String?
    /// The run's planned length (the preset's `steps` or --steps): the x-axis spans at least this.
    public var targetSteps = 0
    /// The narration caption in force at this step, if any.
    public var caption: String?
    /// True once the user changed a control: title and description stay, marked modified.
    public var modified = false
    public var markers: [TimeMarker] = []
    public var narration = NarrationRequest()

    public init(config: Config) {
        self.config = config
        live = config.live
    }

    /// The values one sample adds to the history: loss, norms and per-family summaries.
    public static func sample(_ o: Observation) -> [(String, Double)] {
        var v: [(String, Double)] = [("loss", o.loss)]
        if let a = o.accuracy { v.append(("accuracy", a)) }
        for l in o.layers { v.append(("norm:\(l.name)", l.weightNorm2)) }
        for f in o.families {
            let k = f.family
            v += [("\(k):q50", f.q50), ("\(k):q10", f.q10), ("\(k):q90", f.q90), ("\(k):pred", f.predictedMedian),
                  ("\(k):ref", f.referenceMedian), ("\(k):nm", f.continuumMedian), ("\(k):gap", f.gapRatioMedian),
                  ("\(k):kin", f.kineticRateMedian), ("\(k):pot", f.potentialRate), ("\(k):res", f.residualMax)]
            if let e = f.effectiveLearningRateMedian { v.append(("\(k):elr", e)) }
            if let a = f.rmsAngularStep { v.append(("\(k):angle", a)) }
            if let a = f.rmspropAccumulatorMedian { v.append(("\(k):acc", a)) }
            if let e = f.rmspropEMAMedian { v.append(("\(k):ema", e)) }
        }
        return v
    }
}
