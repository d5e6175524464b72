import Testing
@testable import NoetherCore

/// Checks shared by the residual and group-norm tests on ConvLayerTests.Net (random 2 × 6 × 6
/// images, batch 5): the backward pass against central finite differences, and every group's
/// action on the loss.
enum LayerChecks {
    /// Worst |finite difference − backward| over all parameters, relative to the largest gradient.
    /// The five-point stencil's error is O(h⁴): a small group's variance makes the third derivative
    /// large enough that the central difference's O(h²) alone reaches 1.3e-7 at h = 1e-5 (measured:
    /// 1.3e-5, 1.3e-7, 1.4e-9 at h = 1e-4, 1e-5, 1e-6 on the residual group-norm MLP).
    static func worstGradientError(_ s: ConvLayerTests.Net) -> Double {
        var theta = s.theta
        let grad = s.gradient()
        let scale = grad.map(abs).max()!
        var worst = 0.0
        for i in 0..<theta.count {
            let h = 1e-5, saved = theta[i]
            func loss(at offset: Double) -> Double {
                theta[i] = saved + offset
                return s.loss(theta)
            }
            let d = (loss(at: -2 * h) - 8 * loss(at: -h) + 8 * loss(at: h) - loss(at: 2 * h)) / (12 * h)
            theta[i] = saved
            worst = max(worst, abs(d - grad[i]) / scale)
        }
        return scale > 0 ? worst : .infinity
    }

    /// Worst relative change of the loss under each group's action at α = 0.7 and −0.4.
    static func worstInvariance(_ s: ConvLayerTests.Net, _ groups: [SymmetryGroup]) -> Double {
        let base = s.loss(s.theta)
        var worst = 0.0
        for g in groups {
            for alpha in [0.7, -0.4] { worst = max(worst, relative(s.loss(acted(s.theta, g, alpha)), base)) }
        }
        return worst
    }
}

/// Residual blocks y = x + F(x) (THEORY.md §2.3): the backward pass, the groups a residual network
/// has (those inside each block) and the ones its skips break (those across a block's ends).
@Suite("Residual blocks")
struct ResidualTests {
    static func mlp(_ a: Activation, _ n: Normalization, eps: Double = 1e-3) -> Config {
        config {
            $0.residual = true; $0.depth = 3; $0.width = 6; $0.arch = a; $0.norm = n; $0.groups = 2
            $0.eps = n == .none ? 0 : eps
        }
    }

    static func conv(_ n: Normalization, _ pool: Pooling, eps: Double = 1e-3) -> Config {
        config {
            $0.residual = true; $0.conv = [4, 2, 4]; $0.pool = pool; $0.norm = n; $0.groups = 2
            $0.depth = 1; $0.width = 4; $0.eps = n == .none ? 0 : eps
        }
    }

    static let gradientCases: [(String, Config)] =
        Normalization.allCases.map { ("mlp relu \($0)", mlp(.relu, $0)) }
        + [("mlp tanh batch", mlp(.tanh, .batch)), ("mlp linear none", mlp(.linear, .none))]
        + Normalization.allCases.map { ("conv \($0) max", conv($0, .max)) }
        + [("conv batch avg", conv(.batch, .avg)), ("conv none none", conv(.none, .none))]

    @Test(arguments: gradientCases.map(\.0))
    func gradientsMatchFiniteDifferences(_ name: String) throws {
        let c = Self.gradientCases.first { $0.0 == name }!.1
        let net = try ConvLayerTests.Net(c)
        #expect(net.arch.layers.contains { $0 is Residual })
        let worst = LayerChecks.worstGradientError(net)
        // Same bound as the other layers' tests: O(h²) truncation and ~1e-11 rounding.
        #expect(worst < 1e-7, "\(name): worst relative gradient error \(worst)")
    }

    /// Every group found leaves the loss unchanged to 1e-12 at eps = 0.
    @Test(arguments: gradientCases.map(\.0))
    func everyGroupPreservesTheLoss(_ name: String) throws {
        var c = Self.gradientCases.first { $0.0 == name }!.1
        c.eps = 0
        let net = try ConvLayerTests.Net(c)
        #expect(!net.symmetries.groups.isEmpty)
        let worst = LayerChecks.worstInvariance(net, net.symmetries.groups)
        #expect(worst < 1e-12, "\(name): worst relative loss change \(worst)")
    }

