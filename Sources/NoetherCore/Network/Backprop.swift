/// Forward and backward passes of a model for a fixed batch size, on buffers allocated once
/// (no allocation per step). Each layer's derivative is written by hand in its own file, so
/// every one is visible and tested against finite differences.
public final class Backprop {
    public let arch: Architecture
    public let batch: Int
    let layers: [any Layer]
    /// Whether any layer below has parameters: otherwise ∂L/∂x is not needed.
    private let needsInputGradient: [Bool]
    private let outputs: [UnsafeMutablePointer<Double>]  // each layer's y
    private let scratch: [UnsafeMutablePointer<Double>]
    // ∂L/∂y of the layer being differentiated and ∂L/∂x it writes, swapped layer by layer.
    private let gradientA: UnsafeMutablePointer<Double>
    private let gradientB: UnsafeMutablePointer<Double>
    private var owned: [UnsafeMutablePointer<Double>] = []

    /// `fusingFirstConv: false` keeps a first conv layer apart from its block (FirstConvBlock),
    /// so a test can compare the two.
    init(arch: Architecture, batch: Int, fusingFirstConv: Bool) {
        self.arch = arch
        self.batch = batch
        let blocks = BatchNormReLUMaxPool.fusing(arch.layers)
        let layers = fusingFirstConv ? FirstConvBlock.fusing(blocks) : blocks
        self.layers = layers
        needsInputGradient = layers.indices.map { i in layers[..<i].contains { $0.holdsWeights } }
        func alloc(_ n: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        outputs = layers.map { alloc(batch * $0.output.size) }
        scratch = layers.map { alloc($0.scratchCount(batch: batch)) }
        let widest = layers.map { batch * max($0.input.size, $0.output.size) }.max() ?? 1
        gradientA = alloc(widest)
        gradientB = alloc(widest)
        owned = outputs + scratch + [gradientA, gradientB]
    }

    public convenience init(arch: Architecture, batch: Int) {
        self.init(arch: arch, batch: batch, fusingFirstConv: true)
    }

    deinit { for p in owned { p.deallocate() } }

    /// Mean over the last batch of the largest |output| (logit or prediction): the size of the
    /// numbers the loss is a difference of, which sets its rounding (THEORY.md §12.1).
    public var outputScale: Double {
        guard let last = outputs.last else { return 0 }
        let k = arch.outputDim
        var sum = 0.0
        for r in 0..<batch { sum += (0..<k).map { abs(last[r * k + $0]) }.max() ?? 0 }
        return sum / Double(batch)
    }

    public struct Result: Sendable {
        public var loss: Double
        public var correct: Int
    }

    /// Loss of the minibatch at θ and, when `grad` is given, its gradient ∂L/∂θ (loss only, no WD).
    /// `x` is batch × inputDim; `labels` (classification) or `targets` (batch × outputDim).
    @discardableResult
    public func run(
        theta: UnsafePointer<Double>, grad: UnsafeMutablePointer<Double>?,
        x: UnsafePointer<Double>, labels: UnsafePointer<Int>?, targets: UnsafePointer<Double>?
    ) -> Result {
        let pass = Pass(theta: theta, grad: grad, batch: batch)
        var input = x
        for (i, layer) in layers.enumerated() {
            layer.forward(input, outputs[i], scratch[i], pass)
            input = UnsafePointer(outputs[i])
        }
        var dy = gradientA, dx = gradientB
        let result = arch.head.evaluate(
            input, dy, outputs: arch.outputDim, batch: batch, labels: labels, targets: targets)
        guard grad != nil else { return result }
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            let below: UnsafePointer<Double> = i == 0 ? x : UnsafePointer(outputs[i - 1])
            layers[i].backward(below, outputs[i], dy, needsInputGradient[i] ? dx : nil, scratch[i], pass)
            swap(&dy, &dx)
        }
        return result
    }

    /// The last layer's outputs (the logits), batch × outputDim, at θ: a forward pass only.
    public func logits(theta: UnsafePointer<Double>, x: UnsafePointer<Double>) -> [Double] {
        let pass = Pass(theta: theta, grad: nil, batch: batch)
        var input = x
        for (i, layer) in layers.enumerated() {
            layer.forward(input, outputs[i], scratch[i], pass)
            input = UnsafePointer(outputs[i])
        }
        return Array(UnsafeBufferPointer(start: input, count: batch * arch.outputDim))
    }
}
