import Foundation
import Testing
@testable import NoetherCore

/// Symmetry teleports (THEORY.md §12): the loss does not move, the charges jump by what the
/// action predicts, and the exact identities hold again from the next update on.
@Suite("Symmetry teleports")
struct TeleportTests {
    /// Every model kind the engine has, with momentum and weight decay so the buffer is not zero.
    static let models: [(String, Config)] = [
        (
            "bn-relu",
            config {
                $0.arch = .relu; $0.norm = .batch; $0.width = 12
            }
        ),
        (
            "ln-relu",
            config {
                $0.arch = .relu; $0.norm = .layer; $0.width = 12
            }
        ),
        (
            "relu",
            config {
                $0.arch = .relu; $0.norm = .none; $0.width = 12
            }
        ),
        (
            "leaky",
            config {
                $0.arch = .leakyRelu; $0.norm = .none; $0.width = 12
            }
        ),
        // Width 3 = the teacher's 3 outputs, so both balance groups can be balanced exactly.
        (
            "linear",
            config {
                $0.arch = .linear; $0.norm = .none; $0.width = 3; $0.bias = false; $0.data = .teacher; $0.lr = 0.05
            }
        ),
        (
            "linear-bias",
            config {
                $0.arch = .linear; $0.norm = .none; $0.width = 3; $0.data = .teacher; $0.lr = 0.05
            }
        ),
        (
            "tanh",
            config {
                $0.arch = .tanh; $0.norm = .none; $0.width = 12
            }
        ),
    ]

    static func model(_ name: String) -> Config { models.first { $0.0 == name }!.1 }

    /// Every family of the model with every action it allows, with a factor where one is needed.
    static func teleports(_ sim: Simulator) -> [Teleport] {
        let families = sim.observation().families
        var out: [Teleport] = []
        for f in families {
            for action in f.symmetry.teleportActions {
                switch action {
                case .scale:
                    out += [
                        Teleport(family: f.family, factor: 2.7),
                        Teleport(family: f.family, action: .scale, factor: 0.3),
                    ]
                case .shift: out.append(Teleport(family: f.family, factor: -0.8))
                case .balance, .rotate: out.append(Teleport(family: f.family, action: action))
                case .steepest: out.append(Teleport(family: f.family, action: action))
                case .charge: out.append(Teleport(family: f.family, action: .charge, factor: -0.7))
                // Dozens of Hessian eigenvalue searches each: FlattestTeleportTests covers it on small models.
                case .flattest: break
                }
            }
        }
        return out
    }

    /// A run moved away from its start (nonzero momentum buffer, charges off their initial values).
    static func running(_ c: Config, steps: Int = 20) throws -> Simulator {
        let sim = try Simulator(c)
        for _ in 0..<steps { try sim.advance() }
        return sim
    }

    @Test(arguments: models.map(\.0))
    func lossIsUnchangedByEveryTeleport(_ name: String) throws {
        let probe = try Simulator(Self.model(name))
        let all = Self.teleports(probe)
        #expect(!all.isEmpty)
        if name == "tanh" { #expect(Set(all.map(\.family)) == ["fc3.translation"]) }
        for t in all {
            let sim = try Self.running(Self.model(name))
            let (before, after) = try sim.teleport(t)
            #expect(sim.loss == after)
            #expect(relative(after, before) <= 1e-12, "\(name) \(t): \(before) → \(after)")
        }
    }

    /// §12.1's bound: a teleport changes the loss only by rounding of the outputs it is computed from,
    /// |ΔL| ≤ 4u·Z·(1 + √L) with u = 2⁻⁵³ and Z the mean largest |output|, at every loss, on every model.
    @Test(arguments: models.map(\.0))
    func lossChangeIsWithinTheRoundingBound(_ name: String) throws {
        let u = Double.ulpOfOne / 2
        var worst = 0.0, worstRelative = (0.0, 0.0)
        for steps in [20, 400] {
            let all = Self.teleports(try Simulator(Self.model(name)))
            for t in all {
                let sim = try Self.running(Self.model(name), steps: steps)
                let scaleBefore = sim.outputScale
                let (before, after) = try sim.teleport(t)
                let bound = 4 * u * max(scaleBefore, sim.outputScale) * (1 + before.squareRoot())
                worst = max(worst, abs(after - before) / bound)
                if abs(after - before) / before > worstRelative.0 {
                    worstRelative = (abs(after - before) / before, before)
                }
                #expect(
                    abs(after - before) <= bound, "\(name) \(t) at step \(steps): \(before) → \(after), bound \(bound)")
            }
        }
        print(
            "teleport loss change \(name): worst |ΔL| / bound \(worst), worst relative \(worstRelative.0) at loss \(worstRelative.1)"
        )
    }