    /// A residual MLP (fc1, then the block fc2–fc3, then fc4) keeps the scale group of every
    /// batch norm and the rescale of the block's inner neurons (bn2-fc3), but not the rescales
    /// across the block's ends (bn1-fc2, bn3-fc4), which the same net without skips has.
    @Test func residualMLPGroups() throws {
        let res = try ConvLayerTests.Net(Self.mlp(.relu, .batch, eps: 0))
        let families = Dictionary(grouping: res.symmetries.groups, by: \.family).mapValues(\.count)
        #expect(families == ["fc1.scale": 6, "fc2.scale": 6, "fc3.scale": 6, "bn2-fc3.rescale": 6, "fc4.translation": 7])
        var plain = Self.mlp(.relu, .batch, eps: 0)
        plain.residual = false
        let chain = try ConvLayerTests.Net(plain)
        // The same parameter layout, so the chain's groups act on the residual net's θ.
        #expect(chain.arch.tensors.map(\.name) == res.arch.tensors.map(\.name))
        let crossing = chain.symmetries.groups.filter { $0.family == "bn1-fc2.rescale" || $0.family == "bn3-fc4.rescale" }
        #expect(crossing.count == 12)
        for g in crossing {
            #expect(relative(res.loss(acted(res.theta, g, 0.7)), res.loss(res.theta)) > 1e-6, "\(g.name)")
            #expect(relative(chain.loss(acted(chain.theta, g, 0.7)), chain.loss(chain.theta)) < 1e-12, "\(g.name)")
        }
    }

    /// ResNet-mini's shape: conv1, a block conv2–conv3 with batch norm, pooling after each. The
    /// block's inner channels rescale (cbn2-conv3), the block's ends do not.
    @Test func residualConvGroups() throws {
        let res = try ConvLayerTests.Net(Self.conv(.batch, .max, eps: 0))
        let families = Set(res.symmetries.groups.map(\.family))
        #expect(families == ["conv1.scale", "conv2.scale", "conv3.scale", "fc1.scale", "cbn2-conv3.rescale",
                             "bn1-fc2.rescale", "fc2.translation"])
        var plain = Self.conv(.batch, .max, eps: 0)
        plain.residual = false
        plain.pool = .none  // three pooled layers would shrink 6×6 below 1×1
        let chainFamilies = Set(try ConvLayerTests.Net(plain).symmetries.groups.map(\.family))
        #expect(chainFamilies.isSuperset(of: ["cbn1-conv2.rescale", "cbn3-fc1.rescale"]))
        #expect(families.isDisjoint(with: ["cbn1-conv2.rescale", "cbn3-fc1.rescale"]))
        // Pooling follows conv1 and the block, not conv2: 6×6 → 3×3 → 1×1.
        let pools = res.arch.layers.compactMap { $0 as? Pool2D }.map(\.height)
        #expect(pools == [6, 3])
    }

    /// A linear residual MLP without norms keeps the GL(n) balance of the block's inner layer only.
    @Test func linearBlockKeepsItsInnerBalance() throws {
        let res = try ConvLayerTests.Net(Self.mlp(.linear, .none))
        #expect(res.symmetries.balances.map(\.name) == ["fc2-fc3.balance"])
        var plain = Self.mlp(.linear, .none)
        plain.residual = false
        #expect(try ConvLayerTests.Net(plain).symmetries.balances.map(\.name)
                == ["fc1-fc2.balance", "fc2-fc3.balance", "fc3-fc4.balance"])
    }

    @Test func notesSayWhatTheSkipsBreak() throws {
        let net = try ConvLayerTests.Net(Self.mlp(.relu, .batch, eps: 0))
        #expect(net.symmetries.notes.contains { $0.hasPrefix("residual blocks: the skip connections break") })
    }

    /// Shapes a residual block cannot have are refused with the field and what is allowed.
    @Test func badShapesAreNamed() {
        func error(_ change: (inout Config) -> Void) -> String? {
            var c = Config()
            c.residual = true
            change(&c)
            do { try c.validate(); return nil } catch { return "\(error)" }
        }
        #expect(error { $0.depth = 3 } == nil)
        #expect(error { $0.depth = 2 }
                == "residual: the hidden dense layers after fc1 pair into blocks of two, so depth must be 1, 3, 5 or 7, got 2")
        #expect(error { $0.depth = 1 }
                == "residual: needs a block to skip around: depth 3, 5 or 7, or 3 or 5 conv layers; got depth 1 and 0 conv layers")
        #expect(error { $0.depth = 1; $0.data = .shapes; $0.conv = [8, 16] }?.hasPrefix(
            "residual: the conv layers after conv1 pair into blocks of two, so give 1, 3 or 5 channel counts, got 2 (8,16)") == true)
        #expect(error { $0.depth = 1; $0.data = .shapes; $0.conv = [8, 8, 16] }
                == "residual: block conv2–conv3 must end with the 8 channels it starts from (its input is added to its output), got 16 in --conv 8,8,16")
        #expect(error { $0.depth = 1; $0.data = .shapes; $0.conv = [8, 16, 8] } == nil)
    }
}
