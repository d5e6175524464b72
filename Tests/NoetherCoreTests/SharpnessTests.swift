import Foundation
import Testing
@testable import NoetherCore

/// The sharpness meter (THEORY.md §16): Hessian-vector products, Lanczos, and the scalar balance
/// identity of §16.4.
@Suite("Sharpness")
struct SharpnessTests {
    /// A small full-batch model on which every check runs quickly.
    static func small(_ change: (inout Config) -> Void = { _ in }) -> Config {
        config { c in
            c.arch = .tanh; c.norm = .none; c.depth = 1; c.width = 8; c.samples = 64; c.batchSize = 64
            c.data = .teacher; c.inputDim = 3; c.targets = 2; c.weightDecay = 0; c.momentum = 0
            c.sharpnessTolerance = 1e-10; c.sharpnessTop = 2
            change(&c)
        }
    }

    /// The full-batch loss at θ, from a fresh full-batch backprop.
    static func loss(_ sim: Simulator, _ theta: [Double]) -> Double {
        let b = Backprop(arch: sim.arch, batch: sim.data.count)
        return theta.withUnsafeBufferPointer { t in
            sim.data.inputs.withUnsafeBufferPointer { x in
                sim.data.labels.withUnsafeBufferPointer { l in
                    sim.data.targets.withUnsafeBufferPointer { y in
                        b.run(theta: t.baseAddress!, grad: nil, x: x.baseAddress!, labels: l.baseAddress,
                              targets: y.baseAddress).loss
                    }
                }
            }
        }
    }

    /// The Hessian column by column from the meter's own products, symmetrized.
    static func denseHessian(_ sim: Simulator) -> [Double] {
        let n = sim.parameterCount
        let b = Backprop(arch: sim.arch, batch: sim.data.count)
        let d = GradientDifference(backprop: b)
        var h = [Double](repeating: 0, count: n * n)
        let theta = sim.flatParameters
        theta.withUnsafeBufferPointer { t in
            let step = d.step(t.baseAddress!)
            var e = [Double](repeating: 0, count: n), column = [Double](repeating: 0, count: n)
            for j in 0..<n {
                e[j] = 1
                sim.data.inputs.withUnsafeBufferPointer { x in
                    sim.data.labels.withUnsafeBufferPointer { l in
                        sim.data.targets.withUnsafeBufferPointer { y in
                            d.apply(theta: t.baseAddress!, e, &column, h: step, x: x.baseAddress!, labels: l.baseAddress!,
                                    targets: y.baseAddress!)
                        }
                    }
                }
                e[j] = 0
                for i in 0..<n { h[i * n + j] = column[i] }
            }
        }
        for i in 0..<n { for j in 0..<i { let m = (h[i * n + j] + h[j * n + i]) / 2; h[i * n + j] = m; h[j * n + i] = m } }
        return h
    }

    /// vᵀHv of the returned top eigenvector from second differences of the loss alone (no
    /// gradient): the Rayleigh quotient equals the reported eigenvalue.
    @Test(arguments: [Normalization.none, .batch, .layer])
    func topEigenvalueIsTheCurvatureOfTheLossAlongItsVector(_ norm: Normalization) throws {
        let sim = try Simulator(Self.small { $0.norm = norm })
        let meter = SharpnessMeter(arch: sim.arch, data: sim.data, minibatch: sim.batchSize, config: sim.config)
        let theta = sim.flatParameters
        let reading = theta.withUnsafeBufferPointer { meter.measure(step: 0, theta: $0.baseAddress!, minibatch: nil) }
        #expect(reading.residual <= 1e-10)
        let v = try #require(meterVector(meter))
        let t = 1e-4
        let plus = Self.loss(sim, zip(theta, v).map { $0 + t * $1 })
        let minus = Self.loss(sim, zip(theta, v).map { $0 - t * $1 })
        let curvature = (plus - 2 * Self.loss(sim, theta) + minus) / (t * t)
        #expect(relative(curvature, reading.top) < 1e-6, "vᵀHv \(curvature) vs λ₁ \(reading.top)")
    }

