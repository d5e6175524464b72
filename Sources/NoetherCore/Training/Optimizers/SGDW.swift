/// SGD with decoupled weight decay (THEORY.md §13.3): b ← βb + (1−τ)g (b = g on the first step
/// and whenever β = 0), θ ← (1 − ηλ)θ − ηb. Weight decay bypasses the buffer.
final class SGDW: UpdateRule {
    static let name = "sgdw"
    static let title = "SGDW"
    let settings: OptimizerSettings
    let storage: Buffer
    var rates: RateRuns
    var buffer: UnsafeMutablePointer<Double> { storage.pointer }
    var count: Int { storage.count }
    private var steps = 0
    /// η and ηλ of the last update and of the one before.
    private var rate = 0.0, previousRate = 0.0, shrinkage = 0.0, previousShrinkage = 0.0

    init(count: Int, settings: OptimizerSettings) {
        self.settings = settings
        storage = Buffer(count)
        rates = .uniform(count)
    }

    static func validate(_ s: OptimizerSettings, momentum: Double) throws(ConfigError) {
        try validateDampening(s)
        if s.nesterov { throw ConfigError("nesterov", "is only for optimizer sgd, got sgdw") }
    }

    static func note(_ s: OptimizerSettings) -> String? { nil }
    static func exactKinds(_ s: OptimizerSettings) -> Set<SymmetryKind> { Set(SymmetryKind.allCases) }

    /// From (1 + b)⟨|Δ|²⟩ = 2μ⟨Q⟩ with b = β(1 − ηλ), μ = ηλ(1 − β) (§13.3).
    static func equilibrium(_ live: LiveParameters, _ s: OptimizerSettings) -> (angle: Double, label: String)? {
        let el = live.learningRate * live.weightDecay, beta = live.momentum
        return ((2 * el * (1 - beta) / (1 + beta * (1 - el))).squareRoot(), "√(2ηλ(1−β)/(1+β(1−ηλ)))")
    }

    func update(
        theta: UnsafeMutablePointer<Double>, previous: UnsafeMutablePointer<Double>,
        grad: UnsafePointer<Double>, _ live: LiveParameters
    ) -> Double {
        let beta = live.momentum
        let damping = steps == 0 || beta == 0 ? 1 : 1 - settings.dampening
        steps += 1
        previousRate = rate
        rate = live.learningRate
        previousShrinkage = shrinkage
        shrinkage = live.learningRate * live.weightDecay
        var norm2 = 0.0
        for run in rates.runs {
            let o = run.range.lowerBound, m = run.factor
            norm2 += momentumStep(
                nesterov: false, theta + o, previous + o, grad + o, buffer + o, run.range.count,
                eta: live.learningRate * m, coupled: 0, shrink: 1 - m * shrinkage, beta: beta, damping: damping)
        }
        return norm2
    }

    /// b = β'(1 − a), μ = ηλ − β'a with a = η_{k−1}λ_{k−1} (§13.3); no carry on the first step.
    /// With a multiplier m every a becomes m·a; β' does not change.
    func recursion(_ live: LiveParameters, factor: Double) -> ChargeRecursion {
        let carry = previousRate > 0 ? live.momentum * rate / previousRate : 0
        let a = factor * shrinkage, previousA = factor * previousShrinkage
        let decay = a - carry * previousA
        return ChargeRecursion(
            carry: carry * (1 - previousA), decay: decay, momentum: live.momentum,
            weightDecay: live.weightDecay * (1 - live.momentum))
    }

    /// θ_k = (1 − a)θ_{k−1} − η_{k−1}b_k, solved for θ_{k−1}.
    func restartPoint(theta: UnsafePointer<Double>, into previous: UnsafeMutablePointer<Double>, count: Int) {
        for run in rates.runs {
            let eta = rate * run.factor, scale = 1 / (1 - run.factor * shrinkage)
            for i in run.range { previous[i] = (theta[i] + eta * buffer[i]) * scale }
        }
    }
}

extension OptimizerKind {
    public static let sgdw = OptimizerKind(SGDW.self)
}
