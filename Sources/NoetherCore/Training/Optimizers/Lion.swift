/// Lion (Chen et al. 2023; THEORY.md §13.6): u = sign(β₁m + (1−β₁)g), θ ← (1 − ηλ)θ − ηu,
/// m ← β₂m + (1−β₂)g. β₁ is the run's momentum.
final class Lion: UpdateRule {
    static let name = "lion"
    static let title = "Lion"
    static let usesBeta2 = true
    let beta2: Double
    let storage: Buffer
    var rates: RateRuns
    var buffer: UnsafeMutablePointer<Double> { storage.pointer }

    init(count: Int, settings: OptimizerSettings) {
        beta2 = settings.beta2
        storage = Buffer(count)
        rates = .uniform(count)
    }

    static func validate(_ s: OptimizerSettings, momentum: Double) throws(ConfigError) {
        try AdamMoments.validate(s, name)
    }
    static func note(_ s: OptimizerSettings) -> String? {
        "Lion steps by the sign of its momentum, which breaks every charge at first order in the learning rate (THEORY.md §13.6)"
    }

    static func equilibrium(_ live: LiveParameters, _ s: OptimizerSettings) -> (angle: Double, label: String)? {
        let b1 = live.momentum, b2 = s.beta2
        let memory = (1 - b1) * (1 - b1) + b1 * b1 * (1 - b2) / (1 + b2)
        return (
            (Double.pi / 2 * 2 * live.learningRate * live.weightDecay * memory).squareRoot(),
            "≈√(π/2·2ηλ·((1−β₁)²+β₁²(1−β₂)/(1+β₂)))"
        )
    }

    func update(
        theta: UnsafeMutablePointer<Double>, previous: UnsafeMutablePointer<Double>,
        grad: UnsafePointer<Double>, _ live: LiveParameters
    ) -> Double {
        let b1 = live.momentum, b2 = beta2
        let m = buffer
        var norm2 = 0.0
        for run in rates.runs {
            let eta = live.learningRate * run.factor, shrink = 1 - eta * live.weightDecay
            for i in run.range {
                let t = theta[i]
                previous[i] = t
                let g = grad[i]
                let c = b1 * m[i] + (1 - b1) * g
                // torch.sign: 0 stays 0.
                let u: Double = c > 0 ? 1 : (c < 0 ? -1 : 0)
                m[i] = b2 * m[i] + (1 - b2) * g
                let next = shrink * t - eta * u
                theta[i] = next
                norm2 += next * next
            }
        }
        return norm2
    }
}

extension OptimizerKind {
    public static let lion = OptimizerKind(Lion.self)
}