    private func meterVector(_ meter: SharpnessMeter) -> [Double]? { meter.lastVectors.first }

    /// Lanczos's top two eigenvalues are those of the dense Hessian (Jacobi on n × n).
    @Test(arguments: [Normalization.none, .batch, .layer])
    func lanczosMatchesTheDenseHessian(_ norm: Normalization) throws {
        let sim = try Simulator(Self.small { $0.norm = norm })
        let reading = sim.measureSharpness()
        let n = sim.parameterCount
        let eigen = SymmetricEigen(Self.denseHessian(sim), n: n).values.sorted(by: >)
        #expect(relative(reading.top, eigen[0]) < 1e-9, "\(reading.values) vs \(eigen.prefix(2))")
        #expect(relative(try #require(reading.second), eigen[1]) < 1e-9, "\(reading.values) vs \(eigen.prefix(2))")
    }

    /// A linear model under mean squared error is a quadratic: its Hessian is (2/(N·k))·X̃ᵀX̃
    /// for each of the k outputs (X̃ the inputs with a column of ones), which central differences
    /// reproduce to rounding.
    @Test func aQuadraticHasTheSharpnessOfItsDesignMatrix() throws {
        let sim = try Simulator(Self.small { $0.depth = 0; $0.arch = .linear; $0.sharpnessTop = 1 })
        let d = sim.data.inputDim, count = sim.data.count, k = sim.data.outputDim
        var gram = [Double](repeating: 0, count: (d + 1) * (d + 1))
        for s in 0..<count {
            let row = Array(sim.data.inputs[(s * d)..<((s + 1) * d)]) + [1]
            for i in 0...d { for j in 0...d { gram[i * (d + 1) + j] += row[i] * row[j] } }
        }
        let scale = 2 / Double(count * k)
        let top = SymmetricEigen(gram.map { $0 * scale }, n: d + 1).values.max()!
        let reading = sim.measureSharpness()
        #expect(relative(reading.top, top) < 1e-9, "\(reading.top) vs \(top)")
    }

    /// Measuring does not change the run: the same configuration with and without the meter
    /// gives the same parameters bit for bit.
    @Test func measuringLeavesTheRunUnchanged() throws {
        var c = Self.small { $0.batchSize = 16 }
        c.sharpnessTolerance = 1e-4
        let plain = try Simulator(c)
        c.sharpnessEvery = 3
        let measured = try Simulator(c)
        for _ in 0..<20 { try plain.advance(); try measured.advance() }
        #expect(plain.flatParameters == measured.flatParameters)
        #expect(measured.sharpness?.step == 18)
        #expect(measured.observation().sharpness == nil)
    }

    /// Bad values are named with what is allowed.
    @Test func badSettingsAreNamed() {
        #expect(throws: ConfigError("sharpness-top", "must be 1 or 2 (how many of the largest Hessian eigenvalues), got 3")) {
            try Self.small { $0.sharpnessTop = 3 }.validate()
        }
        #expect(throws: ConfigError.self) { try Self.small { $0.sharpnessEvery = -1 }.validate() }
        #expect(throws: ConfigError.self) { try Self.small { $0.sharpnessTolerance = 0 }.validate() }
    }
}

/// THEORY.md §16.4: for f = uv, gradient descent keeps Q = u² − v² on Q_{k+1} = (1 − η²R_k²)Q_k,
/// R = ∂L/∂(uv), exactly.
@Suite("Scalar balance identity")
struct ScalarBalanceTests {
    /// The recursion by hand for L = ½(uv − y)²: its residual is rounding alone.
    @Test(arguments: [0.05, 0.4, 0.9])
    func theIdentityHoldsForTheHalfSquare(_ eta: Double) {
        var u = 1.7, v = 0.3
        let y = 1.0
        var worst = 0.0
        for _ in 0..<2000 {
            let r = u * v - y
            let q = u * u - v * v
            (u, v) = (u - eta * r * v, v - eta * r * u)
            let predicted = (1 - eta * eta * r * r) * q
            worst = max(worst, abs(u * u - v * v - predicted) / (u * u + v * v))
        }
        #expect(worst < 1e-14, "worst residual \(worst) at η = \(eta)")
    }

