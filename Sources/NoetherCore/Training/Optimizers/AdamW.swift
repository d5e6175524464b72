/// torch.optim.AdamW (THEORY.md §13.5): θ ← (1 − ηλ)θ, then Adam's step on the loss gradient
/// alone.
final class AdamW: MomentRule {
    static let name = "adamw"
    static let title = "AdamW"
    let moments: AdamMoments
    init(moments: AdamMoments) { self.moments = moments }
    static func note(_ s: OptimizerSettings) -> String? {
        "AdamW's decoupled decay keeps the charges, but its preconditioned step breaks every one at first order in the learning rate (THEORY.md §13.5)"
    }

    static func equilibrium(_ live: LiveParameters, _ s: OptimizerSettings) -> (angle: Double, label: String)? {
        let beta = live.momentum
        return (
            (2 * live.learningRate * live.weightDecay * (1 - beta) / (1 + beta)).squareRoot(), "≈√(2ηλ(1−β₁)/(1+β₁))"
        )
    }

    func update(
        theta: UnsafeMutablePointer<Double>, previous: UnsafeMutablePointer<Double>,
        grad: UnsafePointer<Double>, _ live: LiveParameters
    ) -> Double {
        moments.step(theta, previous, grad, live, coupled: 0, decoupled: live.weightDecay)
    }
}

extension OptimizerKind {
    public static let adamw = OptimizerKind(AdamW.self)
}
