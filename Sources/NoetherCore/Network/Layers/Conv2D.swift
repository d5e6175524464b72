/// 2-D convolution with a square odd kernel, stride 1 and "same" zero padding, on
/// channel-major maps. The weight is out × in × k × k, as PyTorch's nn.Conv2d. Both passes are
/// matrix products over the whole batch: the input is unfolded into columns (im2col) once.
struct Conv2D: LinearLayer {
    let name: String
    let inChannels: Int
    let outChannels: Int
    let height: Int
    let width: Int
    let kernel: Int
    let weight: Int
    let bias: Int?

    var input: FeatureShape { .map(channels: inChannels, height: height, width: width) }
    var output: FeatureShape { .map(channels: outChannels, height: height, width: width) }
    var fanIn: Int { inChannels * kernel * kernel }
    var weightShape: [Int] { [outChannels, inChannels, kernel, kernel] }

    /// Every filter's k × k slice on input channel c.
    func reading(_ c: Int) -> [Segment] {
        let area = kernel * kernel
        return (0..<outChannels).map { o in
            Segment(offset: weight + o * fanIn + c * area, count: area, stride: 1, sign: 1)
        }
    }

    /// The unfolded input and, in backward, its gradient: fanIn × (batch·H·W) each.
    func scratchCount(batch: Int) -> Int { 2 * fanIn * batch * height * width }

    func forward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                 _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let columns = p.batch * height * width
        unfold(x, into: scratch, batch: p.batch)
        BLAS.gemm(transA: false, transB: false, m: outChannels, n: columns, k: fanIn,
                  p.theta + weight, lda: fanIn, scratch, ldb: columns, y, ldc: columns)
        if let bias { addBias(p.theta + bias, to: y, shape: output, batch: p.batch) }
    }

    /// dW = dy·colsᵀ, db = Σ dy, dx = fold(Wᵀ·dy).
    func backward(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
                  _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        guard let grad = p.grad else { return }
        let columns = p.batch * height * width
        BLAS.gemm(transA: false, transB: true, m: outChannels, n: fanIn, k: columns,
                  dy, lda: columns, scratch, ldb: columns, grad + weight, ldc: fanIn)
        if let bias { biasGradient(dy, grad + bias, shape: output, batch: p.batch) }
        guard let dx else { return }
        let dCols = scratch + fanIn * columns
        BLAS.gemm(transA: true, transB: false, m: fanIn, n: columns, k: outChannels,
                  p.theta + weight, lda: fanIn, dy, ldb: columns, dCols, ldc: columns)
        fold(dCols, into: dx, batch: p.batch)
    }

    /// cols[(c, ky, kx), (b, i, j)] = x[c, b, i + ky − pad, j + kx − pad], zero outside the image.
    private func unfold(_ x: UnsafePointer<Double>, into cols: UnsafeMutablePointer<Double>, batch: Int) {
        visit(batch: batch) { col, source, count in
            if let source { (cols + col).update(from: x + source, count: count) } else {
                (cols + col).update(repeating: 0, count: count)
            }
        }
    }

    /// The adjoint of `unfold`: every column entry added back onto the input position it came from.
    private func fold(_ cols: UnsafePointer<Double>, into dx: UnsafeMutablePointer<Double>, batch: Int) {
        dx.update(repeating: 0, count: inChannels * batch * height * width)
        visit(batch: batch) { col, source, count in
            guard let source else { return }
            let from = cols + col, to = dx + source
            for i in 0..<count { to[i] += from[i] }
        }
    }

    /// Walks the unfolded matrix in contiguous runs: `body(column offset, input offset or nil
    /// for zero padding, length)`.
    private func visit(batch: Int, _ body: (Int, Int?, Int) -> Void) {
        let pad = kernel / 2, area = height * width, columns = batch * area
        for c in 0..<inChannels {
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    let r = (c * kernel + ky) * kernel + kx
                    let shift = kx - pad
                    let lo = max(0, -shift), hi = min(width, width - shift)
                    for b in 0..<batch {
                        for i in 0..<height {
                            let col = r * columns + b * area + i * width
                            let iy = i + ky - pad
                            guard iy >= 0, iy < height, lo < hi else { body(col, nil, width); continue }
                            if lo > 0 { body(col, nil, lo) }
                            body(col + lo, (c * batch + b) * area + iy * width + lo + shift, hi - lo)
                            if hi < width { body(col + hi, nil, width - hi) }
                        }
                    }
                }
            }
        }
    }
}
