/// A named block of the flat parameter vector, in PyTorch layout (weights are out × in).
public struct Tensor: Sendable, Equatable {
    public var name: String
    public var offset: Int
    public var rows: Int
    public var cols: Int  // 1 for vectors
    public var isMatrix: Bool
    public var count: Int { rows * cols }
    public var shape: [Int] { isMatrix ? [rows, cols] : [rows] }
}

/// One hidden block: dense → normalization → activation. Offsets index the flat parameters.
struct HiddenLayer {
    var inputs: Int
    var width: Int
    var weight: Int
    var bias: Int?
    var gamma: Int?  // normalization affine scale, per neuron
    var beta: Int?   // normalization affine shift, per neuron
}

/// The MLP's structure and its flat parameter layout. Parameters themselves live in the
/// caller's buffers, so optimizers, charges and exports all index the same vector.
public struct Architecture: Sendable {
    public let activation: Activation
    public let leakySlope: Double
    public let norm: Normalization
    public let eps: Double
    public let inputDim: Int
    public let outputDim: Int
    public let task: Task
    public let hasBias: Bool
    public private(set) var tensors: [Tensor] = []
    public private(set) var parameterCount = 0
    var hidden: [HiddenLayer] = []
    var outputWeight = 0
    var outputBias: Int?

    public var depth: Int { hidden.count }
    public var widths: [Int] { hidden.map(\.width) }

    public init(config: Config, inputDim: Int, outputDim: Int, task: Task) {
        activation = config.arch
        leakySlope = config.leakySlope
        norm = config.norm
        eps = config.eps
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.task = task
        hasBias = config.bias
        var fanIn = inputDim
        let normName = norm == .batch ? "bn" : "ln"
        for l in 1...config.depth {
            var layer = HiddenLayer(inputs: fanIn, width: config.width, weight: 0)
            layer.weight = add("fc\(l).weight", config.width, fanIn, matrix: true)
            if hasBias { layer.bias = add("fc\(l).bias", config.width, 1, matrix: false) }
            if norm != .none {
                layer.gamma = add("\(normName)\(l).weight", config.width, 1, matrix: false)
                layer.beta = add("\(normName)\(l).bias", config.width, 1, matrix: false)
            }
            hidden.append(layer)
            fanIn = config.width
        }
        let l = config.depth + 1
        outputWeight = add("fc\(l).weight", outputDim, fanIn, matrix: true)
        if hasBias { outputBias = add("fc\(l).bias", outputDim, 1, matrix: false) }
    }

    private mutating func add(_ name: String, _ rows: Int, _ cols: Int, matrix: Bool) -> Int {
        let offset = parameterCount
        tensors.append(Tensor(name: name, offset: offset, rows: rows, cols: cols, isMatrix: matrix))
        parameterCount += rows * cols
        return offset
    }

    /// Seeded fan-in initialization (THEORY.md §8): W, b ~ N(0, 1/fan_in) unless a fixed
    /// standard deviation is given; normalization γ = 1 + 0.1·N(0,1), β = 0.1·N(0,1).
    public func initialParameters(_ config: Config, rng: inout Xoshiro256) -> [Double] {
        var theta = [Double](repeating: 0, count: parameterCount)
        func fill(_ offset: Int, _ count: Int, _ draw: (inout Xoshiro256) -> Double) {
            for i in offset..<(offset + count) { theta[i] = draw(&rng) }
        }
        var denseLayers = hidden.map { ($0.weight, $0.bias, $0.width, $0.inputs) }
        denseLayers.append((outputWeight, outputBias, outputDim, hidden.last?.width ?? inputDim))
        for (index, (w, b, rows, cols)) in denseLayers.enumerated() {
            let std = config.initStd ?? (1 / Double(cols)).squareRoot()
            fill(w, rows * cols) { std * $0.normal() }
            if let b { fill(b, rows) { std * $0.normal() } }
            if index < hidden.count, let g = hidden[index].gamma, let beta = hidden[index].beta {
                fill(g, rows) { 1 + 0.1 * $0.normal() }
                fill(beta, rows) { 0.1 * $0.normal() }
            }
        }
        if config.outputShift != 0 {
            for i in outputWeight..<(outputWeight + outputDim * (hidden.last?.width ?? inputDim)) {
                theta[i] += config.outputShift
            }
            if let b = outputBias { for i in b..<(b + outputDim) { theta[i] += config.outputShift } }
        }
        return theta
    }
}
