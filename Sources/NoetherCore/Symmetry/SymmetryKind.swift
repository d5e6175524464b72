/// The four kinds of continuous parameter symmetry noether tracks (THEORY.md §2), each with what
/// it means for the charge, the recursion, teleports, the glossary and the exported fields: a
/// new kind is a new case here, and the compiler lists every switch that must learn it.
public enum SymmetryKind: String, CaseIterable, Codable, Sendable {
    case translation, scale, rescale, balance

    /// Translation charges are linear in θ; the others are quadratic forms θᵀSθ.
    public var isLinear: Bool {
        switch self {
        case .translation: true
        case .scale, .rescale, .balance: false
        }
    }

    /// A balance charge is an n × n matrix (one group per hidden layer, not per neuron); the
    /// others are one number per group.
    public var isMatrix: Bool { self == .balance }

    /// Matrix charges are exported by their Frobenius norms, under names that say so.
    public var fieldSuffix: String { isMatrix ? "_frobenius" : "" }

    /// What weight decay removes per update, given the optimizer's decay μ (13.1): a quadratic
    /// charge loses 2μQ, a linear one μT.
    public func decayPerStep(_ mu: Double) -> Double { isLinear ? mu : 2 * mu }

    /// Whether the step's own size pushes the charge (kinetic forcing Q(Δ) + bQ(Δ₋₁), THEORY.md §7.1).
    /// A translation charge has none, so its gradient sum says nothing about whether the group is
    /// alive: dead and collapsed groups, the rates chart and the health count leave it out.
    public var isForced: Bool { !isLinear }

    /// The normalization view's quantities (η_eff, the angle per step, the RMSProp pair, §5.3) are
    /// those of a scale group: a sphere the weights move on.
    public var hasAngularStep: Bool { self == .scale }

    /// The teleport actions a family of this kind allows; the first is its default (THEORY.md §12).
    public var teleportActions: [Teleport.Action] {
        switch self {
        case .scale: [.scale, .steepest, .flattest]
        case .rescale: [.scale, .balance, .steepest, .flattest, .charge]
        // |∇L|² is constant along a translation orbit (the generator is constant), so there is
        // nothing for steepest ascent to find.
        case .translation: [.shift]
        case .balance: [.scale, .balance, .rotate, .steepest, .flattest]
        }
    }

    /// What the action `scale` by α does to a group of this kind, as the teleport menu says it.
    public var scaleActionLabel: String {
        switch self {
        case .scale, .translation: "weights ×"
        case .rescale: "in ×α, out ÷α,"
        case .balance: "G = αI,"
        }
    }

    /// The factor the action `scale` by α applies to one side of a group (sign −1: the incoming
    /// side of a rescale): a scale group moves as a whole, a rescale's two sides inversely.
    func scaleFactor(_ alpha: Double, sign: Double) -> Double {
        switch self {
        case .scale, .translation: alpha
        case .rescale, .balance: sign < 0 ? alpha : 1 / alpha
        }
    }

    /// The exported name of a group's gradient form (docs/FIELDS.md).
    public var gradientField: String {
        switch self {
        case .translation: "grad_sum"
        case .rescale: "grad_norm2_out_minus_in"
        case .scale: "grad_norm2"
        case .balance: "grad_trace_out_minus_in"
        }
    }

    /// The glossary's entry for the kind: its charge's symbol and what it is.
    public var glossary: (term: String, meaning: String) {
        switch self {
        case .translation:
            (
                "translation charge T",
                "Sum of weights that can all be shifted together without changing the loss, e.g. an output column under softmax (§2.1)."
            )
        case .scale:
            (
                "scale charge S",
                "Squared size |θ|² of weights whose size the loss ignores, e.g. a neuron's inputs before batch or group norm (§2.1)."
            )
        case .rescale:
            (
                "rescale charge R",
                "A ReLU neuron's |out|² − |in|²: scaling its inputs up and outputs down changes nothing; skips break it (§2.3)."
            )
        case .balance:
            (
                "balance matrix D",
                "W₂ᵀW₂ − W₁W₁ᵀ around a linear net's hidden layer, shown as its size ‖D‖; its diagonal holds the rescale charges (§6)."
            )
        }
    }
}
