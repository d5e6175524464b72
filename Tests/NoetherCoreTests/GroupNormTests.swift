import Testing
@testable import NoetherCore

/// Group norm (`--norm group --groups G`): the backward pass, one scale group per group of units
/// with its translations, layer norm as the case G = 1, and the messages for a G that does not fit.
@Suite("Group norm")
struct GroupNormTests {
    /// Width 12: every group holds at least 3 units (with 2, ẑ = ±1 whatever the weights).
    static func mlp(groups: Int, eps: Double = 1e-3) -> Config {
        config { $0.norm = .group; $0.groups = groups; $0.depth = 2; $0.width = 12; $0.eps = eps }
    }

    static func conv(groups: Int, eps: Double = 1e-3) -> Config {
        config {
            $0.norm = .group; $0.groups = groups; $0.conv = [6, 4]; $0.pool = .max; $0.depth = 1; $0.width = 6
            $0.eps = eps
        }
    }

    static let cases: [(String, Config)] = [1, 2, 4].map { ("mlp G=\($0)", mlp(groups: $0)) }
        + [1, 2].map { ("conv G=\($0)", conv(groups: $0)) }

    @Test(arguments: cases.map(\.0))
    func gradientsMatchFiniteDifferences(_ name: String) throws {
        let net = try ConvLayerTests.Net(Self.cases.first { $0.0 == name }!.1)
        #expect(net.arch.flatLayers.contains { $0 is GroupNorm })
        let worst = LayerChecks.worstGradientError(net)
        #expect(worst < 1e-7, "\(name): worst relative gradient error \(worst)")
    }

    @Test(arguments: cases.map(\.0))
    func everyGroupPreservesTheLoss(_ name: String) throws {
        var c = Self.cases.first { $0.0 == name }!.1
        c.eps = 0
        let net = try ConvLayerTests.Net(c)
        let worst = LayerChecks.worstInvariance(net, net.symmetries.groups)
        #expect(worst < 1e-12, "\(name): worst relative loss change \(worst)")
    }

    /// Width 12 in 2 groups: fc1.scale[g0] holds rows 0–5 with their biases; each group has a
    /// translation per input column and one for its biases. A single row is not a group, and
    /// scaling it changes the loss.
    @Test func oneScaleGroupPerGroupOfUnits() throws {
        let net = try ConvLayerTests.Net(Self.mlp(groups: 2, eps: 0))
        let fc1 = net.symmetries.groups.filter { $0.family == "fc1.scale" }
        #expect(fc1.map(\.name) == ["fc1.scale[g0]", "fc1.scale[g1]"])
        #expect(fc1[0].segments.map(\.count) == Array(repeating: [72, 1], count: 6).flatMap { $0 })
        let translations = net.symmetries.groups.filter { $0.family == "fc1.translation" }
        #expect(translations.count == 2 * (72 + 1))
        #expect(translations.contains { $0.name == "fc1.translation[g1,bias]" })
        // One row of a group alone is no symmetry: the check above could fail.
        let row = SymmetryGroup(kind: .scale, name: "row", family: "row", segments: [fc1[0].segments[0]])
        #expect(relative(net.loss(acted(net.theta, row, 0.7)), net.loss(net.theta)) > 1e-6)
        // A conv layer in 2 groups: one scale group per 3 channels, and only the bias shift.
        let conv = try ConvLayerTests.Net(Self.conv(groups: 2, eps: 0))
        let families = Dictionary(grouping: conv.symmetries.groups, by: \.family).mapValues(\.count)
        #expect(families["conv1.scale"] == 2 && families["conv1.translation"] == 2)
        #expect(families["cgn1-conv2.rescale"] == 6)
    }

    /// With one group it is layer norm: the same loss and gradient to rounding.
    @Test(arguments: [false, true])
    func oneGroupIsLayerNorm(_ conv: Bool) throws {
        let gn = try ConvLayerTests.Net(conv ? Self.conv(groups: 1) : Self.mlp(groups: 1))
        var c = gn.config
        c.norm = .layer
        let ln = try ConvLayerTests.Net(c)
        #expect(relative(gn.loss(gn.theta), ln.loss(ln.theta)) < 1e-14)
        let a = gn.gradient(), b = ln.gradient()
        let scale = b.map(abs).max()!
        #expect(zip(a, b).map { abs($0 - $1) }.max()! / scale < 1e-13)
    }

    @Test func groupsThatDoNotDivideAreNamed() {
        func error(_ change: (inout Config) -> Void) -> String? {
            var c = Config()
            c.norm = .group
            change(&c)
            do { try c.validate(); return nil } catch { return "\(error)" }
        }
        #expect(error { $0.groups = 4 } == nil)
        #expect(error { $0.groups = 3 }
                == "groups: group norm splits each layer's units into equal groups: 3 does not divide the 32 neurons of each hidden dense layer (width); allowed here: 1, 2, 4, 8, 16, 32")
        #expect(error { $0.data = .shapes; $0.conv = [4, 6]; $0.groups = 4; $0.width = 12 }
                == "groups: group norm splits each layer's units into equal groups: 4 does not divide the 6 channels of conv2; allowed here: 1, 2")
        #expect(error { $0.groups = 0 } == "groups: must be 1…256, got 0")
        // Without group norm the key is not read, but it is still checked for range.
        #expect(error { $0.norm = .batch; $0.groups = 3 } == nil)
    }
}
