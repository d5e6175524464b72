import Foundation
import Testing
@testable import NoetherCore

/// THEORY.md §13.2: under Nesterov momentum the tracker propagates the pair (Q, y), y = B(θ, b),
/// for quadratic charges and (T, Σb) for translation, so every symmetry kind is exact: the exact
/// residual stays at rounding (below `noether check`'s 1e-10, as heavy ball's does on the same path)
/// across changes of η, λ and β and after teleports.
@Suite("Nesterov exact")
struct NesterovExactTests {
    /// Every symmetry kind: batch-norm scale and rescale with softmax translation, layer-norm scale
    /// and translation, weight rescale without normalization, and linear balance.
    static let cases: [(String, Config)] = [
        ("bn-relu", config { $0.width = 16; $0.nesterov = true; $0.momentum = 0.9; $0.weightDecay = 5e-3 }),
        ("ln-relu", config { $0.width = 16; $0.norm = .layer; $0.depth = 1; $0.lr = 0.2; $0.nesterov = true
            $0.momentum = 0.9; $0.weightDecay = 1e-2 }),
        ("relu", config { $0.width = 16; $0.norm = .none; $0.nesterov = true; $0.momentum = 0.9; $0.weightDecay = 1e-2
            $0.outputShift = 0.5 }),
        ("linear balance", config { $0.arch = .linear; $0.norm = .none; $0.width = 8; $0.data = .teacher; $0.lr = 0.02
            $0.nesterov = true; $0.momentum = 0.9; $0.weightDecay = 1e-3 }),
    ]

    /// Worst exact residual per kind over 300 updates, with η, λ and β changed on the way.
    static func worst(_ c: Config, teleport: Teleport? = nil) throws -> (kinds: [SymmetryKind], worst: [SymmetryKind: Double]) {
        let sim = try Simulator(c)
        var worst: [SymmetryKind: Double] = [:]
        func observe() {
            for charge in sim.observation().charges where !charge.dead {
                worst[charge.symmetry] = max(worst[charge.symmetry] ?? 0, charge.residual)
            }
        }
        for k in 0..<300 {
            if k == 100 { try sim.set(LiveParameters(learningRate: c.lr / 3, momentum: 0.8, weightDecay: 2 * c.weightDecay)) }
            if k == 200 { try sim.set(LiveParameters(learningRate: c.lr, momentum: 0.95, weightDecay: c.weightDecay)) }
            if k == 150, let teleport { try sim.teleport(teleport) }
            try sim.advance()
            observe()
        }
        return (sim.symmetries.kinds, worst)
    }

    @Test(arguments: cases.map(\.0))
    func everyKindIsExact(_ name: String) throws {
        let c = Self.cases.first { $0.0 == name }!.1
        let (kinds, worst) = try Self.worst(c)
        #expect(Set(worst.keys) == Set(kinds), "\(name): kinds \(worst.keys) vs \(kinds)")
        for (kind, residual) in worst.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            print("nesterov \(name) \(kind.rawValue): worst residual \(residual)")
            #expect(residual < CheckSuite.exactTolerance, "\(name) \(kind): \(residual)")
        }
        // Heavy ball on the same path, for scale: its residuals are the rounding floor of (13.1).
        var heavy = c
        heavy.nesterov = false
        for (kind, residual) in try Self.worst(heavy).worst.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            print("heavy ball \(name) \(kind.rawValue): worst residual \(residual)")
        }
    }

    /// A teleport mid-run restarts the pair from the carried buffer (§12.4) and stays exact.
    @Test func exactAfterTeleports() throws {
        let bn = Self.cases[0].1, ln = Self.cases[1].1, linear = Self.cases[3].1
        for (c, t) in [(bn, Teleport(family: "fc1.scale", factor: 3)), (bn, Teleport(family: "bn1-fc2.rescale", factor: 0.5)),
                       (ln, Teleport(family: "fc1.translation", action: .shift, factor: 0.7)),
                       (linear, Teleport(family: "fc1-fc2.balance", action: .rotate))] {
            let (_, worst) = try Self.worst(c, teleport: t)
            for (kind, residual) in worst {
                #expect(residual < CheckSuite.exactTolerance, "\(t.family) \(kind): \(residual)")
            }
        }
    }

    /// The optimizer no longer calls its charges broken: Nesterov keeps every kind exact.
    @Test func nesterovKeepsAllKinds() {
        let s = config { $0.nesterov = true; $0.momentum = 0.9 }.optimizerSettings
        #expect(OptimizerKind.sgd.keepsAllExact(s))
        #expect(SGD.note(s) == nil)
    }
}
