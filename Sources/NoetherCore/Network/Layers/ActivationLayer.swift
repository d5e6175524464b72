/// The hidden activation, element by element in any layout.
struct ActivationLayer: Layer {
    let activation: Activation
    let leakySlope: Double
    let shape: FeatureShape

    var input: FeatureShape { shape }
    var output: FeatureShape { shape }

    /// ReLU, leaky ReLU and the identity commute with α > 0 (rescale); tanh does not.
    func declare(_ fold: inout SymmetryFold) {
        fold.pass(homogeneous: activation.isHomogeneous, identity: activation == .linear)
        if !activation.isHomogeneous {
            fold.note(
                "tanh is odd: its symmetries (sign flips, permutations of neurons) are discrete and give no Noether charge, so there is no rescale charge (THEORY.md §2.1)"
            )
        }
    }

    func forward(
        _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
        _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        let n = p.batch * shape.size
        switch activation {
        case .linear: y.update(from: x, count: n)
        case .relu:
            // As max(x, 0), two lanes at a time: NaN passes, −0 becomes +0.
            typealias V = SIMD2<Double>
            var i = 0
            while i + 2 <= n {
                let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
                UnsafeMutableRawPointer(y + i).storeBytes(of: v.replacing(with: 0, where: v .<= 0), as: V.self)
                i += 2
            }
            while i < n { y[i] = max(x[i], 0); i += 1 }
        case .leakyRelu:
            let s = leakySlope
            for i in 0..<n { y[i] = x[i] > 0 ? x[i] : s * x[i] }
        case .tanh: for i in 0..<n { y[i] = _tanh(x[i]) }
        }
    }

    func backward(
        _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
        _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        guard let dx else { return }
        let n = p.batch * shape.size
        switch activation {
        case .linear: dx.update(from: dy, count: n)
        case .relu:
            // Branch-free: ReLU signs are random, and a branch per element mispredicts half the time.
            typealias V = SIMD4<Double>
            var i = 0
            while i + 4 <= n {
                let xi = x.lanes(i), d = dy.lanes(i)
                dx.setLanes(i, V.zero.replacing(with: d, where: xi .> 0))
                i += 4
            }
            while i < n { dx[i] = x[i] > 0 ? dy[i] : 0; i += 1 }
        case .leakyRelu:
            let s = leakySlope
            for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : s * dy[i] }
        case .tanh: for i in 0..<n { dx[i] = dy[i] * (1 - y[i] * y[i]) }
        }
    }
}
