import Foundation
import Testing
@testable import NoetherCore

/// Per-layer learning-rate multipliers (`lr-scale`, THEORY.md §13.8): the schema reads and names
/// them, every optimizer steps each layer with η·m, and every charge stays on an exact recursion:
/// rescale and balance charges with each side divided by its multiplier.
@Suite("Per-layer learning rates")
struct LayerRatesTests {
    @Test func theSchemaReadsWritesAndIdentifiesThem() throws {
        let c = try Config.decoding(
            [TOMLEntry(key: "lr-scale", value: .string("fc2 = 0.5, fc1=2"), line: 3)], over: Config())
        #expect(c.lrScale == LayerRates(["fc1": 2, "fc2": 0.5]))
        #expect(Config.lines(c).contains("lr-scale = \"fc1=2.0,fc2=0.5\""))
        #expect(c.canonicalText.contains("lr-scale = \"fc1=2.0,fc2=0.5\"\n"))
        // A later key: run IDs of configurations without it are what they were.
        #expect(!Config().canonicalText.contains("lr-scale"))
        #expect(Config().canonicalText.contains("targets = 1\n"))
        #expect(c.arguments.contains("--lr-scale=fc1=2.0,fc2=0.5"))
        let back = try Config.decoding(
            [TOMLEntry(key: "lr-scale", value: .string(c.lrScale.description), line: 1)],
            over: Config())
        #expect(back.runID == c.runID)
    }

