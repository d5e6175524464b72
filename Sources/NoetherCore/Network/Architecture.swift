/// The model as a sequence of layers, and its flat parameter layout. Parameters themselves
/// live in the caller's buffers, so optimizers, charges and exports all index the same vector.
///
/// Conv blocks come first (convolution, normalization, activation, 2 × 2 pooling), then global
/// average pooling, then `depth` dense blocks (dense, normalization, activation) and the
/// output layer with its loss head.
public struct Architecture: Sendable {
    public let activation: Activation
    public let norm: Normalization
    public let eps: Double
    public let inputDim: Int
    public let outputDim: Int
    public let task: Task
    public private(set) var tensors: [Tensor] = []
    public private(set) var parameterCount = 0
    private(set) var layers: [any Layer] = []
    let head: any LossHead

    /// The layers with weights, in order: what init and symmetry discovery walk.
    var linearLayers: [any LinearLayer] { layers.compactMap { $0 as? any LinearLayer } }

    public init(config: Config, inputDim: Int, outputDim: Int, task: Task, image: ImageShape? = nil) throws(ConfigError) {
        activation = config.arch
        norm = config.norm
        eps = config.eps
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.task = task
        head = task == .classification ? SoftmaxCrossEntropy() : MeanSquaredError() as any LossHead
        var shape = FeatureShape.vector(inputDim)
        if !config.conv.isEmpty {
            guard let image else {
                throw ConfigError("conv", "conv blocks need image data: --data shapes, or a CSV file with --image-shape CxHxW")
            }
            var (c, h, w) = (image.channels, image.height, image.width)
            layers.append(Flatten(direction: .toMap, channels: c, height: h, width: w))
            for (index, channels) in config.conv.enumerated() {
                let i = index + 1
                let weight = add("conv\(i).weight", [channels, c, config.kernel, config.kernel])
                let bias = config.bias ? add("conv\(i).bias", [channels]) : nil
                layers.append(Conv2D(name: "conv\(i)", inChannels: c, outChannels: channels, height: h, width: w,
                                     kernel: config.kernel, weight: weight, bias: bias))
                shape = .map(channels: channels, height: h, width: w)
                addNormalizationAndActivation(config, block: i, conv: true, shape)
                c = channels
                if config.pool != .none {
                    guard h >= 2, w >= 2 else {
                        throw ConfigError("conv", "\(config.conv.count) block\(config.conv.count == 1 ? "" : "s") with 2×2 pooling shrink \(image.height)×\(image.width) images below 1×1 at block \(i); use fewer blocks, larger images or --pool none")
                    }
                    layers.append(Pool2D(kind: config.pool == .max ? .max : .avg, channels: c, height: h, width: w))
                    (h, w) = (h / 2, w / 2)
                }
            }
            layers.append(GlobalAveragePool(channels: c, height: h, width: w))
            shape = .vector(c)
        }
        for l in 1..<(config.depth + 1) {
            let dense = denseLayer("fc\(l)", inputs: shape.size, outputs: config.width, bias: config.bias)
            layers.append(dense)
            shape = dense.output
            addNormalizationAndActivation(config, block: l, conv: false, shape)
        }
        layers.append(denseLayer("fc\(config.depth + 1)", inputs: shape.size, outputs: outputDim, bias: config.bias))
    }

    private mutating func denseLayer(_ name: String, inputs: Int, outputs: Int, bias: Bool) -> Dense {
        let weight = add("\(name).weight", [outputs, inputs])
        return Dense(name: name, inputs: inputs, outputs: outputs, weight: weight,
                     bias: bias ? add("\(name).bias", [outputs]) : nil)
    }

    /// The normalization (bn1, ln1, …; cbn1, cln1, … in conv blocks) and the activation after a
    /// linear layer.
    private mutating func addNormalizationAndActivation(_ config: Config, block: Int, conv: Bool, _ shape: FeatureShape) {
        if config.norm != .none {
            let name = (conv ? "c" : "") + (config.norm == .batch ? "bn" : "ln") + "\(block)"
            let affine = Affine(gamma: add("\(name).weight", [shape.units]), beta: add("\(name).bias", [shape.units]),
                                shape: shape)
            layers.append(config.norm == .batch
                ? BatchNorm(name: name, shape: shape, eps: config.eps, affine: affine)
                : LayerNorm(name: name, shape: shape, eps: config.eps, affine: affine) as any Layer)
        }
        layers.append(ActivationLayer(activation: config.arch, leakySlope: config.leakySlope, shape: shape))
    }

    private mutating func add(_ name: String, _ shape: [Int]) -> Int {
        let offset = parameterCount
        let rows = shape[0], cols = shape.dropFirst().reduce(1, *)
        tensors.append(Tensor(name: name, offset: offset, rows: rows, cols: cols, isMatrix: shape.count > 1, shape: shape))
        parameterCount += rows * cols
        return offset
    }

    /// The normalization right after layer `index`, if any.
    func normalization(after index: Int) -> Affine? {
        index + 1 < layers.count ? (layers[index + 1] as? any Normalizing)?.affine : nil
    }

    /// Seeded fan-in initialization (THEORY.md §8): W, b ~ N(0, 1/fan_in) unless a fixed
    /// standard deviation is given; normalization γ = 1 + 0.1·N(0,1), β = 0.1·N(0,1). Drawn
    /// layer by layer in parameter order.
    public func initialParameters(_ config: Config, rng: inout Xoshiro256) -> [Double] {
        var theta = [Double](repeating: 0, count: parameterCount)
        func fill(_ offset: Int, _ count: Int, _ draw: (inout Xoshiro256) -> Double) {
            for i in offset..<(offset + count) { theta[i] = draw(&rng) }
        }
        for (index, layer) in layers.enumerated() {
            guard let linear = layer as? any LinearLayer else { continue }
            let std = config.initStd ?? (1 / Double(linear.fanIn)).squareRoot()
            fill(linear.weight, linear.units * linear.fanIn) { std * $0.normal() }
            if let b = linear.bias { fill(b, linear.units) { std * $0.normal() } }
            if let affine = normalization(after: index) {
                fill(affine.gamma, linear.units) { 1 + 0.1 * $0.normal() }
                fill(affine.beta, linear.units) { 0.1 * $0.normal() }
            }
        }
        if config.outputShift != 0, let out = linearLayers.last {
            for i in out.weight..<(out.weight + out.units * out.fanIn) { theta[i] += config.outputShift }
            if let b = out.bias { for i in b..<(b + out.units) { theta[i] += config.outputShift } }
        }
        return theta
    }
}
