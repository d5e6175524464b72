/// y = x·Wᵀ + b on batch-major vectors; W is out × in, as PyTorch's nn.Linear.
struct Dense: LinearLayer {
    let name: String
    let inputs: Int
    let outputs: Int
    let weight: Int
    let bias: Int?

    var input: FeatureShape { .vector(inputs) }
    var output: FeatureShape { .vector(outputs) }
    var fanIn: Int { inputs }
    var weightShape: [Int] { [outputs, inputs] }

    /// Column c: every unit's weight on input c.
    func reading(_ c: Int) -> [Segment] {
        [Segment(offset: weight + c, count: outputs, stride: inputs, sign: 1)]
    }

    func translationColumns(_ units: Range<Int>) -> [[Segment]] {
        (0..<inputs).map { j in
            [Segment(offset: weight + units.lowerBound * inputs + j, count: units.count, stride: inputs, sign: 1)]
        }
    }

    func forward(
        _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
        _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        BLAS.gemm(
            transA: false, transB: true, m: p.batch, n: outputs, k: inputs,
            x, lda: inputs, p.theta + weight, ldb: inputs, y, ldc: outputs)
        if let bias { addBias(p.theta + bias, to: y, shape: output, batch: p.batch) }
    }

    /// dW = dyᵀ·x, db = Σ dy, dx = dy·W.
    func backward(
        _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
        _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        guard let grad = p.grad else { return }
        func parameters() {
            BLAS.gemm(
                transA: true, transB: false, m: outputs, n: inputs, k: p.batch,
                dy, lda: outputs, x, ldb: inputs, grad + weight, ldc: inputs)
            if let bias { biasGradient(dy, grad + bias, shape: output, batch: p.batch) }
        }
        guard let dx else { return parameters() }
        // The two products read dy and write apart: on two threads (--threads 2) they run at once.
        BLAS.both(work: Double(outputs * inputs * p.batch), parameters) {
            BLAS.gemm(
                transA: false, transB: false, m: p.batch, n: inputs, k: outputs,
                dy, lda: outputs, p.theta + weight, ldb: inputs, dx, ldc: inputs)
        }
    }
}
