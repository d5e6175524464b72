/// The model as a sequence of layers, and its flat parameter layout. Parameters themselves
/// live in the caller's buffers, so optimizers, charges and exports all index the same vector.
///
/// Conv blocks come first (convolution, normalization, activation, 2 × 2 pooling), then global
/// average pooling, then `depth` dense blocks (dense, normalization, activation) and the
/// output layer with its loss head. With `residual`, the hidden layers after the first pair into
/// residual blocks (no pooling inside a conv block: it follows the block).
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

    /// Every layer in order, with residual blocks opened up.
    var flatLayers: [any Layer] { layers.flatMap { ($0 as? Residual)?.layers ?? [$0] } }

    /// The layers with weights, in order: what init walks.
    var linearLayers: [any LinearLayer] { flatLayers.compactMap { $0 as? any LinearLayer } }

    public init(config: Config, inputDim: Int, outputDim: Int, task: Task, image: ImageShape? = nil) throws(ConfigError)
    {
        // The model's shape rules are checked where the model is built, whatever validated the config.
        try config.validateGroups()
        try config.validateResidual()
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
                throw ConfigError(
                    "conv", "conv blocks need image data: --data shapes, or a CSV file with --image-shape CxHxW")
            }
            var (c, h, w) = (image.channels, image.height, image.width)
            layers.append(Flatten(direction: .toMap, channels: c, height: h, width: w))
            let blocks = config.residualBlocks(config.conv.count)
            for (index, channels) in config.conv.enumerated() {
                let i = index + 1, start = layers.count
                let weight = add("conv\(i).weight", [channels, c, config.kernel, config.kernel])
                let bias = config.bias ? add("conv\(i).bias", [channels]) : nil
                layers.append(
                    Conv2D(
                        name: "conv\(i)", inChannels: c, outChannels: channels, height: h, width: w,
                        kernel: config.kernel, weight: weight, bias: bias))
                shape = .map(channels: channels, height: h, width: w)
                addNormalizationAndActivation(config, block: i, conv: true, shape)
                c = channels
                if blocks.contains(where: { $0.lowerBound == index }) { blockStart = start }
                if blocks.contains(where: { $0.upperBound == index + 1 }) { closeResidualBlock() }
                if config.pool != .none, config.poolsAfter(convLayer: index) {
                    guard h >= 2, w >= 2 else {
                        throw ConfigError(
                            "conv",
                            "\(config.conv.count) block\(config.conv.count == 1 ? "" : "s") with 2×2 pooling shrink \(image.height)×\(image.width) images below 1×1 at block \(i); use fewer blocks, larger images or --pool none"
                        )
                    }
                    layers.append(Pool2D(kind: config.pool == .max ? .max : .avg, channels: c, height: h, width: w))
                    (h, w) = (h / 2, w / 2)
                }
            }
            layers.append(GlobalAveragePool(channels: c, height: h, width: w))
            shape = .vector(c)
        }
        let blocks = config.residualBlocks(config.depth)
        for l in 1..<(config.depth + 1) {
            let start = layers.count
            let dense = denseLayer("fc\(l)", inputs: shape.size, outputs: config.width, bias: config.bias)
            layers.append(dense)
            shape = dense.output
            addNormalizationAndActivation(config, block: l, conv: false, shape)
            if let block = blocks.first(where: { $0.contains(l - 1) }) {
                if l - 1 == block.lowerBound { blockStart = start } else { closeResidualBlock() }
            }
        }
        layers.append(denseLayer("fc\(config.depth + 1)", inputs: shape.size, outputs: outputDim, bias: config.bias))
        try config.lrScale.check(layers: layerNames)
    }

    /// The layers that own parameters, in order: fc1, bn1, fc2, … (what `lr-scale` names).
    public var layerNames: [String] {
        var names: [String] = []
        for t in tensors where !names.contains(Tensor.layerName(t.name)) { names.append(Tensor.layerName(t.name)) }
        return names
    }

    /// Each coordinate's learning-rate multiplier from `lr-scale` (THEORY.md §13.8).
    public func rateRuns(_ rates: LayerRates) -> RateRuns { RateRuns(tensors: tensors, rates: rates) }

    /// Where the residual block being built starts in `layers`.
    private var blockStart = 0

    /// The layers since `blockStart` become one residual block.
    private mutating func closeResidualBlock() {
        let inner = Array(layers[blockStart...])
        layers.removeSubrange(blockStart...)
        layers.append(Residual(layers: inner))
    }

    private mutating func denseLayer(_ name: String, inputs: Int, outputs: Int, bias: Bool) -> Dense {
        let weight = add("\(name).weight", [outputs, inputs])
        return Dense(
            name: name, inputs: inputs, outputs: outputs, weight: weight,
            bias: bias ? add("\(name).bias", [outputs]) : nil)
    }

    /// The normalization (bn1, ln1, …; cbn1, cln1, … in conv blocks) and the activation after a
    /// linear layer.
    private mutating func addNormalizationAndActivation(_ config: Config, block: Int, conv: Bool, _ shape: FeatureShape)
    {
        if config.norm != .none {
            let name = (conv ? "c" : "") + config.norm.abbreviation.lowercased() + "\(block)"
            let affine = Affine(
                gamma: add("\(name).weight", [shape.units]), beta: add("\(name).bias", [shape.units]),
                shape: shape)
            let eps = config.eps
            let norm: any Layer =
                switch config.norm {
                case .batch: BatchNorm(name: name, shape: shape, eps: eps, affine: affine)
                case .layer: LayerNorm(name: name, shape: shape, eps: eps, affine: affine)
                case .group, .none: GroupNorm(name: name, shape: shape, groups: config.groups, eps: eps, affine: affine)
                }
            layers.append(norm)
        }
        layers.append(ActivationLayer(activation: config.arch, leakySlope: config.leakySlope, shape: shape))
    }

    private mutating func add(_ name: String, _ shape: [Int]) -> Int {
        let offset = parameterCount
        let rows = shape[0], cols = shape.dropFirst().reduce(1, *)
        tensors.append(
            Tensor(name: name, offset: offset, rows: rows, cols: cols, isMatrix: shape.count > 1, shape: shape))
        parameterCount += rows * cols
        return offset
    }

    /// The normalization right after layer `index` of `flatLayers`, if any.
    func normalization(after index: Int, in layers: [any Layer]) -> Affine? {
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
        let layers = flatLayers
        for (index, layer) in layers.enumerated() {
            guard let linear = layer as? any LinearLayer else { continue }
            let std = config.initStd ?? (1 / Double(linear.fanIn)).squareRoot()
            fill(linear.weight, linear.units * linear.fanIn) { std * $0.normal() }
            if let b = linear.bias { fill(b, linear.units) { std * $0.normal() } }
            if let affine = normalization(after: index, in: layers) {
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

extension Config {
    /// With `residual`, the hidden layers (conv or dense, numbered from 0) after the first pair
    /// into blocks: [1, 2], [3, 4], …; none without it.
    func residualBlocks(_ count: Int) -> [Range<Int>] {
        guard residual, count >= 3 else { return [] }
        return stride(from: 1, to: count - 1, by: 2).map { $0..<($0 + 2) }
    }

    /// Whether 2×2 pooling follows conv layer `index`: after each, but not inside a residual block.
    func poolsAfter(convLayer index: Int) -> Bool {
        !residualBlocks(conv.count).contains { $0.lowerBound == index }
    }

    func validateResidual() throws(ConfigError) {
        guard residual else { return }
        if depth > 1, depth % 2 == 0 {
            throw ConfigError(
                "residual",
                "the hidden dense layers after fc1 pair into blocks of two, so depth must be 1, 3, 5 or 7, got \(depth)"
            )
        }
        let list = conv.map(String.init).joined(separator: ",")
        if conv.count > 1, conv.count % 2 == 0 {
            throw ConfigError(
                "residual",
                "the conv layers after conv1 pair into blocks of two, so give 1, 3 or 5 channel counts, got \(conv.count) (\(list))"
            )
        }
        for block in residualBlocks(conv.count) where conv[block.upperBound - 1] != conv[block.lowerBound - 1] {
            throw ConfigError(
                "residual",
                "block conv\(block.lowerBound + 1)–conv\(block.upperBound) must end with the \(conv[block.lowerBound - 1]) channels it starts from (its input is added to its output), got \(conv[block.upperBound - 1]) in --conv \(list)"
            )
        }
        if residualBlocks(conv.count).isEmpty, residualBlocks(depth).isEmpty {
            throw ConfigError(
                "residual",
                "needs a block to skip around: depth 3, 5 or 7, or 3 or 5 conv layers; got depth \(depth) and \(conv.count) conv layer\(conv.count == 1 ? "" : "s")"
            )
        }
    }

    func validateGroups() throws(ConfigError) {
        guard (1...256).contains(groups) else { throw ConfigError("groups", "must be 1…256, got \(groups)") }
        guard norm == .group else { return }
        let normalized = conv.enumerated().map { ("conv\($0 + 1)", $1) } + (depth > 0 ? [("width", width)] : [])
        for (name, channels) in normalized where channels % groups != 0 {
            let counts = normalized.map(\.1)
            let divisors = (1...counts.min()!).filter { d in counts.allSatisfy { $0 % d == 0 } }
            let what =
                name == "width"
                ? "the \(width) neurons of each hidden dense layer (width)" : "the \(channels) channels of \(name)"
            throw ConfigError(
                "groups",
                "group norm splits each layer's units into equal groups: \(groups) does not divide \(what); allowed here: \(divisors.map(String.init).joined(separator: ", "))"
            )
        }
    }
}
