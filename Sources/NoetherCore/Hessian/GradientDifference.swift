/// Hessian-vector products of the loss on a fixed batch as central differences of its float64
/// gradient (THEORY.md §16.1): Hv ≈ (∇L(θ + hv) − ∇L(θ − hv)) / 2h for a unit vector v. The
/// error is h²/6 · ∂³L[v, v, v] from truncation plus about ε·|∇L| / h from rounding; h = 1e-5 ·
/// max(1, rms θ) balances the two near 1e-10 relative. Where the loss has kinks (ReLU, leaky
/// ReLU, max pooling), a sample whose pre-activation lies within about h of a kink makes the
/// difference see a jump that the Hessian of the piece θ lies in does not have.
final class GradientDifference {
    let backprop: Backprop
    let count: Int
    private let point: UnsafeMutablePointer<Double>
    private let plus: UnsafeMutablePointer<Double>
    private let minus: UnsafeMutablePointer<Double>
    /// Relative step: h = relativeStep · max(1, rms θ).
    static let relativeStep = 1e-5

    init(backprop: Backprop) {
        self.backprop = backprop
        count = backprop.arch.parameterCount
        point = .allocate(capacity: count)
        plus = .allocate(capacity: count)
        minus = .allocate(capacity: count)
    }

    deinit { point.deallocate(); plus.deallocate(); minus.deallocate() }

    /// The finite-difference step for parameters θ.
    func step(_ theta: UnsafePointer<Double>) -> Double {
        var s = 0.0
        for i in 0..<count { s += theta[i] * theta[i] }
        return Self.relativeStep * max(1, (s / Double(count)).squareRoot())
    }

    /// Writes H·v into `out` for the batch (x, labels, targets); v must have unit length.
    func apply(theta: UnsafePointer<Double>, _ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, h: Double,
               x: UnsafePointer<Double>, labels: UnsafePointer<Int>?, targets: UnsafePointer<Double>?) {
        for i in 0..<count { point[i] = theta[i] + h * v[i] }
        backprop.run(theta: point, grad: plus, x: x, labels: labels, targets: targets)
        for i in 0..<count { point[i] = theta[i] - h * v[i] }
        backprop.run(theta: point, grad: minus, x: x, labels: labels, targets: targets)
        let scale = 1 / (2 * h)
        for i in 0..<count { out[i] = (plus[i] - minus[i]) * scale }
    }
}
