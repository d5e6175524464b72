import Foundation

/// What a configuration needs in memory, estimated from its sizes before anything is
/// allocated, so that settings inside every documented range that together do not fit are
/// refused with the estimate instead of aborting in the allocator.
public struct MemoryEstimate: Equatable, Sendable {
    /// The training set (features, labels or targets, the shuffle order).
    public var data: Int
    /// Parameters, previous parameters, gradient, velocity, Adam's second moment, one copy
    /// for observations: about six buffers of the parameter count.
    public var parameters: Int
    /// Forward and backward activations of one minibatch.
    public var activations: Int
    /// The charge tracker: about twenty numbers per group channel (balance groups hold n²).
    public var tracker: Int

    public var total: Int { data + parameters + activations + tracker }

    public init(_ c: Config) {
        let inputs: Int
        let outputs: Int
        var dataBytes = 0
        if let shape = Dataset.shape(c) {
            (inputs, outputs) = shape
        } else {
            // Unknown until read: the text and its numbers, sized by the file.
            (inputs, outputs) = (
                c.imageShape?.count ?? c.inputDim ?? 1, c.resolvedTask == .regression ? c.resolvedTargets : c.classes
            )
            if case .file(let path) = c.data {
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                dataBytes = 4 * size
            }
        }
        let samples = c.data.isFile ? 0 : c.samples
        let labels = c.resolvedTask == .classification ? 1 : outputs
        data = dataBytes + 8 * samples * (inputs + labels + 1)

        let widths = Array(repeating: c.width, count: c.depth)
        // Conv blocks feed the dense layers one number per channel (global average pooling).
        let fanIns = [c.conv.last ?? inputs] + widths
        let fanOuts = widths + [outputs]
        let convFanIns = [Dataset.image(c)?.channels ?? 1] + c.conv.dropLast()
        let convCount = zip(convFanIns, c.conv).map { ($0 * c.kernel * c.kernel + (c.bias ? 1 : 0)) * $1 }.reduce(0, +)
        let count = zip(fanIns, fanOuts).map { ($0 + (c.bias ? 1 : 0)) * $1 }.reduce(0, +) + convCount
        parameters = 8 * 6 * count

        let batch = c.data.isFile ? c.batchSize : min(c.batchSize, c.samples)
        activations = 8 * batch * (4 * c.depth * c.width + 3 * c.width + 2 * outputs + inputs + Self.convActivations(c))

        let balance = c.arch == .linear && c.norm == .none ? c.depth * c.width * c.width : 0
        tracker = 8 * 20 * (2 * c.depth * c.width + outputs + balance) + (balance > 0 ? 8 * count : 0)
    }

    /// Numbers per sample the conv blocks hold: about five maps per block (convolution,
    /// normalization and its ẑ, activation, pooling). The unfolded input is made a cache-sized
    /// chunk of images at a time and not kept.
    static func convActivations(_ c: Config) -> Int {
        guard !c.conv.isEmpty, let image = Dataset.image(c) else { return 0 }
        var (h, w, total) = (image.height, image.width, 0)
        for (index, out) in c.conv.enumerated() {
            total += 5 * out * h * w
            if c.pool != .none, c.poolsAfter(convLayer: index) { (h, w) = (h / 2, w / 2) }
        }
        return total
    }

    /// The part that is largest, named by the option that controls it most.
    var largest: (option: String, part: String, bytes: Int) {
        [
            ("samples", "the data set", data), ("width", "parameters and charges", parameters + tracker),
            ("batch-size", "one minibatch's activations", activations),
        ].max { $0.2 < $1.2 }!
    }
}

extension Config {
    /// Refuses a configuration that needs more than three quarters of `physicalMemory`.
    public func checkMemory(physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws(ConfigError) {
        let estimate = MemoryEstimate(self)
        let limit = Double(physicalMemory) * 0.75
        guard Double(estimate.total) > limit else { return }
        let largest = estimate.largest
        throw ConfigError(
            largest.option,
            "this configuration needs about \(Self.gigabytes(estimate.total)) of memory (\(largest.part) \(Self.gigabytes(largest.bytes))); this machine has \(Self.gigabytes(Int(clamping: physicalMemory))), and noether uses at most three quarters of it"
        )
    }

    static func gigabytes(_ bytes: Int) -> String {
        let gb = Double(bytes) / 1e9
        return gb >= 10 ? "\(Int(gb.rounded())) GB" : String(format: "%.1f GB", gb)
    }
}
