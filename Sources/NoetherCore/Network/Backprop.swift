/// Forward and backward passes of the MLP for a fixed batch size, on preallocated buffers
/// (no allocation per step). Written by hand so every derivative is visible and testable
/// against finite differences.
public final class Backprop {
    public let arch: Architecture
    public let batch: Int
    // Per hidden layer: input activations, pre-norm z, normalized ẑ, pre-activation y, output a.
    private var z: [UnsafeMutablePointer<Double>] = []
    private var zhat: [UnsafeMutablePointer<Double>] = []
    private var y: [UnsafeMutablePointer<Double>] = []
    private var a: [UnsafeMutablePointer<Double>] = []
    private var invStd: [UnsafeMutablePointer<Double>] = []
    private let logits: UnsafeMutablePointer<Double>
    private let dLogits: UnsafeMutablePointer<Double>
    private let dA: UnsafeMutablePointer<Double>
    private let dY: UnsafeMutablePointer<Double>
    private let dZ: UnsafeMutablePointer<Double>
    private let stat: UnsafeMutablePointer<Double>   // per-neuron scratch (batch-norm sums)
    private let stat2: UnsafeMutablePointer<Double>
    private var owned: [UnsafeMutablePointer<Double>] = []

    public init(arch: Architecture, batch: Int) {
        self.arch = arch
        self.batch = batch
        func alloc(_ n: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        let maxWidth = arch.hidden.map(\.width).max() ?? 1
        for layer in arch.hidden {
            let n = batch * layer.width
            z.append(alloc(n)); zhat.append(alloc(n)); a.append(alloc(n))
            // Without normalization the pre-activation is z itself: no copy.
            y.append(arch.norm == .none ? z.last! : alloc(n))
            invStd.append(alloc(max(batch, 2 * layer.width)))
        }
        logits = alloc(batch * arch.outputDim)
        dLogits = alloc(batch * arch.outputDim)
        dA = alloc(batch * maxWidth)
        dY = alloc(batch * maxWidth)
        dZ = alloc(batch * maxWidth)
        stat = alloc(maxWidth)
        stat2 = alloc(maxWidth)
        owned = z + zhat + (arch.norm == .none ? [] : y) + a + invStd + [logits, dLogits, dA, dY, dZ, stat, stat2]
    }

    deinit { for p in owned { p.deallocate() } }

    public struct Result: Sendable {
        public var loss: Double
        public var correct: Int
    }

    /// Loss of the minibatch at θ and, when `grad` is given, its gradient ∂L/∂θ (loss only, no WD).
    /// `x` is batch × inputDim; `labels` (classification) or `targets` (batch × outputDim).
    @discardableResult
    public func run(
        theta: UnsafePointer<Double>, grad: UnsafeMutablePointer<Double>?,
        x: UnsafePointer<Double>, labels: UnsafePointer<Int>?, targets: UnsafePointer<Double>?
    ) -> Result {
        let B = batch
        var input = x
        var inputWidth = arch.inputDim
        for (l, layer) in arch.hidden.enumerated() {
            forwardHidden(l, layer, theta, input, inputWidth)
            input = UnsafePointer(a[l])
            inputWidth = layer.width
        }
        let C = arch.outputDim
        dense(theta + arch.outputWeight, arch.outputBias.map { theta + $0 }, input, inputWidth, C, logits)
        let result = arch.task == .classification
            ? softmaxCrossEntropy(labels!, C) : meanSquaredError(targets!, C)
        guard let grad else { return result }

        // Output layer.
        backDense(dLogits, C, input, inputWidth, grad + arch.outputWeight, arch.outputBias.map { grad + $0 })
        if arch.hidden.isEmpty { return result }
        BLAS.gemm(transA: false, transB: false, m: B, n: inputWidth, k: C,
                  dLogits, lda: C, theta + arch.outputWeight, ldb: inputWidth, dA, ldc: inputWidth)
        for l in stride(from: arch.hidden.count - 1, through: 0, by: -1) {
            let layer = arch.hidden[l]
            backwardHidden(l, layer, theta, grad)
            let prev: UnsafePointer<Double> = l == 0 ? x : UnsafePointer(a[l - 1])
            backDense(dZ, layer.width, prev, layer.inputs, grad + layer.weight, layer.bias.map { grad + $0 })
            if l > 0 {
                BLAS.gemm(transA: false, transB: false, m: B, n: layer.inputs, k: layer.width,
                          dZ, lda: layer.width, theta + layer.weight, ldb: layer.inputs, dA, ldc: layer.inputs)
            }
        }
        return result
    }

    /// out[B×n] = input[B×k] · Wᵀ + b
    private func dense(_ w: UnsafePointer<Double>, _ b: UnsafePointer<Double>?, _ input: UnsafePointer<Double>,
                       _ k: Int, _ n: Int, _ out: UnsafeMutablePointer<Double>) {
        BLAS.gemm(transA: false, transB: true, m: batch, n: n, k: k, input, lda: k, w, ldb: k, out, ldc: n)
        guard let b else { return }
        for r in 0..<batch {
            let row = out + r * n
            for j in 0..<n { row[j] += b[j] }
        }
    }

    /// dW = dOutᵀ · input, db = column sums of dOut.
    private func backDense(_ dOut: UnsafePointer<Double>, _ n: Int, _ input: UnsafePointer<Double>, _ k: Int,
                           _ dW: UnsafeMutablePointer<Double>, _ db: UnsafeMutablePointer<Double>?) {
        BLAS.gemm(transA: true, transB: false, m: n, n: k, k: batch, dOut, lda: n, input, ldb: k, dW, ldc: k)
        guard let db else { return }
        for j in 0..<n { db[j] = 0 }
        for r in 0..<batch {
            let row = dOut + r * n
            for j in 0..<n { db[j] += row[j] }
        }
    }

    private func forwardHidden(_ l: Int, _ layer: HiddenLayer, _ theta: UnsafePointer<Double>,
                               _ input: UnsafePointer<Double>, _ k: Int) {
        let B = batch, w = layer.width
        dense(theta + layer.weight, layer.bias.map { theta + $0 }, input, k, w, z[l])
        let zl = z[l], zh = zhat[l], yl = y[l], inv = invStd[l]
        switch arch.norm {
        case .none:
            break  // y aliases z
        case .batch:
            // Batch statistics per neuron (training mode), biased variance as in PyTorch.
            // Accumulated row by row so every pass is contiguous in memory.
            let mean = stat, variance = stat2
            mean.initialize(repeating: 0, count: w)
            variance.initialize(repeating: 0, count: w)
            for r in 0..<B { let row = zl + r * w; for j in 0..<w { mean[j] += row[j] } }
            let scale = 1 / Double(B)
            for j in 0..<w { mean[j] *= scale }
            for r in 0..<B {
                let row = zl + r * w
                for j in 0..<w { let d = row[j] - mean[j]; variance[j] += d * d }
            }
            for j in 0..<w {
                // A neuron whose incoming weights have decayed to nothing (it gets no gradient,
                // THEORY.md §10) has zero variance: with eps = 0 it normalizes to 0 instead of NaN.
                let s = 1 / (variance[j] * scale + arch.eps).squareRoot()
                inv[j] = s.isFinite ? s : 0
            }
            for r in 0..<B {
                let row = zl + r * w, out = zh + r * w
                for j in 0..<w { out[j] = (row[j] - mean[j]) * inv[j] }
            }
        case .layer:
            // Statistics per sample over the layer's features.
            for r in 0..<B {
                let row = zl + r * w
                var mean = 0.0
                for j in 0..<w { mean += row[j] }
                mean /= Double(w)
                var variance = 0.0
                for j in 0..<w { let d = row[j] - mean; variance += d * d }
                variance /= Double(w)
                let s = 1 / (variance + arch.eps).squareRoot()
                inv[r] = s.isFinite ? s : 0
                for j in 0..<w { zh[r * w + j] = (row[j] - mean) * inv[r] }
            }
        }
        if let g = layer.gamma, let b = layer.beta {
            let gamma = theta + g, beta = theta + b
            for r in 0..<B {
                for j in 0..<w { yl[r * w + j] = gamma[j] * zh[r * w + j] + beta[j] }
            }
        }
        let al = a[l], n = B * w
        switch arch.activation {
        case .linear: al.update(from: yl, count: n)
        case .relu: for i in 0..<n { al[i] = max(yl[i], 0) }
        case .leakyRelu:
            let s = arch.leakySlope
            for i in 0..<n { al[i] = yl[i] > 0 ? yl[i] : s * yl[i] }
        case .tanh: for i in 0..<n { al[i] = _tanh(yl[i]) }
        }
    }

    /// From dA (gradient at the block's output) to dZ (gradient at the dense output),
    /// writing the normalization affine gradients on the way.
    private func backwardHidden(_ l: Int, _ layer: HiddenLayer, _ theta: UnsafePointer<Double>,
                                _ grad: UnsafeMutablePointer<Double>) {
        let B = batch, w = layer.width, n = B * w
        let yl = y[l], al = a[l], dA = self.dA
        // Without normalization the activation's derivative lands in dZ directly.
        let dY = layer.gamma == nil ? self.dZ : self.dY
        switch arch.activation {
        case .linear: dY.update(from: dA, count: n)
        case .relu:
            // Branch-free: ReLU signs are random, and a branch per element mispredicts half the time.
            typealias V = SIMD4<Double>
            var i = 0
            while i + 4 <= n {
                let y = UnsafeRawPointer(yl + i).loadUnaligned(as: V.self)
                let d = UnsafeRawPointer(dA + i).loadUnaligned(as: V.self)
                UnsafeMutableRawPointer(dY + i).storeBytes(of: V.zero.replacing(with: d, where: y .> 0), as: V.self)
                i += 4
            }
            while i < n { dY[i] = yl[i] > 0 ? dA[i] : 0; i += 1 }
        case .leakyRelu:
            let s = arch.leakySlope
            for i in 0..<n { dY[i] = yl[i] > 0 ? dA[i] : s * dA[i] }
        case .tanh: for i in 0..<n { dY[i] = dA[i] * (1 - al[i] * al[i]) }
        }
        guard let g = layer.gamma, let b = layer.beta else { return }
        let gamma = theta + g, dGamma = grad + g, dBeta = grad + b
        let zh = zhat[l], inv = invStd[l]
        for j in 0..<w { dGamma[j] = 0; dBeta[j] = 0 }
        for r in 0..<B {
            for j in 0..<w {
                let d = dY[r * w + j]
                dGamma[j] += d * zh[r * w + j]
                dBeta[j] += d
                dA[r * w + j] = d * gamma[j]  // reuse dA as dẐ
            }
        }
        switch arch.norm {
        case .none: break
        case .batch:
            let count = Double(B)
            let sum = stat, dot = stat2
            sum.initialize(repeating: 0, count: w)
            dot.initialize(repeating: 0, count: w)
            for r in 0..<B {
                let d = dA + r * w, z = zh + r * w
                for j in 0..<w { sum[j] += d[j]; dot[j] += d[j] * z[j] }
            }
            for j in 0..<w { inv[j + w] = inv[j] / count }  // scratch: invstd / B
            for r in 0..<B {
                let d = dA + r * w, z = zh + r * w, out = dZ + r * w
                for j in 0..<w { out[j] = inv[j + w] * (count * d[j] - sum[j] - z[j] * dot[j]) }
            }
        case .layer:
            let count = Double(w)
            for r in 0..<B {
                var sum = 0.0, dot = 0.0
                for j in 0..<w { sum += dA[r * w + j]; dot += dA[r * w + j] * zh[r * w + j] }
                let s = inv[r] / count
                for j in 0..<w {
                    dZ[r * w + j] = s * (count * dA[r * w + j] - sum - zh[r * w + j] * dot)
                }
            }
        }
    }

    /// Mean cross-entropy of softmax(logits); dLogits = (p − onehot)/B.
    private func softmaxCrossEntropy(_ labels: UnsafePointer<Int>, _ C: Int) -> Result {
        var loss = 0.0
        var correct = 0
        let scale = 1 / Double(batch)
        for r in 0..<batch {
            let row = logits + r * C, d = dLogits + r * C
            var m = row[0], argmax = 0
            for c in 1..<C where row[c] > m { m = row[c]; argmax = c }
            var sum = 0.0
            for c in 0..<C { let e = _exp(row[c] - m); d[c] = e; sum += e }
            let label = labels[r]
            loss += (m + _log(sum)) - row[label]
            if argmax == label { correct += 1 }
            let invSum = 1 / sum
            for c in 0..<C { d[c] = d[c] * invSum * scale }
            d[label] -= scale
        }
        return Result(loss: loss * scale, correct: correct)
    }

    /// Mean over all elements of (output − target)², PyTorch's MSELoss default.
    private func meanSquaredError(_ targets: UnsafePointer<Double>, _ C: Int) -> Result {
        let n = batch * C
        let scale = 1 / Double(n)
        var loss = 0.0
        for i in 0..<n {
            let e = logits[i] - targets[i]
            loss += e * e
            dLogits[i] = 2 * e * scale
        }
        return Result(loss: loss * scale, correct: 0)
    }
}
