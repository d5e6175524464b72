/// One optimizer: its update rule on the flat parameter vector and what that rule does to the
/// charges (THEORY.md §13). The simulator calls it once per step; each type loops over θ itself,
/// so there is no per-element dispatch.
protocol UpdateRule: AnyObject {
    /// The name in presets, recordings and `--optimizer`.
    static var name: String { get }
    /// How the header and the health mark spell it.
    static var title: String { get }
    /// Whether the rule reads β₂.
    static var usesBeta2: Bool { get }
    init(count: Int, settings: OptimizerSettings)
    /// Errors name the field and what this optimizer allows.
    static func validate(_ s: OptimizerSettings, momentum: Double) throws(ConfigError)
    /// The symmetry kinds whose charges follow an exact recursion under this rule.
    static func exactKinds(_ s: OptimizerSettings) -> Set<SymmetryKind>
    /// RMS angle per update of a scale group in rotational equilibrium, with its formula as a
    /// label; nil where the rule has none.
    static func equilibrium(_ live: LiveParameters, _ s: OptimizerSettings) -> (angle: Double, label: String)?
    /// Why the charges are not exact under this rule, for the model's notes; nil when they are.
    static func note(_ s: OptimizerSettings) -> String?

    /// The first moment (momentum buffer), carried as a gradient by teleports (THEORY.md §12.3).
    var buffer: UnsafeMutablePointer<Double> { get }
    /// A per-coordinate second moment, carried as a squared gradient.
    var second: UnsafeMutablePointer<Double>? { get }
    /// Per-layer learning-rate multipliers: coordinates in a run step with η·m (THEORY.md §13.8).
    var rates: RateRuns { get set }
    /// θ ← θ + Δ; `previous` receives the old θ. Returns Σθ² of the new θ.
    func update(
        theta: UnsafeMutablePointer<Double>, previous: UnsafeMutablePointer<Double>,
        grad: UnsafePointer<Double>, _ live: LiveParameters
    ) -> Double
    /// The charge recursion of the update just made, for a group whose coordinates all step with
    /// η·`factor` (THEORY.md §13, §13.8).
    func recursion(_ live: LiveParameters, factor: Double) -> ChargeRecursion
    /// The point θ_{k−1} whose displacement the next update continues, for restarting the
    /// predictions at θ_k (THEORY.md §12.4).
    func restartPoint(theta: UnsafePointer<Double>, into previous: UnsafeMutablePointer<Double>, count: Int)
}

/// The settings of an optimizer that are fixed for a run (β, η, λ are live).
public struct OptimizerSettings: Equatable, Sendable {
    public var beta2: Double
    public var nesterov: Bool
    public var dampening: Double
}

/// How one update moves every charge (THEORY.md §13):
/// Q_{k+1} = (1 + b − 2μ)Q_k − bQ_{k−1} + Q(Δ_k) + bQ(Δ_{k−1}), and (1 + b − μ) for a linear charge.
public struct ChargeRecursion: Equatable, Sendable {
    /// b: the weight of Q_k − Q_{k−1} and of Q(Δ_{k−1}).
    public var carry: Double
    /// μ: a quadratic charge loses 2μQ_k per update, a linear one μT_k.
    public var decay: Double
    /// The continuum oscillator's momentum and weight decay (THEORY.md §4.3).
    public var momentum: Double
    public var weightDecay: Double
    /// Nesterov's look-ahead (THEORY.md §13.2): the charge is exact only as a pair with y = B(θ, b),
    /// so the tracker propagates that pair with this update's η, β and λ instead of (13.1).
    public var lookahead = false

    /// The SGD identity of §3.1 without momentum, kept as the first-order prediction of the rules
    /// that precondition or take signs; the residual then measures the breaking (THEORY.md §5.5).
    static func firstOrder(_ live: LiveParameters) -> ChargeRecursion {
        ChargeRecursion(
            carry: 0, decay: live.learningRate * live.weightDecay, momentum: 0,
            weightDecay: live.weightDecay)
    }
}

