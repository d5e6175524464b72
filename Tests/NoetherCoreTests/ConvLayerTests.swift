import Testing
@testable import NoetherCore

/// Conv nets: every layer's backward pass against central finite differences, the loss's
/// invariance under every channel group's action (THEORY.md §2.1), and the groups found.
@Suite("Convolutional layers")
struct ConvLayerTests {
    /// A small conv net on random 2 × 6 × 6 images.
    struct Net {
        let config: Config
        let arch: Architecture
        let net: Backprop
        var theta: [Double]
        let x: [Double], labels: [Int], targets: [Double]
        let symmetries: SymmetrySet
        static let (batch, outputs) = (5, 3)

        init(
            _ c: Config, task: Task = .classification, image: ImageShape = ImageShape(channels: 2, height: 6, width: 6)
        ) throws {
            config = c
            let inputs = image.channels * image.height * image.width
            arch = try Architecture(config: c, inputDim: inputs, outputDim: Self.outputs, task: task, image: image)
            var rng = Xoshiro256(seed: 11)
            theta = arch.initialParameters(c, rng: &rng)
            net = Backprop(arch: arch, batch: Self.batch)
            x = (0..<(Self.batch * inputs)).map { _ in rng.normal() }
            labels = (0..<Self.batch).map { _ in rng.below(Self.outputs) }
            targets = (0..<(Self.batch * Self.outputs)).map { _ in rng.normal() }
            symmetries = SymmetrySet(arch: arch)
        }

        func loss(_ t: [Double]) -> Double {
            t.withUnsafeBufferPointer {
                net.run(theta: $0.baseAddress!, grad: nil, x: x, labels: labels, targets: targets).loss
            }
        }

        func gradient() -> [Double] {
            var g = [Double](repeating: .nan, count: theta.count)
            theta.withUnsafeBufferPointer { th in
                g.withUnsafeMutableBufferPointer {
                    _ = net.run(theta: th.baseAddress!, grad: $0.baseAddress!, x: x, labels: labels, targets: targets)
                }
            }
            return g
        }
    }

    /// eps > 0 keeps finite differences away from the normalization's singular points; the
    /// symmetries are exact only at eps = 0 (THEORY.md §2.1).
    static func conv(_ a: Activation, _ n: Normalization, _ pool: Pooling, kernel: Int = 3, eps: Double = 1e-3)
        -> Config
    {
        config {
            // Group norm: two groups of at least 2 channels (and 3 neurons: with 2, ẑ = ±1).
            $0.conv = n == .group ? [4, 4] : [3, 2]; $0.groups = 2
            $0.kernel = kernel; $0.pool = pool; $0.arch = a; $0.norm = n
            $0.depth = 1; $0.width = n == .group ? 6 : 4; $0.eps = n == .none ? 0 : eps
        }
    }

    static let gradientCases: [(Activation, Normalization, Pooling)] =
        Normalization.allCases.flatMap { n in Pooling.allCases.map { (.relu, n, $0) } }
        + [(.tanh, .batch, .avg), (.leakyRelu, .none, .max), (.linear, .layer, .none)]

    @Test(arguments: gradientCases)
    func gradientsMatchFiniteDifferences(_ a: Activation, _ n: Normalization, _ pool: Pooling) throws {
        try checkGradient(Net(Self.conv(a, n, pool)))
    }

    @Test(arguments: [1, 5])
    func otherKernelsAndRegression(_ kernel: Int) throws {
        try checkGradient(Net(Self.conv(.relu, .batch, .max, kernel: kernel), task: .regression))
    }

    /// Depth 0: the conv stack feeds the output layer directly; odd image sides lose their last
    /// row and column to pooling.
    @Test func noDenseHiddenLayersOnAnOddImage() throws {
        var c = Self.conv(.relu, .none, .max)
        c.depth = 0
        try checkGradient(Net(c, image: ImageShape(channels: 1, height: 7, width: 5)))
    }

    /// The filter gradient takes one of two routes: from the unfolded input, or from the unfolded
    /// ∂L/∂y the input gradient needs anyway. The first layer (no input gradient) with no more
    /// outputs than inputs takes the second without computing ∂L/∂x; [3, 2] above covers the rest.
    @Test(arguments: [[2, 2], [2, 1]])
    func filterGradientOfAFirstLayerWithFewOutputs(_ channels: [Int]) throws {
        var c = Self.conv(.relu, .batch, .max)
        c.conv = channels
        try checkGradient(Net(c))
    }

    /// A first 3 × 3 conv layer without bias, with batch norm, ReLU and max pooling after it, runs
    /// as one layer (FirstConvBlock) whose filter gradient sums in another order than the conv's
    /// own: it matches the conv and the block run one after the other to rounding, and finite
    /// differences. Image widths with and without a remainder after groups of four positions.
    @Test(arguments: [(1, 6, 6), (3, 5, 7), (2, 4, 9)])
    func firstConvBlockMatchesItsParts(_ channels: Int, _ height: Int, _ width: Int) throws {
        var c = Self.conv(.relu, .batch, .max)
        c.bias = false
        let s = try Net(c, image: ImageShape(channels: channels, height: height, width: width))
        #expect(s.net.layers.contains { $0 is FirstConvBlock })
        let parts = Backprop(arch: s.arch, batch: Net.batch, fusingFirstConv: false)
        #expect(!parts.layers.contains { $0 is FirstConvBlock })
        var apart = [Double](repeating: .nan, count: s.theta.count)
        s.theta.withUnsafeBufferPointer { th in
            apart.withUnsafeMutableBufferPointer {
                _ = parts.run(
                    theta: th.baseAddress!, grad: $0.baseAddress!, x: s.x, labels: s.labels, targets: s.targets)
            }
        }
        let fused = s.gradient(), scale = apart.map(abs).max()!
        let worst = zip(fused, apart).map { abs($0 - $1) }.max()!
        #expect(scale > 0 && worst <= 1e-13 * scale, "worst difference \(worst), largest entry \(scale)")
        checkGradient(s)
    }