    @Test(arguments: [
        ("fc1", "lr-scale must be a string of layer=multiplier pairs"),
        ("fc1=two", "lr-scale must be a string of layer=multiplier pairs"),
        ("fc1=1,fc1=2", "lr-scale must be a string of layer=multiplier pairs"),
        ("fc1=inf", "lr-scale must be a string of layer=multiplier pairs"),
        ("fc1=nan", "lr-scale must be a string of layer=multiplier pairs"),
    ])
    func malformedTextIsNamed(_ text: String, _ message: String) {
        #expect(throws: ConfigEntryError.self) {
            try Config.decoding([TOMLEntry(key: "lr-scale", value: .string(text), line: 2)], over: Config())
        }
        do {
            _ = try Config.decoding([TOMLEntry(key: "lr-scale", value: .string(text), line: 2)], over: Config())
        } catch {
            #expect(error.message.hasPrefix(message), "\(error.message)")
            #expect(error.message.hasSuffix("got \"\(text)\""), "\(error.message)")
        }
    }

    @Test(arguments: [("fc1=0", "fc1=0.0"), ("fc2=-1", "fc2=-1.0"), ("fc1=2e6", "fc1=2000000.0")])
    func nonPositiveOrNonFiniteMultipliersAreRefused(_ text: String, _ named: String) throws {
        guard let rates = LayerRates(text) else { return #expect(Bool(false), "\(text) did not parse") }
        var c = Config()
        c.lrScale = rates
        #expect(throws: ConfigError.self) { try c.validate() }
        do { try c.validate() } catch {
            #expect(error.field == "lr-scale")
            #expect(error.message.contains(named) && error.message.contains("finite number in (0, 1e6]"), "\(error)")
        }
    }

    @Test func unknownLayersAreNamedWithTheModelsLayers() {
        var c = Config()
        c.lrScale = LayerRates(["fc9": 2])
        do {
            _ = try Simulator(c)
            Issue.record("fc9 accepted")
        } catch let error as ConfigError {
            #expect(error.field == "lr-scale")
            #expect(error.message == "unknown layer 'fc9'; this model's layers are fc1, bn1, fc2, bn2, fc3")
        } catch { Issue.record("\(error)") }
    }

    /// The first update of every optimizer moves a layer with multiplier m exactly m times as far
    /// (the buffers start empty, so the step is linear in η), and every other layer as before.
    @Test(arguments: OptimizerKind.allCases.map(\.rawValue))
    func everyOptimizerStepsEachLayerWithItsOwnRate(_ name: String) throws {
        var base = Config()
        base.optimizer = OptimizerKind(rawValue: name)!
        base.lr = 0.01
        base.weightDecay = 0.1
        var scaled = base
        scaled.lrScale = LayerRates(["fc1": 2.5, "bn2": 0.25])
        let (a, b) = (try Simulator(base), try Simulator(scaled))
        let start = a.parameters()
        try a.advance()
        try b.advance()
        var checked = 0
        for ((t, before), ((_, one), (_, two))) in zip(start, zip(a.parameters(), b.parameters())) {
            let m = scaled.lrScale[Tensor.layerName(t.name)]
            for i in before.indices where abs(one[i] - before[i]) > 1e-9 {
                let ratio = (two[i] - before[i]) / (one[i] - before[i])
                #expect(abs(ratio - m) < 1e-9 * m, "\(name) \(t.name)[\(i)]: ratio \(ratio), multiplier \(m)")
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    /// Models with a group of every kind, with multipliers that differ across each rescale and
    /// balance pair ("mixed" sides).
    static let mixed: [(String, Config)] = [
        (
            "bn-relu",
            config {
                $0.width = 16; $0.lrScale = LayerRates(["fc1": 2, "bn1": 0.5, "fc2": 3, "fc3": 0.7])
            }
        ),
        (
            "ln-relu",
            config {
                $0.width = 16; $0.norm = .layer; $0.depth = 1; $0.lr = 0.2; $0.weightDecay = 1e-2
                $0.lrScale = LayerRates(["ln1": 0.5, "fc2": 2])
            }
        ),
        (
            "relu",
            config {
                $0.width = 16; $0.norm = .none; $0.weightDecay = 1e-2; $0.outputShift = 0.5; $0.lr = 0.05
                $0.lrScale = LayerRates(["fc1": 2, "fc2": 0.5, "fc3": 1.5])
            }
        ),
        (
            "linear balance",
            config {
                $0.arch = .linear; $0.norm = .none; $0.width = 8; $0.data = .teacher; $0.lr = 0.02
                $0.weightDecay = 1e-3; $0.lrScale = LayerRates(["fc1": 3, "fc2": 0.5])
            }
        ),
    ]

    /// Heavy ball with coupled weight decay and dampening: every kind stays at rounding over 300
    /// updates that change η, λ and β, with each layer at its own rate.
    @Test(arguments: mixed.map(\.0), [0.0, 0.3])
    func heavyBallStaysExactWithMixedRates(_ name: String, _ dampening: Double) throws {
        var c = Self.mixed.first { $0.0 == name }!.1
        c.dampening = dampening
        let worst = try worstResiduals(c, momentum: 0.8)
        let kinds = try Simulator(c).symmetries.kinds
        #expect(Set(worst.keys) == Set(kinds))
        for (kind, residual) in worst.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            print("lr-scale \(name) τ \(dampening) \(kind.rawValue): worst residual \(residual)")
            #expect(residual < 1e-12, "\(name) \(kind): \(residual)")
        }
    }

    /// Without weighting the sides the same run is far from exact: the weights are what makes it so.
    @Test func theUnweightedChargeIsNotExact() throws {
        var c = Self.mixed.first { $0.0 == "relu" }!.1
        c.momentum = 0
        c.weightDecay = 0
        let sim = try Simulator(c)
        let family = "fc1-fc2.rescale"
        let group = sim.symmetries.groups.first { $0.family == family }!
        func unweighted() -> Double {
            let theta = sim.parameters().flatMap(\.values)
            var r = 0.0
            for s in group.segments {
                for i in 0..<s.count {
                    r += (s.sign > 0 ? 1 : -1) * theta[s.offset + i * s.stride] * theta[s.offset + i * s.stride]
                }
            }
            return r
        }
        let weighted0 = sim.observation().charges.first { $0.group == group.name }!.value
        let r0 = unweighted()
        for _ in 0..<200 { try sim.advance() }
        let charge = sim.observation().charges.first { $0.group == group.name }!
        // Plain SGD without decay: the weighted charge moves only by η²Q̃(g) per step (§13.8) …
        #expect(charge.residual < 1e-12)
        let weightedDrift = abs(charge.value - weighted0), unweightedDrift = abs(unweighted() - r0)
        print("fc1-fc2 rescale[0] over 200 steps: weighted drift \(weightedDrift), unweighted \(unweightedDrift)")
        // … while |out|² − |in|² itself moves at first order.
        #expect(unweightedDrift > 10 * weightedDrift)
    }

    /// SGDW and Nesterov keep their recursions for every group whose coordinates share one rate
    /// (here fc1 and fc2 at 2, so the fc1-fc2 rescale is not mixed; scale and translation groups
    /// lie in one layer); across layers of different rates they have none (§13.8), and say so.
    @Test(arguments: ["sgdw", "nesterov"])
    func sgdwAndNesterovAreExactWhereASideSharesItsRate(_ name: String) throws {
        var c = config {
            $0.width = 16; $0.norm = .none; $0.weightDecay = 1e-2; $0.outputShift = 0.5; $0.lr = 0.05
            $0.momentum = 0.9; $0.lrScale = LayerRates(["fc1": 2, "fc2": 2, "fc3": 0.5])
        }
        if name == "nesterov" { c.nesterov = true } else { c.optimizer = .sgdw }
        let obs = try trajectory(c, steps: 300)
        var worst: [String: Double] = [:]
        for o in obs { for ch in o.charges { worst[ch.family] = max(worst[ch.family] ?? 0, ch.residual) } }
        for (family, residual) in worst.sorted(by: { $0.key < $1.key }) {
            print("lr-scale \(name) \(family): worst residual \(residual)")
        }
        #expect(worst["fc1-fc2.rescale"]! < 1e-12)
        #expect(worst["fc3.translation"]! < 1e-12)
        #expect(worst["fc2-fc3.rescale"]! > 1e-8)
        let notes = try Simulator(c).symmetries.notes
        #expect(notes.contains { $0.contains("per-layer rates") && $0.contains("§13.8") }, "\(notes)")
    }

    /// The `charge` teleport moves every group of a rescale family to the charge asked for, the
    /// weighted charge R̃ under per-layer rates, and the loss stays (THEORY.md §12.1, §13.8).
    @Test(arguments: [LayerRates(), LayerRates(["fc1": 2, "fc2": 0.5])], [-2.0, 0.0, 4.0])
    func aChargeTeleportSetsTheCharge(_ rates: LayerRates, _ value: Double) throws {
        var c = config {
            $0.width = 8; $0.norm = .none; $0.weightDecay = 0
        }
        c.lrScale = rates
        let sim = try Simulator(c)
        for _ in 0..<5 { try sim.advance() }
        let (before, after) = try sim.teleport(Teleport(family: "fc1-fc2.rescale", action: .charge, factor: value))
        #expect(relative(after, before) <= 1e-12)
        let charges = sim.observation().charges.filter { $0.family == "fc1-fc2.rescale" }
        #expect(charges.count == 8)
        for ch in charges { #expect(abs(ch.value - value) <= 1e-12 * ch.magnitude, "\(ch.group): \(ch.value)") }
    }
}
