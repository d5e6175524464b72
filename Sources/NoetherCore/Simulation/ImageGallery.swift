/// What an image data set holds and what the first conv layer looks for: a few input samples (one
/// of each of the first classes, first channel) and the first conv layer's filters (their slice on
/// input channel 0), for the data panel. From the current parameters, like the decision map.
public struct ImageGallery: Sendable {
    public var height: Int
    public var width: Int
    public var samples: [(pixels: [Double], label: Int)]
    /// The first conv layer's filters, k × k each, row by row; empty for a dense network.
    public var filters: [[Double]]
    public var kernel: Int
    public var layer: String?
    /// The step whose parameters the filters are.
    public var step: Int
}

extension Simulator {
    /// The gallery of an image data set (nil for vector data): `count` samples of distinct classes.
    public func imageGallery(count: Int = 4) -> ImageGallery? {
        guard let shape = data.imageShape, data.count > 0, count > 0 else { return nil }
        let area = shape.height * shape.width, d = data.inputDim
        var samples: [(pixels: [Double], label: Int)] = []
        var seen = Set<Int>()
        for i in 0..<data.count where samples.count < count && !seen.contains(data.labels[i]) {
            seen.insert(data.labels[i])
            samples.append((Array(data.inputs[i * d..<i * d + area]), data.labels[i]))
        }
        var filters: [[Double]] = [], kernel = 0, layer: String?
        // Read straight from θ: only the first conv weight's channel-0 slices, no copy of the rest.
        if let t = arch.tensors.first(where: { $0.shape.count == 4 }) {
            let (out, inputs, k) = (t.shape[0], t.shape[1], t.shape[2])
            (kernel, layer) = (k, t.name.replacingOccurrences(of: ".weight", with: ""))
            filters = (0..<out).map { o in
                Array(UnsafeBufferPointer(start: theta + t.offset + o * inputs * k * k, count: k * k))
            }
        }
        return ImageGallery(
            height: shape.height, width: shape.width, samples: samples, filters: filters, kernel: kernel,
            layer: layer, step: step)
    }
}
