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

    func translationColumns(_ units: Range<Int>) -> [[Segment]] { [] }

    /// The unfolded input, and in backward the unfolded ∂L/∂y (outChannels·k·k × batch·H·W)
    /// and the flipped weight that turns it into ∂L/∂x.
    func scratchCount(batch: Int) -> Int {
        let columns = batch * height * width, flipped = outChannels * kernel * kernel
        return (fanIn + flipped) * columns + inChannels * flipped
    }

    func forward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                 _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let columns = p.batch * height * width
        unfold(x, channels: inChannels, into: scratch, batch: p.batch)
        BLAS.gemm(transA: false, transB: false, m: outChannels, n: columns, k: fanIn,
                  p.theta + weight, lda: fanIn, scratch, ldb: columns, y, ldc: columns)
        if let bias { addBias(p.theta + bias, to: y, shape: output, batch: p.batch) }
    }

    /// dW = dy·colsᵀ, db = Σ dy, and dx as the convolution of dy with the flipped kernel (the
    /// adjoint of a "same" convolution): its unfolded input has outChannels rows per offset
    /// instead of the fanIn rows Wᵀ·dy would write and fold back, and no scattered additions.
    func backward(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
                  _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        guard let grad = p.grad else { return }
        let columns = p.batch * height * width
        BLAS.gemm(transA: false, transB: true, m: outChannels, n: fanIn, k: columns,
                  dy, lda: columns, scratch, ldb: columns, grad + weight, ldc: fanIn)
        if let bias { biasGradient(dy, grad + bias, shape: output, batch: p.batch) }
        guard let dx else { return }
        let area = kernel * kernel, rows = outChannels * area
        let dyCols = scratch + fanIn * columns, flipped = dyCols + rows * columns
        // flipped[c, (o, t)] = W[o, c, k² − 1 − t]: channels swapped, kernel turned by 180°.
        let w = p.theta + weight
        for o in 0..<outChannels {
            for c in 0..<inChannels {
                let from = w + (o * inChannels + c) * area, to = flipped + c * rows + o * area
                for t in 0..<area { to[t] = from[area - 1 - t] }
            }
        }
        unfold(dy, channels: outChannels, into: dyCols, batch: p.batch)
        BLAS.gemm(transA: false, transB: false, m: inChannels, n: columns, k: rows,
                  flipped, lda: rows, dyCols, ldb: columns, dx, ldc: columns)
    }

    /// cols[(c, ky, kx), (b, i, j)] = x[c, b, i + ky − pad, j + kx − pad], zero outside the image;
    /// each row of an image is one short run, written in place (no call per run).
    private func unfold(_ x: UnsafePointer<Double>, channels: Int, into cols: UnsafeMutablePointer<Double>, batch: Int) {
        let pad = kernel / 2, area = height * width
        var out = cols
        for c in 0..<channels {
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    let shift = kx - pad
                    let lo = max(0, -shift), hi = max(lo, min(width, width - shift))
                    for b in 0..<batch {
                        let image = x + (c * batch + b) * area
                        for i in 0..<height {
                            let iy = i + ky - pad
                            if iy < 0 || iy >= height {
                                for j in 0..<width { out[j] = 0 }
                            } else {
                                let src = image + iy * width
                                for j in 0..<lo { out[j] = 0 }
                                for j in lo..<hi { out[j] = src[j + shift] }
                                for j in hi..<width { out[j] = 0 }
                            }
                            out += width
                        }
                    }
                }
            }
        }
    }
}
