#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// torch.optim.Adam with L2 weight decay (THEORY.md §13.4): d = g + λθ, m ← β₁m + (1−β₁)d,
/// s ← β₂s + (1−β₂)d², θ ← θ − η·m̂/(√ŝ + ε), bias-corrected, ε = 1e-8.
final class Adam: MomentRule {
    static let name = "adam"
    static let title = "Adam"
    let moments: AdamMoments
    init(moments: AdamMoments) { self.moments = moments }
    static func note(_ s: OptimizerSettings) -> String? {
        "Adam preconditions the gradient, which breaks every charge at first order in the learning rate (THEORY.md §5.5)"
    }
    /// L2 decay passes through the preconditioner, so the balance depends on the gradients.
    static func equilibrium(_ live: LiveParameters, _ s: OptimizerSettings) -> (angle: Double, label: String)? { nil }

    func update(
        theta: UnsafeMutablePointer<Double>, previous: UnsafeMutablePointer<Double>,
        grad: UnsafePointer<Double>, _ live: LiveParameters
    ) -> Double {
        moments.step(theta, previous, grad, live, coupled: live.weightDecay, decoupled: 0)
    }
}

extension OptimizerKind {
    public static let adam = OptimizerKind(Adam.self)
}

/// The rules that keep their buffers in AdamMoments and read β₂ (Adam, AdamW, Lion's one moment).
protocol MomentRule: UpdateRule {
    var moments: AdamMoments { get }
    init(moments: AdamMoments)
}

extension MomentRule {
    init(count: Int, settings: OptimizerSettings) {
        self.init(moments: AdamMoments(count: count, beta2: settings.beta2))
    }
    var buffer: UnsafeMutablePointer<Double> { moments.first }
    var rates: RateRuns {
        get { moments.rates }
        set { moments.rates = newValue }
    }
    var second: UnsafeMutablePointer<Double>? { moments.second }
    static var usesBeta2: Bool { true }
    static func validate(_ s: OptimizerSettings, momentum: Double) throws(ConfigError) {
        try AdamMoments.validate(s, name)
    }
}

/// The two moments of the Adam family and their bias-corrected step.
final class AdamMoments {
    let count: Int
    let beta2: Double
    let epsilon = 1e-8
    private let storage: (first: Buffer, second: Buffer)
    var rates: RateRuns
    var first: UnsafeMutablePointer<Double> { storage.first.pointer }
    var second: UnsafeMutablePointer<Double> { storage.second.pointer }
    private var steps = 0

    init(count: Int, beta2: Double) {
        self.count = count
        self.beta2 = beta2
        storage = (Buffer(count), Buffer(count))
        rates = .uniform(count)
    }

    static func validate(_ s: OptimizerSettings, _ name: String) throws(ConfigError) {
        guard s.beta2 > 0, s.beta2 < 1 else { throw ConfigError("beta2", "must be in (0, 1), got \(s.beta2)") }
        if s.nesterov { throw ConfigError("nesterov", "is only for optimizer sgd, got \(name)") }
        if s.dampening != 0 { throw ConfigError("dampening", "is only for optimizers sgd and sgdw, got \(name)") }
    }

    /// d = g + coupled·θ; θ ← (1 − η'·decoupled)θ − η'·m̂/(√ŝ + ε), η' = η·m per run.
    func step(
        _ theta: UnsafeMutablePointer<Double>, _ previous: UnsafeMutablePointer<Double>, _ grad: UnsafePointer<Double>,
        _ live: LiveParameters, coupled: Double, decoupled: Double
    ) -> Double {
        steps += 1
        let b1 = live.momentum, b2 = beta2, eps = epsilon
        let m = first, s = second
        let c1 = 1 - pow(b1, Double(steps)), c2 = 1 - pow(b2, Double(steps))
        var norm2 = 0.0
        for run in rates.runs {
            let eta = live.learningRate * run.factor, shrink = 1 - eta * decoupled
            for i in run.range {
                let t = theta[i]
                previous[i] = t
                let d = grad[i] + coupled * t
                m[i] = b1 * m[i] + (1 - b1) * d
                s[i] = b2 * s[i] + (1 - b2) * d * d
                let next = shrink * t - eta * (m[i] / c1) / ((s[i] / c2).squareRoot() + eps)
                theta[i] = next
                norm2 += next * next
            }
        }
        return norm2
    }
}
