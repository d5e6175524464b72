/// torch.optim.SGD (THEORY.md §13.1): d = g + λθ, buffer b ← βb + (1−τ)d (b = d on the first
/// step and whenever β = 0), θ ← θ − ηb, or θ ← θ − η(d + βb) with Nesterov.
final class SGD: UpdateRule {
    static let name = "sgd"
    static let title = "SGD"
    let settings: OptimizerSettings
    let storage: Buffer
    var rates: RateRuns
    var buffer: UnsafeMutablePointer<Double> { storage.pointer }
    var count: Int { storage.count }
    private var steps = 0
    /// η of the last update and of the one before, and the last update's dampening factor 1 − τ.
    private var rate = 0.0, previousRate = 0.0, damping = 1.0

    init(count: Int, settings: OptimizerSettings) {
        self.settings = settings
        storage = Buffer(count)
        rates = .uniform(count)
    }

    static func validate(_ s: OptimizerSettings, momentum: Double) throws(ConfigError) {
        try validateDampening(s)
        if s.nesterov, momentum <= 0 || s.dampening != 0 {
            throw ConfigError(
                "nesterov", "requires momentum > 0 and dampening 0, got momentum \(momentum), dampening \(s.dampening)")
        }
    }

    static func note(_ s: OptimizerSettings) -> String? { nil }

    /// Every kind: heavy ball and dampening by (13.1), Nesterov by its pair recursion (§13.2).
    static func exactKinds(_ s: OptimizerSettings) -> Set<SymmetryKind> { Set(SymmetryKind.allCases) }

    static func equilibrium(_ live: LiveParameters, _ s: OptimizerSettings) -> (angle: Double, label: String)? {
        let rate = 2 * live.learningRate * live.weightDecay, beta = live.momentum
        if s.nesterov {
            return (
                (rate * (1 + 2 * beta - 2 * beta * beta * beta) / (1 + beta)).squareRoot(), "√(2ηλ(1+2β−2β³)/(1+β))"
            )
        }
        let kept = beta > 0 ? 1 - s.dampening : 1
        return ((rate * kept / (1 + beta)).squareRoot(), s.dampening > 0 ? "√(2ηλ(1−τ)/(1+β))" : "√(2ηλ/(1+β))")
    }

    func update(
        theta: UnsafeMutablePointer<Double>, previous: UnsafeMutablePointer<Double>,
        grad: UnsafePointer<Double>, _ live: LiveParameters
    ) -> Double {
        let beta = live.momentum
        damping = steps == 0 || beta == 0 ? 1 : 1 - settings.dampening
        steps += 1
        previousRate = rate
        rate = live.learningRate
        let lambda = live.weightDecay
        var norm2 = 0.0
        for run in rates.runs {
            let o = run.range.lowerBound, n = run.range.count, eta = live.learningRate * run.factor
            norm2 +=
                settings.nesterov
                ? momentumStep(
                    nesterov: true, theta + o, previous + o, grad + o, buffer + o, n, eta: eta, coupled: lambda,
                    shrink: 1, beta: beta, damping: damping)
                : momentumStep(
                    nesterov: false, theta + o, previous + o, grad + o, buffer + o, n, eta: eta, coupled: lambda,
                    shrink: 1, beta: beta, damping: damping)
        }
        return norm2
    }

    /// (★) with β' = βη_k/η_{k−1} and μ = (1−τ)ηλ (§13.1); Nesterov's pair recursion with this
    /// update's η, β and λ (§13.2), which needs no carry across learning-rate changes.
    /// A multiplier m scales η in μ; β' is a ratio of η's and does not see it.
    func recursion(_ live: LiveParameters, factor: Double) -> ChargeRecursion {
        if settings.nesterov {
            return ChargeRecursion(
                carry: 0, decay: factor * rate * live.weightDecay, momentum: live.momentum,
                weightDecay: live.weightDecay, lookahead: true)
        }
        let carry = previousRate > 0 ? live.momentum * rate / previousRate : 0
        return ChargeRecursion(
            carry: carry, decay: damping * factor * rate * live.weightDecay, momentum: live.momentum,
            weightDecay: damping * live.weightDecay)
    }

    /// θ_{k−1} = θ_k + η_{k−1}b_k: the last displacement was −η_{k−1}b_k. Nesterov's pair restarts
    /// from θ_k and the carried buffer alone (§13.2).
    func restartPoint(theta: UnsafePointer<Double>, into previous: UnsafeMutablePointer<Double>, count: Int) {
        for run in rates.runs {
            let eta = settings.nesterov ? 0 : rate * run.factor
            for i in run.range { previous[i] = theta[i] + eta * buffer[i] }
        }
    }
}

extension OptimizerKind {
    public static let sgd = OptimizerKind(SGD.self)
}

/// τ of the momentum family, as torch.optim.SGD allows it.
func validateDampening(_ s: OptimizerSettings) throws(ConfigError) {
    guard s.dampening.isFinite, (0...1).contains(s.dampening) else {
        throw ConfigError("dampening", "must be in [0, 1], got \(s.dampening)")
    }
}

/// One pass of the momentum family: d = g + coupled·θ, b ← βb + damping·d, θ ← shrink·θ − η·step
/// with step = b, or d + βb with Nesterov. Inlined so each call site's constants fold away.
/// Returns |θ|² for the caller's finiteness check, summed in four interleaved lanes: a serial sum
/// makes every element wait for the previous addition. Where that sum is not comfortably finite,
/// the serial sum in index order decides, so the check says what a serial sum would.
@inline(__always)
func momentumStep(
    nesterov: Bool, _ theta: UnsafeMutablePointer<Double>, _ previous: UnsafeMutablePointer<Double>,
    _ grad: UnsafePointer<Double>, _ buffer: UnsafeMutablePointer<Double>, _ count: Int,
    eta: Double, coupled: Double, shrink: Double, beta: Double, damping: Double
) -> Double {
    @inline(__always) func step(_ i: Int) -> Double {
        let t = theta[i]
        previous[i] = t
        let d = grad[i] + coupled * t
        let b = beta * buffer[i] + damping * d
        buffer[i] = b
        let next = shrink * t - eta * (nesterov ? d + beta * b : b)
        theta[i] = next
        return next
    }
    // The same operations four coordinates at a time (each lane computes what step(i) does).
    var lanes = SIMD4<Double>.zero, i = 0
    while i + 4 <= count {
        let t = theta.lanes(i)
        previous.setLanes(i, t)
        let d = grad.lanes(i) + coupled * t
        let b = beta * buffer.lanes(i) + damping * d
        buffer.setLanes(i, b)
        let next = shrink * t - eta * (nesterov ? d + beta * b : b)
        theta.setLanes(i, next)
        lanes += next * next
        i += 4
    }
    var norm2 = lanes.sum()
    while i < count { let next = step(i); norm2 += next * next; i += 1 }
    guard !(norm2 < 1e300) else { return norm2 }
    norm2 = 0
    for j in 0..<count { norm2 += theta[j] * theta[j] }
    return norm2
}
