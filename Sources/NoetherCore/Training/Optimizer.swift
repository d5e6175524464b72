/// The update rules of THEORY.md §1 on the flat parameter vector, in PyTorch semantics:
/// SGD with heavy-ball momentum (buffer starts at 0, no dampening) and coupled weight decay;
/// Adam with L2 weight decay added to the gradient (torch.optim.Adam's `weight_decay`).
struct Optimizer {
    let kind: OptimizerKind
    let count: Int
    let beta2: Double
    let epsilon = 1e-8
    let velocity: UnsafeMutablePointer<Double>  // SGD buffer v, or Adam's first moment
    let second: UnsafeMutablePointer<Double>    // Adam's second moment
    var adamSteps = 0

    init(kind: OptimizerKind, count: Int, beta2: Double) {
        self.kind = kind
        self.count = count
        self.beta2 = beta2
        velocity = .allocate(capacity: max(count, 1))
        velocity.initialize(repeating: 0, count: max(count, 1))
        second = .allocate(capacity: max(count, 1))
        second.initialize(repeating: 0, count: max(count, 1))
    }

    func deallocate() {
        velocity.deallocate()
        second.deallocate()
    }

    /// θ ← θ + Δ with Δ from the rule; `previous` receives the old θ. Returns Σθ² of the new θ
    /// so the caller can detect a diverging run without another pass.
    mutating func update(theta: UnsafeMutablePointer<Double>, previous: UnsafeMutablePointer<Double>,
                         grad: UnsafePointer<Double>, _ p: LiveParameters) -> Double {
        let eta = p.learningRate, lambda = p.weightDecay, beta = p.momentum
        let v = velocity
        var norm2 = 0.0
        switch kind {
        case .sgd:
            for i in 0..<count {
                let t = theta[i]
                previous[i] = t
                let vi = beta * v[i] + (grad[i] + lambda * t)
                v[i] = vi
                let next = t - eta * vi
                theta[i] = next
                norm2 += next * next
            }
        case .adam:
            adamSteps += 1
            let b1 = beta, b2 = beta2, s = second
            let c1 = 1 - pow(b1, Double(adamSteps)), c2 = 1 - pow(b2, Double(adamSteps))
            for i in 0..<count {
                let t = theta[i]
                previous[i] = t
                let gi = grad[i] + lambda * t
                v[i] = b1 * v[i] + (1 - b1) * gi
                s[i] = b2 * s[i] + (1 - b2) * gi * gi
                let next = t - eta * (v[i] / c1) / ((s[i] / c2).squareRoot() + epsilon)
                theta[i] = next
                norm2 += next * next
            }
        }
        return norm2
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