    /// Σθ² of a group's incoming (sign −1) and outgoing (+1) sides, from the flat parameters.
    static func sides(_ g: SymmetryGroup, _ theta: [Double]) -> (
        incoming: Double, outgoing: Double, sum: Double, count: Int
    ) {
        var incoming = 0.0, outgoing = 0.0, sum = 0.0, count = 0
        for s in g.segments {
            for i in 0..<s.count {
                let x = theta[s.offset + i * s.stride]
                if s.sign < 0 { incoming += x * x } else { outgoing += x * x }
                sum += x
                count += 1
            }
        }
        return (incoming, outgoing, sum, count)
    }

    /// Each group's charge jumps to what its action predicts: scale α²Q, rescale |out|²/α² − α²|in|²,
    /// translation Q + c·n. Groups sharing no parameter with the family keep their charge; groups
    /// that share some (a layer-norm layer's column sums, the next layer's rescale) are measured anew.
    @Test(arguments: [
        ("bn-relu", "fc1.scale", 2.5), ("ln-relu", "fc1.scale", 0.4), ("bn-relu", "bn2-fc3.rescale", 1.7),
        ("relu", "fc1-fc2.rescale", 0.6), ("leaky", "fc2-fc3.rescale", 3.0), ("linear-bias", "fc1-fc2.rescale", 1.9),
        ("tanh", "fc3.translation", 0.7), ("ln-relu", "fc1.translation", -1.2), ("relu", "fc3.translation", 2.0),
    ])
    func chargesJumpAsPredicted(_ name: String, _ family: String, _ factor: Double) throws {
        let sim = try Self.running(Self.model(name))
        let before = sim.observation(), theta = sim.flatParameters
        try sim.teleport(Teleport(family: family, factor: factor))
        let after = sim.observation(), moved = sim.flatParameters
        let touched = Set(sim.symmetries.groups.filter { $0.family == family }.flatMap(Self.indices))
        var jumped = 0
        for (i, g) in sim.symmetries.groups.enumerated() {
            let old = before.charges[i].value, new = after.charges[i]
            let side = Self.sides(g, theta)
            let expected: Double
            if g.family == family {
                jumped += 1
                switch g.kind {
                case .scale: expected = factor * factor * old
                case .rescale: expected = side.outgoing / (factor * factor) - factor * factor * side.incoming
                case .translation: expected = old + factor * Double(side.count)
                case .balance: expected = .nan
                }
            } else if touched.isDisjoint(with: Self.indices(g)) {
                expected = old
            } else {
                expected = Self.charge(g, moved)
            }
            #expect(
                relative(new.value, expected, scale: new.magnitude) < 1e-13, "\(g.name): \(new.value) vs \(expected)")
            // Every prediction restarts at the new value.
            #expect(
                new.predicted == new.value && new.reference == new.value && new.continuum == new.value
                    && new.ksbGap == 0)
        }
        #expect(jumped > 0)
    }

    static func indices(_ g: SymmetryGroup) -> [Int] {
        g.segments.flatMap { s in (0..<s.count).map { s.offset + $0 * s.stride } }
    }

    /// A group's charge computed from θ (THEORY.md §2): Σθ for translation, signed Σθ² otherwise.
    static func charge(_ g: SymmetryGroup, _ theta: [Double]) -> Double {
        let s = sides(g, theta)
        return g.kind == .translation ? s.sum : s.outgoing - s.incoming
    }

    @Test func oneGroupOnly() throws {
        let sim = try Self.running(Self.model("bn-relu"))
        let before = sim.observation()
        try sim.teleport(Teleport(family: "fc1.scale", group: "fc1.scale[3]", factor: 3))
        let after = sim.observation()
        for (a, b) in zip(before.charges, after.charges) {
            #expect(relative(b.value, a.group == "fc1.scale[3]" ? 9 * a.value : a.value) < 1e-14, "\(a.group)")
        }
    }

    /// Under Adam the first moment is carried like a gradient and the second like a squared one
    /// (THEORY.md §12): the loss is unchanged and training goes on.
    @Test func adamBuffersFollowTheTeleport() throws {
        var c = Self.model("bn-relu")
        c.optimizer = .adam
        c.lr = 1e-3
        let sim = try Self.running(c)
        let (before, after) = try sim.teleport(Teleport(family: "bn1-fc2.rescale", factor: 2.5))
        #expect(relative(after, before) <= 1e-12)
        try sim.advance()
        #expect(sim.loss.isFinite)
    }

    /// Balance makes every rescale charge |out|² − |in|² zero, and the linear balance matrix D zero.
    @Test(arguments: ["relu", "leaky", "bn-relu", "linear", "linear-bias"])
    func balanceZeroesTheCharges(_ name: String) throws {
        let sim = try Self.running(Self.model(name))
        let families = sim.observation().families.filter { $0.symmetry == .rescale || $0.symmetry == .balance }
        #expect(!families.isEmpty)
        for f in families {
            try sim.teleport(Teleport(family: f.family, action: .balance))
            for c in sim.observation().charges where c.family == f.family {
                #expect(abs(c.value) < 1e-12 * c.magnitude, "\(c.group): \(c.value) of \(c.magnitude)")
            }
        }
    }

    /// A rotation G: D → G D Gᵀ keeps ‖D‖_F; the diagonal (the rescale charges) changes.
    @Test func rotationKeepsTheBalanceNorm() throws {
        let sim = try Self.running(Self.model("linear-bias"))
        let before = sim.observation()
        try sim.teleport(Teleport(family: "fc1-fc2.balance", action: .rotate))
        let after = sim.observation()
        let norm = { (o: Observation) in o.charges.first { $0.group == "fc1-fc2.balance" }!.value }
        #expect(relative(norm(after), norm(before)) < 1e-13)
        let diagonal = { (o: Observation) in o.charges.filter { $0.family == "fc1-fc2.rescale" }.map(\.value) }
        #expect(zip(diagonal(before), diagonal(after)).allSatisfy { relative($0, $1) > 1e-6 })
    }

    /// A balance group whose W_{l+1}ᵀW_{l+1} is singular (fewer outputs than neurons) cannot be balanced.
    @Test func singularBalanceIsRefused() throws {
        var c = Self.model("linear")
        c.width = 6
        let sim = try Self.running(c)
        let theta = sim.flatParameters
        #expect(throws: ConfigError.self) { try sim.teleport(Teleport(family: "fc2-fc3.balance", action: .balance)) }
        #expect(sim.flatParameters == theta, "a refused teleport leaves θ alone")
    }

    /// Steepest ascent raises |∇L|² on the minibatch and stays within its bound.
    @Test(arguments: [("bn-relu", "fc1.scale"), ("relu", "fc1-fc2.rescale"), ("linear", "fc1-fc2.balance")])
    func steepestRaisesTheGradientNorm(_ name: String, _ family: String) throws {
        let sim = try Self.running(Self.model(name))
        let norm2 = { sim.flatGradient.reduce(0) { $0 + $1 * $1 } }
        let before = norm2(), theta = sim.flatParameters
        try sim.teleport(Teleport(family: family, action: .steepest, factor: 2))
        #expect(norm2() > before * 1.01, "\(before) → \(norm2())")
        let ratios = zip(sim.flatParameters, theta).filter { $1 != 0 }.map { abs($0 / $1) }
        #expect(ratios.allSatisfy { $0 >= 0.5 * (1 - 1e-12) && $0 <= 2 * (1 + 1e-12) })
    }

    /// Across a teleport the exact prediction restarts and stays exact: residuals below 1e-10 for
    /// the next 50 updates, with momentum, weight decay, and a learning-rate change at the same step.
    @Test(arguments: models.map(\.0))
    func identitiesHoldAfterATeleport(_ name: String) throws {
        for t in Self.teleports(try Simulator(Self.model(name))) {
            let sim = try Self.running(Self.model(name), steps: 30)
            var live = sim.live
            live.learningRate *= 0.7
            try sim.set(live)
            try sim.teleport(t)
            var worst = 0.0
            for _ in 0..<50 {
                try sim.advance()
                for c in sim.observation().charges { worst = max(worst, c.residual) }
            }
            #expect(worst < 1e-10, "\(name) \(t): worst residual \(worst)")
        }
    }

    @Test func presetsReadAndWriteTeleports() throws {
        let text = """
            title = "t"
            steps = 10
            [[at]]
            step = 3
            lr = 0.05
            teleport = { family = "fc1.scale", factor = 4 }
            [[at]]
            step = 3
            teleport = { group = "bn2-fc3.rescale[1]", action = "balance" }
            [[at]]
            step = 5
            teleport = { family = "fc2.scale", action = "steepest", factor = 2.0 }
            """
        let p = try Preset.parse(text, name: "t", file: "t.toml")
        #expect(p.schedule.count == 2)
        #expect(
            p.schedule[0].teleports == [
                Teleport(family: "fc1.scale", factor: 4),
                Teleport(family: "bn2-fc3.rescale", group: "bn2-fc3.rescale[1]", action: .balance),
            ])
        #expect(p.schedule[0].changesParameters && p.schedule[0].movesParameters)
        let back = try Preset.parse(p.toml(), name: "t", file: "t.toml")
        #expect(back == p, "\(p.toml())")
    }

    @Test(arguments: [
        (
            "teleport = { family = \"fc9.scale\", factor = 2.0 }",
            "t.toml:4: teleport: no family 'fc9.scale' in this model; its families: fc1.scale, bn1-fc2.rescale, fc2.scale, bn2-fc3.rescale, fc3.translation"
        ),
        (
            "teleport = { family = \"fc1.scale\", action = \"balance\" }",
            "t.toml:4: teleport: action 'balance' does not apply to fc1.scale (a scale family); allowed: scale, steepest, flattest"
        ),
        (
            "teleport = { family = \"fc3.translation\", action = \"jump\" }",
            "t.toml:4: teleport: unknown action 'jump'; actions: scale, shift, balance, rotate, steepest, flattest, charge"
        ),
        (
            "teleport = { family = \"fc1.scale\" }",
            "t.toml:4: teleport: action 'scale' needs factor = α, a number in [1e-6, 1e6], got none"
        ),
        (
            "teleport = { group = \"fc1.scale[32]\", factor = 2.0 }",
            "t.toml:4: teleport: no group 'fc1.scale[32]' in fc1.scale; its groups: fc1.scale[0] … fc1.scale[31]"
        ),
        (
            "teleport = { family = \"fc1.scale\", size = 2 }",
            "t.toml:4: teleport: unknown key 'size'; allowed: family, group, action, factor"
        ),
        (
            "teleport = \"fc1.scale\"",
            "t.toml:4: teleport: must be an inline table like { family = \"fc1.scale\", factor = 2.0 }, got a string"
        ),
        (
            "teleport = { family = \"fc3.translation\", action = \"shift\", factor = 1e9 }",
            "t.toml:4: teleport: action 'shift' needs factor = c, the constant added, within ±1e6, got 1000000000.0"
        ),
    ])
    func badTeleportsNameFileLineAndWhatIsAllowed(_ line: String, _ message: String) {
        #expect(throws: PresetError.self) {
            try Preset.parse("title = \"t\"\n[[at]]\nstep = 1\n\(line)\n", name: "t", file: "t.toml")
        }
        do { _ = try Preset.parse("title = \"t\"\n[[at]]\nstep = 1\n\(line)\n", name: "t", file: "t.toml") } catch {
            #expect(error.description == message)
        }
    }

    /// A schedule applied through `applyDue`: the row of step k shows the teleported charges and
    /// the same loss as the run without the teleport; a recording of it replays bit for bit.
    @Test func scheduledTeleportShowsInItsRowAndReplays() throws {
        var preset = try PresetLibrary.load("bn-equilibrium")
        preset.config.steps = 40
        preset.schedule = [ScheduledChange(step: 20, teleports: [Teleport(family: "fc1.scale", factor: 4)])]
        func run(_ p: Preset) throws -> [Observation] {
            let sim = try Simulator(p.config)
            var pending = p.schedule[...]
            var rows: [Observation] = []
            for k in 0...p.config.steps {
                try sim.applyDue(&pending)
                rows.append(sim.observation())
                if k < p.config.steps { try sim.advance() }
            }
            return rows
        }
        let plain = try run(Preset(name: "p", title: "p", description: "", config: preset.config))
        let moved = try run(preset)
        #expect(plain[19] == moved[19])
        #expect(relative(moved[20].loss, plain[20].loss) < 1e-12)
        let q = { (o: Observation) in o.families.first { $0.family == "fc1.scale" }!.mean }
        #expect(relative(q(moved[20]), 16 * q(plain[20])) < 1e-12)
        let replayed = try run(try Preset.parse(preset.toml(), name: "p", file: "p.toml"))
        #expect(replayed == moved)
    }
}