    private func checkGradient(_ s: Net) {
        var theta = s.theta
        let grad = s.gradient()
        let scale = grad.map(abs).max()!
        #expect(scale > 0)
        var worst = 0.0
        for i in 0..<theta.count {
            let h = 1e-5, saved = theta[i]
            theta[i] = saved + h; let up = s.loss(theta)
            theta[i] = saved - h; let down = s.loss(theta)
            theta[i] = saved
            worst = max(worst, abs((up - down) / (2 * h) - grad[i]) / scale)
        }
        // Same bound as the dense layers' test: O(h²) truncation and ~1e-11 rounding.
        #expect(worst < 1e-7, "worst relative gradient error \(worst)")
    }

    static let invarianceCases: [(Activation, Normalization, Pooling)] = [
        (.relu, .batch, .max), (.relu, .none, .max), (.leakyRelu, .none, .avg), (.relu, .layer, .none),
        (.linear, .batch, .avg), (.tanh, .layer, .max),
    ]

    /// Each group's one-parameter action leaves the loss unchanged to 1e-12 relative.
    @Test(arguments: invarianceCases)
    func everyChannelGroupPreservesTheLoss(_ a: Activation, _ n: Normalization, _ pool: Pooling) throws {
        let s = try Net(Self.conv(a, n, pool, eps: 0))
        let base = s.loss(s.theta)
        #expect(s.symmetries.groups.contains { $0.family.contains("conv") })
        for g in s.symmetries.groups {
            for alpha in [0.7, -0.4] {
                let t = acted(s.theta, g, alpha)
                #expect(t != s.theta)
                #expect(relative(s.loss(t), base) < 1e-12, "\(g.name) α=\(alpha)")
            }
        }
    }

    /// Changing one filter entry is no symmetry: the test above could fail.
    @Test func aNonSymmetryChangesTheLoss() throws {
        let s = try Net(Self.conv(.relu, .none, .max))
        var t = s.theta
        t[s.arch.tensors[0].offset + 4] *= 2
        #expect(relative(s.loss(t), s.loss(s.theta)) > 1e-6)
    }

    /// The channel groups found from the layer sequence, family by family.
    @Test func groupsFoundPerChannel() throws {
        let bn = try Net(Self.conv(.relu, .batch, .max))
        let families = Dictionary(grouping: bn.symmetries.groups, by: \.family).mapValues(\.count)
        #expect(
            families == [
                "conv1.scale": 3, "conv2.scale": 2, "fc1.scale": 4,
                "cbn1-conv2.rescale": 3, "cbn2-fc1.rescale": 2, "bn1-fc2.rescale": 4,
                "fc2.translation": 5,
            ])
        // A channel's rescale reaches every filter of the next conv on that channel: 2 filters × 3 × 3.
        let first = bn.symmetries.groups.first { $0.name == "cbn1-conv2.rescale[1]" }!
        #expect(first.segments.filter { $0.sign > 0 }.map(\.count) == [9, 9])

        let plain = try Net(Self.conv(.relu, .none, .avg))
        let plainFamilies = Set(plain.symmetries.groups.map(\.family))
        #expect(plainFamilies == ["conv1-conv2.rescale", "conv2-fc1.rescale", "fc1-fc2.rescale", "fc2.translation"])

        let ln = try Net(Self.conv(.relu, .layer, .max))
        let lnFamilies = Dictionary(grouping: ln.symmetries.groups, by: \.family).mapValues(\.count)
        // Layer norm over (C, H, W): one scale group per conv layer, and only the bias shift.
        #expect(lnFamilies["conv1.scale"] == 1)
        #expect(lnFamilies["conv1.translation"] == 1)
        #expect(lnFamilies["fc1.translation"] == 3)  // dense: one per input column (2) and the bias
    }

    /// Conv weights are laid out as PyTorch's (out, in, k, k).
    @Test func convTensorsHavePyTorchShapes() throws {
        let s = try Net(Self.conv(.relu, .batch, .max))
        let shapes = Dictionary(uniqueKeysWithValues: s.arch.tensors.map { ($0.name, $0.shape) })
        #expect(shapes["conv1.weight"] == [3, 2, 3, 3])
        #expect(shapes["conv2.weight"] == [2, 3, 3, 3])
        #expect(shapes["cbn2.weight"] == [2])
        #expect(shapes["fc1.weight"] == [4, 2])
    }

    @Test func convNeedsImagesAndRoomToPool() {
        #expect(throws: ConfigError.self) {
            try Architecture(config: Self.conv(.relu, .batch, .max), inputDim: 10, outputDim: 3, task: .classification)
        }
        var deep = Self.conv(.relu, .batch, .max)
        deep.conv = [2, 2, 2, 2]
        #expect {
            try Architecture(
                config: deep, inputDim: 72, outputDim: 3, task: .classification,
                image: ImageShape(channels: 2, height: 6, width: 6))
        } throws: { ($0 as? ConfigError)?.field == "conv" }
    }
}
