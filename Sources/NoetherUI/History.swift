/// One series kept in constant memory however long the run: min/mean/max buckets that
/// coarsen (merge pairwise) as the run grows, plus the most recent samples at full resolution.
public struct BoundedSeries: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        public var step: Int  // first step covered
        public var min: Double
        public var max: Double
        public var sum: Double
        public var count: Int
        public var mean: Double { sum / Double(count) }
    }

    public static let capacity = 512
    public static let recentCapacity = 512
    public private(set) var span = 1
    public private(set) var buckets: [Bucket] = []
    public private(set) var recent: [(step: Int, value: Double)] = []
    private var recentStart = 0

    public init() {}

    public static func == (a: BoundedSeries, b: BoundedSeries) -> Bool {
        a.span == b.span && a.buckets == b.buckets && a.recentStep == b.recentStep
    }

    private var recentStep: [Int] { recent.map(\.step) }

    public mutating func append(step: Int, _ value: Double) {
        guard value.isFinite else { return }
        if recent.count < Self.recentCapacity {
            recent.append((step, value))
        } else {
            recent[recentStart] = (step, value)
            recentStart = (recentStart + 1) % Self.recentCapacity
        }
        let slot = step / span
        if let last = buckets.last, last.step / span == slot {
            buckets[buckets.count - 1].min = Swift.min(last.min, value)
            buckets[buckets.count - 1].max = Swift.max(last.max, value)
            buckets[buckets.count - 1].sum += value
            buckets[buckets.count - 1].count += 1
            return
        }
        buckets.append(Bucket(step: slot * span, min: value, max: value, sum: value, count: 1))
        if buckets.count > Self.capacity { coarsen() }
    }

    private mutating func coarsen() {
        span *= 2
        var merged: [Bucket] = []
        for b in buckets {
            let start = (b.step / span) * span
            if var last = merged.last, last.step == start {
                last.min = Swift.min(last.min, b.min)
                last.max = Swift.max(last.max, b.max)
                last.sum += b.sum
                last.count += b.count
                merged[merged.count - 1] = last
            } else {
                merged.append(Bucket(step: start, min: b.min, max: b.max, sum: b.sum, count: b.count))
            }
        }
        buckets = merged
    }

    /// The recent samples in step order.
    public var recentInOrder: [(step: Int, value: Double)] {
        Array(recent[recentStart...] + recent[..<recentStart])
    }

    /// Points to plot: bucket means over the whole run, or the recent window.
    public func points(recentOnly: Bool) -> [(x: Double, y: Double)] {
        recentOnly
            ? recentInOrder.map { (Double($0.step), $0.value) }
            : buckets.map { (Double($0.step) + Double(span - 1) / 2, $0.mean) }
    }

    public var last: Double? { recent.isEmpty ? nil : recent[(recentStart + recent.count - 1) % recent.count].value }
}

/// All series of a run, sampled at the same steps.
public struct History: Sendable, Equatable {
    public private(set) var series: [SeriesKey: BoundedSeries] = [:]
    public private(set) var lastStep = 0
    public private(set) var time = TrainingTime()
    public private(set) var neurons: [String: NeuronHistory] = [:]
    public init() {}

    public mutating func record(step: Int, _ sample: Sample) {
        lastStep = step
        time.record(step: step, learningRate: sample.learningRate)
        for (key, v) in sample.values { series[key, default: BoundedSeries()].append(step: step, v) }
        for (family, values) in sample.neurons { neurons[family, default: NeuronHistory()].append(step: step, values) }
    }

    public subscript(key: SeriesKey) -> BoundedSeries? { series[key] }
}

/// The theory's time t = Σ η over the updates so far (t = ηk while η stays fixed), kept as
/// the steps where η changed. A change between two samples is dated at the later sample.
public struct TrainingTime: Sendable, Equatable {
    struct Segment: Sendable, Equatable { var step: Int; var t: Double; var learningRate: Double }
    private var segments: [Segment] = []
    public init() {}

    mutating func record(step: Int, learningRate: Double) {
        guard let last = segments.last else {
            // Before the first sample, η is taken to have been the same.
            segments = [Segment(step: step, t: learningRate * Double(step), learningRate: learningRate)]
            return
        }
        guard learningRate != last.learningRate, step >= last.step else { return }
        segments.append(Segment(step: step, t: t(at: step), learningRate: learningRate))
        if segments.count > 4096 { segments.removeFirst(segments.count - 4096) }
    }

    /// t at `step`, extrapolated at the latest η past the last sample.
    public func t(at step: Int) -> Double {
        guard let s = segments.last(where: { $0.step <= step }) ?? segments.first else { return Double(step) }
        return s.t + s.learningRate * Double(step - s.step)
    }
}

/// Per-neuron values of one family over the run, in bounded memory: at most `capacity`
/// columns; when full, every other column goes and the sampling interval doubles.
public struct NeuronHistory: Sendable, Equatable {
    public static let capacity = 240
    public private(set) var steps: [Int] = []
    public private(set) var columns: [[NeuronValue]] = []
    /// Each neuron's first |charge|: collapse is judged relative to a neuron's own start.
    public private(set) var start: [Double] = []
    private var interval = 1

    public init() {}

    mutating func append(step: Int, _ values: [NeuronValue]) {
        if start.count != values.count { self = NeuronHistory(); start = values.map { abs($0.charge) } }
        if let last = steps.last, step < last + interval { return }
        steps.append(step)
        columns.append(values)
        if columns.count > Self.capacity {
            let keep = columns.indices.filter { $0 % 2 == 0 }
            steps = keep.map { steps[$0] }
            columns = keep.map { columns[$0] }
            interval *= 2
        }
    }
}
