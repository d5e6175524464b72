import Testing
@testable import NoetherCore

/// Central finite differences against back-propagation for every layer, activation,
/// normalization and loss.
@Suite("Finite-difference gradients")
struct GradientTests {
    static let cases: [(Activation, Normalization, Task)] = Activation.allCases.flatMap { a in
        Normalization.allCases.flatMap { n in Task.allCases.map { (a, n, $0) } }
    }

    @Test(arguments: cases)
    func matchesFiniteDifferences(_ activation: Activation, _ norm: Normalization, _ task: Task) throws {
        let c = config {
            // Group norm in 2 groups of 3 (with 2 units a group's ẑ is ±1 whatever the weights).
            $0.arch = activation; $0.norm = norm; $0.depth = 2; $0.width = norm == .group ? 6 : 5
            $0.eps = norm == .none ? 0 : 1e-3
        }
        let (inputs, outputs, batch) = (4, 3, 7)
        let arch = try Architecture(config: c, inputDim: inputs, outputDim: outputs, task: task)
        var rng = Xoshiro256(seed: 42)
        var theta = arch.initialParameters(c, rng: &rng)
        let x = (0..<(batch * inputs)).map { _ in rng.normal() }
        let labels = (0..<batch).map { _ in rng.below(outputs) }
        let targets = (0..<(batch * outputs)).map { _ in rng.normal() }
        let net = Backprop(arch: arch, batch: batch)
        func loss(_ t: [Double]) -> Double {
            t.withUnsafeBufferPointer { net.run(theta: $0.baseAddress!, grad: nil, x: x, labels: labels, targets: targets).loss }
        }
        var grad = [Double](repeating: 0, count: theta.count)
        theta.withUnsafeBufferPointer { th in
            grad.withUnsafeMutableBufferPointer { g in
                _ = net.run(theta: th.baseAddress!, grad: g.baseAddress!, x: x, labels: labels, targets: targets)
            }
        }
        var worst = 0.0
        let scale = grad.map(abs).max()!
        for i in 0..<theta.count {
            let h = 1e-5
            let saved = theta[i]
            theta[i] = saved + h; let up = loss(theta)
            theta[i] = saved - h; let down = loss(theta)
            theta[i] = saved
            let fd = (up - down) / (2 * h)
            worst = max(worst, abs(fd - grad[i]) / scale)
        }
        // Central differences with h = 1e-5 carry O(h²)·L''' truncation and ~1e-11 rounding.
        #expect(worst < 1e-7, "worst relative gradient error \(worst)")
    }
}
