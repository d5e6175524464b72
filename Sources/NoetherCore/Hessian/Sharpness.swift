/// Which batch's loss the sharpness is the Hessian of: the whole training set (gradient descent's
/// own loss, with batch norm's statistics over every sample), or the minibatch of the next update.
public enum SharpnessBatch: String, CaseIterable, Codable, Sendable {
    case full, minibatch
}

/// One measurement of the sharpness: the largest eigenvalues of the Hessian of the loss (without
/// weight decay) at θ_k, largest first (THEORY.md §16).
public struct SharpnessReading: Sendable, Equatable {
    public var step: Int
    /// λ₁ (and λ₂ when two were asked for).
    public var values: [Double]
    /// Largest Ritz residual ‖Hy − θy‖/|θ|: a bound on each value's relative error.
    public var residual: Double
    /// Hessian-vector products spent (two gradients each).
    public var products: Int

    public var top: Double { values[0] }
    public var second: Double? { values.count > 1 ? values[1] : nil }
}

/// Measures the sharpness of a simulator's model with Lanczos on central-difference Hessian-vector
/// products (THEORY.md §16). Owns its own forward/backward buffers, so a measurement never touches
/// the run's gradient, random stream or optimizer: a run measured and unmeasured is the same run.
final class SharpnessMeter {
    /// Products per measurement at most.
    static let maxProducts = 100
    let wanted: Int
    let tolerance: Double
    let batch: SharpnessBatch
    private let difference: GradientDifference
    private let x: UnsafeMutablePointer<Double>
    private let labels: UnsafeMutablePointer<Int>
    private let targets: UnsafeMutablePointer<Double>
    private let n: Int
    /// The last Ritz vectors: the next measurement starts from their sum, so a slowly moving top
    /// eigenvector is found again in a few products.
    private var warm: [[Double]] = []
    var lastVectors: [[Double]] { warm }
    private var rng: Xoshiro256

    /// The flattest teleport compares sharpness at nearby points, so it measures them tightly.
    static let teleportTolerance = 1e-8

    init(arch: Architecture, data: Dataset, minibatch: Int, config: Config, tolerance: Double? = nil) {
        wanted = tolerance == nil ? config.sharpnessTop : 1
        self.tolerance = tolerance ?? config.sharpnessTolerance
        batch = config.sharpnessBatch
        let rows = batch == .full ? data.count : minibatch
        difference = GradientDifference(backprop: Backprop(arch: arch, batch: rows))
        n = arch.parameterCount
        let x = UnsafeMutablePointer<Double>.allocate(capacity: max(1, rows * data.inputDim))
        let labels = UnsafeMutablePointer<Int>.allocate(capacity: max(1, rows))
        labels.initialize(repeating: 0, count: max(1, rows))
        let targets = UnsafeMutablePointer<Double>.allocate(capacity: max(1, rows * data.outputDim))
        targets.initialize(repeating: 0, count: max(1, rows * data.outputDim))
        (self.x, self.labels, self.targets) = (x, labels, targets)
        if batch == .full {
            data.inputs.withUnsafeBufferPointer { x.initialize(from: $0.baseAddress!, count: $0.count) }
            if data.task == .classification {
                data.labels.withUnsafeBufferPointer { labels.update(from: $0.baseAddress!, count: $0.count) }
            } else {
                data.targets.withUnsafeBufferPointer { targets.update(from: $0.baseAddress!, count: $0.count) }
            }
        }
        rng = Xoshiro256(seed: config.seed ^ 0x5348_4152_504E_4553)  // its own stream
    }

    deinit { x.deallocate(); labels.deallocate(); targets.deallocate() }

    /// The sharpness at θ; `minibatch` gives the current minibatch when measuring on it.
    func measure(step: Int, theta: UnsafePointer<Double>,
                 minibatch: (x: UnsafePointer<Double>, labels: UnsafePointer<Int>, targets: UnsafePointer<Double>)?)
        -> SharpnessReading
    {
        let rows = difference.backprop.batch
        if batch == .minibatch, let m = minibatch {
            x.update(from: m.x, count: rows * difference.backprop.arch.inputDim)
            labels.update(from: m.labels, count: rows)
            targets.update(from: m.targets, count: rows * difference.backprop.arch.outputDim)
        }
        var start = [Double](repeating: 0, count: n)
        if warm.isEmpty {
            for i in 0..<n { start[i] = rng.normal() }
        } else {
            // A little of a fresh direction too, so an eigenvector that was not among the last
            // top ones is not missed when it overtakes them.
            for i in 0..<n { start[i] = 1e-3 * rng.normal() }
            for v in warm { for i in 0..<n { start[i] += v[i] } }
        }
        let h = difference.step(theta)
        let result = Lanczos.top(wanted, dimension: n, start: start, tolerance: tolerance, maxIterations: Self.maxProducts) {
            v, out in
            difference.apply(theta: theta, v, out, h: h, x: x, labels: labels, targets: targets)
        }
        warm = result.vectors
        return SharpnessReading(step: step, values: result.values, residual: result.residual, products: result.iterations)
    }
}

extension Config {
    /// The largest sharpness at which the optimizer is stable on a quadratic (THEORY.md §16.3):
    /// 2(1 + β)/(η(1 − τ)) − λ for SGD with heavy-ball momentum β, dampening τ and coupled weight
    /// decay λ (2/η for plain gradient descent); nil for the other optimizers, which have no such line.
    public func stabilityLine(_ live: LiveParameters) -> Double? {
        guard optimizer == .sgd, !nesterov, dampening < 1 else { return nil }
        return 2 * (1 + live.momentum) / (live.learningRate * (1 - dampening)) - live.weightDecay
    }
}
