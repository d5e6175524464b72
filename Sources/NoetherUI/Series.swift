import NoetherCore

/// What a family contributes to the history, one value per sample.
public enum FamilySeries: Hashable, Sendable, CaseIterable {
    case q10, median, q90, predicted, reference, continuum, gapRatio, kineticRate, potentialRate
    case effectiveLearningRate, angle, rmspropAccumulator, rmspropEMA
}

/// A series of the history, named by what it measures rather than by a string key.
public enum SeriesKey: Hashable, Sendable {
    case loss, accuracy
    case weightNorm(layer: String)
    case family(String, FamilySeries)
    /// The last measured sharpness (THEORY.md §16) and the stability lines of each sample's η, β.
    case sharpness
    case stabilityLine(StabilityLine)
    /// The single neuron's measured a, |w|, ν and S(t), and each in closed form (THEORY.md §14.2).
    case neuron(NeuronQuantity, closedForm: Bool)
}

/// What the single-neuron panel draws of f = a·wᵀx (THEORY.md §14.2).
public enum NeuronQuantity: Hashable, Sendable, CaseIterable {
    case readout, inputNorm, teacherComponent, kernelDistance
}

/// 2/η; 2(1+β)/η (heavy ball); 2(1−β)/η, a model for small-batch momentum (THEORY.md §16.3).
public enum StabilityLine: Hashable, Sendable {
    case plain, heavyBall, smallBatchModel
}

/// One neuron (charge group) at one sample, for the per-neuron views.
public struct NeuronValue: Equatable, Sendable {
    public var charge: Double
    public var gapRatio: Double
    public var dead: Bool
}

/// Everything one sample adds to the history.
public struct Sample: Sendable {
    public var learningRate: Double
    public var values: [(SeriesKey, Double)]
    /// Per family, one entry per group in the order of the observation.
    public var neurons: [String: [NeuronValue]]
}

extension Snapshot {
    /// The values one sample adds to the history: loss, norms, per-family summaries and per-neuron values.
    public static func sample(_ o: Observation, sharpness: Double? = nil) -> Sample {
        var v: [(SeriesKey, Double)] = [(.loss, o.loss)]
        if let sharpness {
            let eta = o.live.learningRate, beta = o.live.momentum
            v += [
                (.sharpness, sharpness), (.stabilityLine(.plain), 2 / eta),
                (.stabilityLine(.heavyBall), 2 * (1 + beta) / eta),
                (.stabilityLine(.smallBatchModel), 2 * (1 - beta) / eta),
            ]
        }
        if let a = o.accuracy { v.append((.accuracy, a)) }
        if let n = o.neuron {
            for (state, closed) in [(n.measured, false), (n.closedForm, true)] {
                v += [
                    (.neuron(.readout, closedForm: closed), state.a),
                    (.neuron(.inputNorm, closedForm: closed), state.wNorm),
                    (.neuron(.teacherComponent, closedForm: closed), state.nu),
                    (.neuron(.kernelDistance, closedForm: closed), state.kernelDistance),
                ]
            }
        }
        for l in o.layers { v.append((.weightNorm(layer: l.name), l.weightNorm2)) }
        for f in o.families {
            let k = f.family
            let optional: [(FamilySeries, Double?)] = [
                (.q10, f.q10), (.median, f.q50), (.q90, f.q90), (.predicted, f.predictedMedian),
                (.reference, f.referenceMedian), (.continuum, f.continuumMedian), (.gapRatio, f.gapRatioMedian),
                (.kineticRate, f.kineticRateMedian), (.potentialRate, f.potentialRate),
                (.effectiveLearningRate, f.effectiveLearningRateMedian), (.angle, f.rmsAngularStep),
                (.rmspropAccumulator, f.rmspropAccumulatorMedian), (.rmspropEMA, f.rmspropEMAMedian),
            ]
            for case let (s, value?) in optional { v.append((.family(k, s), value)) }
        }
        var neurons: [String: [NeuronValue]] = [:]
        for c in o.charges {
            neurons[c.family, default: []].append(
                NeuronValue(charge: c.value, gapRatio: c.gapRatio, dead: c.dead || c.collapsed))
        }
        return Sample(learningRate: o.live.learningRate, values: v, neurons: neurons)
    }
}