/// An optimizer's name, one of the registered update rules.
public struct OptimizerKind: RawRepresentable, Hashable, CaseIterable, Codable, Sendable {
    public let rawValue: String

    /// The option list: adding an optimizer adds its type here and nowhere else.
    nonisolated(unsafe) static let registry: [any UpdateRule.Type] = [
        SGD.self, SGDW.self, Adam.self, AdamW.self, Lion.self,
    ]

    public init?(rawValue: String) {
        guard Self.registry.contains(where: { $0.name == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    init(_ rule: any UpdateRule.Type) { rawValue = rule.name }

    public static var allCases: [OptimizerKind] { registry.map(OptimizerKind.init) }

    var rule: any UpdateRule.Type { Self.registry.first { $0.name == rawValue }! }

    public var title: String { rule.title }

    /// Whether this optimizer keeps the charges of `kind` on an exact recursion.
    public func keepsExact(_ kind: SymmetryKind, _ s: OptimizerSettings) -> Bool { rule.exactKinds(s).contains(kind) }

    /// Whether it keeps every kind exact (no charge is broken by the optimizer itself).
    public func keepsAllExact(_ s: OptimizerSettings) -> Bool {
        rule.exactKinds(s).count == SymmetryKind.allCases.count
    }

    public func equilibrium(_ live: LiveParameters, _ s: OptimizerSettings) -> (angle: Double, label: String)? {
        rule.equilibrium(live, s)
    }
}

extension UpdateRule {
    /// The recursion of a group stepping with η itself (multiplier 1).
    func recursion(_ live: LiveParameters) -> ChargeRecursion { recursion(live, factor: 1) }
}

extension LiveParameters {
    /// The same step with learning rate η·m: what a layer with multiplier m sees.
    func scaled(_ m: Double) -> LiveParameters {
        var p = self
        p.learningRate *= m
        return p
    }
}

extension Config {
    public var optimizerSettings: OptimizerSettings {
        OptimizerSettings(beta2: beta2, nesterov: nesterov, dampening: dampening)
    }

    /// The RMS angle a scale group settles at under this run's optimizer (THEORY.md §13).
    public func equilibrium(_ live: LiveParameters) -> (angle: Double, label: String)? {
        optimizer.equilibrium(live, optimizerSettings)
    }
}

/// What the rules without an exact recursion share: no charge kind kept, the first-order
/// prediction, and no displacement to continue after a restart.
extension UpdateRule {
    static var usesBeta2: Bool { false }
    var second: UnsafeMutablePointer<Double>? { nil }
    static func exactKinds(_ s: OptimizerSettings) -> Set<SymmetryKind> { [] }
    func recursion(_ live: LiveParameters, factor: Double) -> ChargeRecursion { .firstOrder(live.scaled(factor)) }
    func restartPoint(theta: UnsafePointer<Double>, into previous: UnsafeMutablePointer<Double>, count: Int) {
        previous.update(from: theta, count: count)
    }
}

extension Config {
    /// The optimizer with the settings that change its rule: "SGD Nesterov", "SGD τ 0.5".
    public var optimizerName: String {
        optimizer.title + (nesterov ? " Nesterov" : "") + (dampening > 0 ? " τ \(dampening)" : "")
    }

    /// Another optimizer, dropping the Nesterov and dampening settings it does not accept.
    public mutating func switchOptimizer(to kind: OptimizerKind) {
        optimizer = kind
        if (try? kind.rule.validate(optimizerSettings, momentum: momentum)) == nil {
            nesterov = false
            dampening = 0
        }
    }

    /// As the header shows it: the name, and β₂ where the rule uses it.
    public var optimizerTitle: String { optimizerName + (optimizer.rule.usesBeta2 ? " β₂ \(beta2)" : "") }
}
