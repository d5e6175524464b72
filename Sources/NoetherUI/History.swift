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
        recentOnly ? recentInOrder.map { (Double($0.step), $0.value) }
            : buckets.map { (Double($0.step) + Double(span - 1) / 2, $0.mean) }
    }

    public var last: Double? { recent.isEmpty ? nil : recent[(recentStart + recent.count - 1) % recent.count].value }
}

/// All series of a run, sampled at the same steps, keyed by name.
public struct History: Sendable, Equatable {
    public private(set) var series: [String: BoundedSeries] = [:]
    public private(set) var lastStep = 0
    public init() {}

    public mutating func record(step: Int, _ values: [(String, Double)]) {
        lastStep = step
        for (name, v) in values { series[name, default: BoundedSeries()].append(step: step, v) }
    }

    public subscript(name: String) -> BoundedSeries? { series[name] }
}
