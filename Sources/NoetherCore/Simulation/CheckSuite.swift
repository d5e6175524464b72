/// The fixed suite behind `noether check`: small configurations that together cover every
/// symmetry kind, every optimizer, momentum and weight decay on and off, a learning-rate change
/// and each normalization. Where the theory says the charges are exact, the worst residual
/// must stay under the tolerance; where something breaks the symmetry (Adam, AdamW, Lion, eps), the suite
/// checks that the breaking is seen.
public struct CheckCase: Sendable {
    public var name: String
    public var config: Config
    public var schedule: [ScheduledChange]
    /// nil: exact; otherwise why the identity is expected to fail.
    public var brokenBy: String?
}

public struct CheckRow: Sendable {
    public var configuration: String
    public var symmetry: SymmetryKind
    public var groups: Int
    public var steps: Int
    public var worstResidual: Double
    public var continuumError: Double
    public var expectation: String
    public var passed: Bool
}

public enum CheckSuite {
    public static let exactTolerance = 1e-10
    /// A broken symmetry must show a residual at least this large, or the health light would lie.
    public static let brokenFloor = 1e-8
    public static let steps = 300

    public static var cases: [CheckCase] {
        func c(_ f: (inout Config) -> Void) -> Config { var x = Config(); x.width = 16; f(&x); return x }
        return [
            CheckCase(name: "bn-relu sgd", config: c { $0.momentum = 0; $0.weightDecay = 0 }, schedule: []),
            CheckCase(name: "bn-relu momentum+wd", config: c { $0.momentum = 0.9; $0.weightDecay = 5e-3 }, schedule: []),
            CheckCase(name: "bn-relu lr change", config: c { $0.momentum = 0.9; $0.weightDecay = 1e-3 },
                      schedule: [ScheduledChange(step: 100, learningRate: 0.03), ScheduledChange(step: 200, learningRate: 0.2, weightDecay: 5e-3)]),
            CheckCase(name: "leaky-relu wd", config: c { $0.norm = .none; $0.arch = .leakyRelu; $0.momentum = 0; $0.weightDecay = 1e-2 }, schedule: []),
            CheckCase(name: "relu momentum", config: c { $0.norm = .none; $0.momentum = 0.9; $0.weightDecay = 1e-2; $0.outputShift = 0.5 }, schedule: []),
            CheckCase(name: "ln-relu momentum+wd", config: c { $0.norm = .layer; $0.depth = 1; $0.lr = 0.2; $0.weightDecay = 1e-2 }, schedule: []),
            CheckCase(name: "ln-tanh sgd", config: c { $0.norm = .layer; $0.arch = .tanh; $0.momentum = 0; $0.weightDecay = 0 }, schedule: []),
            CheckCase(name: "linear balance sgd+wd", config: c { $0.arch = .linear; $0.norm = .none; $0.width = 8; $0.data = .teacher
                $0.bias = false; $0.lr = 0.05; $0.momentum = 0; $0.weightDecay = 1e-3 }, schedule: []),
            CheckCase(name: "linear balance momentum", config: c { $0.arch = .linear; $0.norm = .none; $0.width = 8; $0.data = .teacher
                $0.lr = 0.02; $0.momentum = 0.9; $0.weightDecay = 0 }, schedule: []),
            CheckCase(name: "bn-relu sgd dampening", config: c { $0.momentum = 0.9; $0.dampening = 0.3; $0.weightDecay = 5e-3 },
                      schedule: [ScheduledChange(step: 150, learningRate: 0.05)]),
            CheckCase(name: "bn-relu nesterov", config: c { $0.nesterov = true; $0.momentum = 0.9; $0.weightDecay = 5e-3 },
                      schedule: [ScheduledChange(step: 150, learningRate: 0.05, momentum: 0.8)]),
            CheckCase(name: "ln-relu nesterov", config: c { $0.norm = .layer; $0.depth = 1; $0.nesterov = true; $0.momentum = 0.9
                $0.weightDecay = 1e-2 }, schedule: []),
            CheckCase(name: "linear balance nesterov", config: c { $0.arch = .linear; $0.norm = .none; $0.width = 8; $0.data = .teacher
                $0.lr = 0.02; $0.nesterov = true; $0.momentum = 0.9; $0.weightDecay = 1e-3 }, schedule: []),
            CheckCase(name: "ln-relu sgdw", config: c { $0.optimizer = .sgdw; $0.norm = .layer; $0.depth = 1; $0.momentum = 0.9
                $0.weightDecay = 5e-2 }, schedule: [ScheduledChange(step: 150, learningRate: 0.05, momentum: 0.5)]),
            CheckCase(name: "bn-relu adamw", config: c { $0.optimizer = .adamw; $0.lr = 1e-2; $0.weightDecay = 0.1 }, schedule: [],
                      brokenBy: "AdamW"),
            CheckCase(name: "bn-relu lion", config: c { $0.optimizer = .lion; $0.lr = 1e-3; $0.weightDecay = 1 }, schedule: [],
                      brokenBy: "Lion"),
            CheckCase(name: "bn-relu adam", config: c { $0.optimizer = .adam; $0.lr = 1e-2; $0.weightDecay = 0 }, schedule: [],
                      brokenBy: "Adam"),
            CheckCase(name: "bn-relu eps=1e-3", config: c { $0.eps = 1e-3; $0.momentum = 0; $0.weightDecay = 0 }, schedule: [],
                      brokenBy: "batch-norm eps"),
        ]
    }

    /// Runs one case and returns a row per symmetry kind it has.
    public static func run(_ check: CheckCase) throws -> [CheckRow] {
        let sim = try Simulator(check.config)
        var worst: [SymmetryKind: Double] = [:]
        var continuum: [SymmetryKind: Double] = [:]
        var groups: [SymmetryKind: Int] = [:]
        var pending = check.schedule[...]
        func observe() {
            for c in sim.observation(includeCharges: true).charges where !c.dead {
                worst[c.symmetry] = max(worst[c.symmetry] ?? 0, c.residual)
                continuum[c.symmetry] = max(continuum[c.symmetry] ?? 0, c.continuumError)
            }
        }
        for c in sim.observation().charges { groups[c.symmetry, default: 0] += 1 }
        observe()
        for _ in 0..<steps {
            try sim.applyDue(&pending)
            try sim.advance()
            observe()
        }
        return SymmetryKind.allCases.compactMap { kind in
            guard let w = worst[kind] else { return nil }
            // Translation is exact even under eps (it lives in the output layer).
            let broken = check.brokenBy != nil && !(check.brokenBy == "batch-norm eps" && kind != .scale)
            return CheckRow(
                configuration: check.name, symmetry: kind, groups: groups[kind] ?? 0, steps: steps,
                worstResidual: w, continuumError: continuum[kind] ?? 0,
                expectation: broken ? "broken by \(check.brokenBy!)" : "exact ≤ \(exactTolerance)",
                passed: broken ? w > brokenFloor : w <= exactTolerance)
        }
    }
}