    /// The engine's own scalar model (input → u → v, linear, no bias) on a one-column regression
    /// file, full batch: with R = (2/N)Σ(uv·x − y)x, Q follows the identity at every step, at a
    /// small step size and at one where the start is unstable alike.
    @Test(arguments: [0.02, 0.6])
    func theEngineFollowsTheIdentity(_ eta: Double) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("noether-uv-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        let xs = (0..<16).map { 0.5 + Double($0) / 16 }
        try ("x,y\n" + xs.map { "\($0),\(1.5 * $0 + 0.1 * sin(7 * $0))" }.joined(separator: "\n"))
            .write(to: file, atomically: true, encoding: .utf8)
        let c = config { c in
            c.arch = .linear; c.norm = .none; c.depth = 1; c.width = 1; c.bias = false; c.data = .file(file.path)
            c.task = .regression; c.samples = 16; c.batchSize = 16; c.momentum = 0; c.weightDecay = 0
            c.lr = eta; c.initStd = 1
        }
        let sim = try Simulator(c)
        let x = sim.data.inputs, y = sim.data.targets, n = Double(x.count)
        var worst = 0.0, shrink = 1.0
        for _ in 0..<500 {
            let (u, v) = (sim.flatParameters[0], sim.flatParameters[1])
            let r = zip(x, y).reduce(0.0) { $0 + (u * v * $1.0 - $1.1) * $1.0 } * 2 / n
            let q = u * u - v * v
            try sim.advance()
            let (u2, v2) = (sim.flatParameters[0], sim.flatParameters[1])
            worst = max(worst, abs(u2 * u2 - v2 * v2 - (1 - eta * eta * r * r) * q) / (u2 * u2 + v2 * v2))
            shrink *= 1 - eta * eta * r * r
        }
        #expect(worst < 1e-14, "worst residual \(worst) at η = \(eta)")
        print("η = \(eta): Q₅₀₀/Q₀ = Π(1 − η²R²) = \(shrink), worst residual \(worst)")
    }
}

/// The flattest teleport (THEORY.md §16.5): same loss, sharpness not raised, and the row and the
/// message carry the sharpness before and after.
@Suite("Flattest teleport")
struct FlattestTeleportTests {
    @Test(arguments: [
        ("bn-tanh", "fc1.scale"), ("relu", "fc1-fc2.rescale"), ("linear", "fc1-fc2.balance"), ("ln-relu", "fc2.scale"),
    ])
    func lossUnchangedAndSharpnessNotRaised(_ model: String, _ family: String) throws {
        var c = SharpnessTests.small { $0.sharpnessTop = 1; $0.sharpnessTolerance = 1e-8; $0.lr = 0.05; $0.depth = 2 }
        switch model {
        case "bn-tanh": c.norm = .batch
        case "relu": c.arch = .relu
        case "linear": c.arch = .linear; c.bias = false; c.width = 2; c.targets = 2
        default: c.arch = .relu; c.norm = .layer
        }
        let sim = try Simulator(c)
        for _ in 0..<10 { try sim.advance() }
        let before = sim.measureSharpness().top
        let (lossBefore, lossAfter) = try sim.teleport(Teleport(family: family, action: .flattest))
        #expect(relative(lossAfter, lossBefore) <= 1e-12, "\(model): loss \(lossBefore) → \(lossAfter)")
        let flattened = try #require(sim.flattened)
        let after = sim.measureSharpness().top
        #expect(relative(flattened.before, before) < 1e-6, "\(flattened.before) vs \(before)")
        #expect(relative(flattened.after, after) < 1e-6, "\(flattened.after) vs \(after)")
        #expect(after <= before * (1 + 1e-6), "\(model) \(family): sharpness \(before) → \(after)")
        #expect(sim.flattenedNote.contains("sharpness"))
        print("\(model) \(family): loss \(lossBefore) → \(lossAfter); sharpness \(before) → \(after) at α = \(flattened.alpha)")
    }
}
