/// 2-D convolution with a square odd kernel, stride 1 and "same" zero padding, on
/// channel-major maps. The weight is out × in × k × k, as PyTorch's nn.Conv2d. Both passes are
/// matrix products: the input is unfolded into columns (im2col) a chunk of images at a time.
struct Conv2D: LinearLayer {
    let name: String
    let inChannels: Int
    let outChannels: Int
    let height: Int
    let width: Int
    let kernel: Int
    let weight: Int
    let bias: Int?
    /// masks[t·area + (i, j)]: all ones where tap t of position (i, j) lies inside the image,
    /// made once: every unfolding of every chunk reads them.
    private let masks: [UInt64]

    init(
        name: String, inChannels: Int, outChannels: Int, height: Int, width: Int, kernel: Int, weight: Int, bias: Int?
    ) {
        (self.name, self.inChannels, self.outChannels) = (name, inChannels, outChannels)
        (self.height, self.width, self.kernel, self.weight, self.bias) = (height, width, kernel, weight, bias)
        let pad = kernel / 2
        var masks: [UInt64] = []
        for ky in 0..<kernel {
            for kx in 0..<kernel {
                for i in 0..<height {
                    for j in 0..<width {
                        let si = i + ky - pad, sj = j + kx - pad
                        masks.append(si >= 0 && si < height && sj >= 0 && sj < width ? ~0 : 0)
                    }
                }
            }
        }
        self.masks = masks
    }

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

    /// Two chunks (one per thread under --threads 2): of the unfolded input (forward, and for dW
    /// where ∂L/∂y is not unfolded), or of the unfolded ∂L/∂y (outChannels·k·k rows); then the
    /// flipped weight that turns the latter into ∂L/∂x, the filter gradient it makes before its
    /// taps are turned back, and a chunk of x transposed.
    func scratchCount(batch: Int) -> Int {
        let flipped = outChannels * kernel * kernel
        let chunkColumns = imagesPerChunk(rows: flipped, batch: batch) * height * width
        return max(2 * flipped * chunkColumns, forwardScratchCount(batch: batch)) + 2 * inChannels * flipped
            + inChannels * chunkColumns
    }

    /// What forward alone needs: two chunks of the unfolded input, one per thread.
    func forwardScratchCount(batch: Int) -> Int {
        2 * fanIn * imagesPerChunk(rows: fanIn, batch: batch) * height * width
    }

    /// Images unfolded at a time: a chunk of `rows` × its columns stays within about 256 KB (half
    /// a core's L2 cache), so the product reads the columns while they are still in cache.
    /// Splitting the columns of y or ∂L/∂x changes no sum: each output column is its own. dW adds
    /// up the chunks' products in order, so its sums depend on the chunk, which depends on the
    /// layer's shape and the batch alone, never on the machine. (A larger chunk can also move a
    /// product to another of OpenBLAS's kernels, whose results differ in the last bits.)
    private func imagesPerChunk(rows: Int, batch: Int) -> Int {
        let perImage = rows * height * width * MemoryLayout<Double>.size
        return min(batch, max(1, (256 << 10) / perImage))
    }

    /// y = W·cols, chunk by chunk of images unfolded into a contiguous buffer that the product reads
    /// while it is in cache. Under --threads 2 the first half of the chunks and the second run at
    /// once, each in its own buffer: every chunk is the same unfolding and product either way.
    func forward(
        _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
        _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        let columns = p.batch * height * width, work = Double(outChannels * fanIn * columns) / 2
        let chunk = imagesPerChunk(rows: fanIn, batch: p.batch), half = chunkHalves(batch: p.batch, chunk: chunk)
        // On one thread the second half reuses the first's buffer, still in cache.
        let second = BLAS.pairs(work: work) ? scratch + fanIn * chunk * height * width : scratch
        func run(_ images: Range<Int>, _ cols: UnsafeMutablePointer<Double>) {
            forEachUnfoldedChunk(of: x, batch: p.batch, images: images, into: cols) { at, n in
                BLAS.gemm(
                    transA: false, transB: false, m: outChannels, n: n, k: fanIn,
                    p.theta + weight, lda: fanIn, cols, ldb: n, y + at, ldc: columns)
            }
        }
        BLAS.both(work: work) {
            run(0..<half, scratch)
        } _: {
            run(half..<p.batch, second)
        }
        if let bias { addBias(p.theta + bias, to: y, shape: output, batch: p.batch) }
    }

    /// The images of the first half of the chunks (rounded up), where the second half starts.
    private func chunkHalves(batch: Int, chunk: Int) -> Int {
        let chunks = (batch + chunk - 1) / chunk
        return min(batch, (chunks + 1) / 2 * chunk)
    }

    /// The input's `images` (a run of whole chunks from the batch's first) unfolded a chunk at a
    /// time into `scratch` (fanIn rows of n columns), handing each chunk's first column in the
    /// batch and its n to `product`.
    private func forEachUnfoldedChunk(
        of x: UnsafePointer<Double>, batch: Int, images: Range<Int>? = nil,
        into scratch: UnsafeMutablePointer<Double>, _ product: (_ at: Int, _ n: Int) -> Void
    ) {
        let area = height * width, chunk = imagesPerChunk(rows: fanIn, batch: batch), all = images ?? 0..<batch
        for first in stride(from: all.lowerBound, to: all.upperBound, by: chunk) {
            let images = first..<min(all.upperBound, first + chunk), n = images.count * area
            unfold(x, channels: inChannels, batch: batch, images: images, into: scratch, stride: n)
            product(first * area, n)
        }
    }

    /// db = Σ dy; dx as the convolution of dy with the flipped kernel (the adjoint of a "same"
    /// convolution): its unfolded input has outChannels rows per offset instead of the fanIn rows
    /// Wᵀ·dy would write and fold back, and no scattered additions. dW from the same unfolded dy
    /// and x as it lies: dW[o, c, t] = Σ_p dy[o, p]·x[c, p + off_t] = Σ_p dy[o, p − off_t]·x[c, p],
    /// and dy shifted by −off_t is the unfolded row of tap k² − 1 − t, masked where it must be. So
    /// one unfolding a chunk serves both; only where dx is not needed (the first layer) and the
    /// input has fewer rows to unfold is dW = dy·colsᵀ on the unfolded input instead. The chunks
    /// depend on the layer's shape and the batch alone, and dW adds up their products in order.
    func backward(
        _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
        _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        guard let grad = p.grad else { return }
        let area = height * width, columns = p.batch * area
        let taps = kernel * kernel, rows = outChannels * taps
        if let bias { biasGradient(dy, grad + bias, shape: output, batch: p.batch) }
        guard dx != nil || rows <= fanIn else {
            forEachUnfoldedChunk(of: x, batch: p.batch, into: scratch) { at, n in
                BLAS.gemm(
                    transA: false, transB: true, m: outChannels, n: fanIn, k: n,
                    dy + at, lda: columns, scratch, ldb: n, beta: at == 0 ? 0 : 1, grad + weight, ldc: fanIn)
            }
            return
        }
        let chunk = imagesPerChunk(rows: rows, batch: p.batch), chunkColumns = chunk * area
        let dyCols = scratch, dyCols2 = dyCols + rows * chunkColumns
        let flipped = dyCols2 + rows * chunkColumns, turned = flipped + inChannels * rows
        let xT = turned + rows * inChannels
        let w = p.theta + weight
        if dx != nil {
            // flipped[c, (o, t)] = W[o, c, k² − 1 − t]: channels swapped, kernel turned by 180°.
            for o in 0..<outChannels {
                for c in 0..<inChannels {
                    let from = w + (o * inChannels + c) * taps, to = flipped + c * rows + o * taps
                    for t in 0..<taps { to[t] = from[taps - 1 - t] }
                }
            }
        }
        /// Each chunk of dy unfolded into `cols`, with its first image and column count.
        func forEachChunk(into cols: UnsafeMutablePointer<Double>, _ body: (_ first: Int, _ n: Int) -> Void) {
            for first in stride(from: 0, to: p.batch, by: chunk) {
                let images = first..<min(p.batch, first + chunk)
                unfold(dy, channels: outChannels, batch: p.batch, images: images, into: cols, stride: chunkColumns)
                body(first, images.count * area)
            }
        }
        // turned[(o, t), c] += Σ_p dyCols[(o, t), p]·x[c, p] over the chunk's columns, with the
        // chunk of x transposed first: OpenBLAS makes this product with neither operand
        // transposed at about 55 GFLOP/s, and with one transposed at about 42 (24·9 × 24 × 128).
        func filterChunk(_ first: Int, _ n: Int, _ cols: UnsafeMutablePointer<Double>) {
            BLAS.transpose(rows: inChannels, cols: n, x + first * area, ld: columns, into: xT)
            BLAS.gemm(
                transA: false, transB: false, m: rows, n: inChannels, k: n,
                cols, lda: chunkColumns, xT, ldb: inChannels, beta: first == 0 ? 0 : 1, turned, ldc: inChannels)
        }
        func inputChunk(
            _ first: Int, _ n: Int, _ cols: UnsafeMutablePointer<Double>, _ dx: UnsafeMutablePointer<Double>
        ) {
            BLAS.gemm(
                transA: false, transB: false, m: inChannels, n: n, k: rows,
                flipped, lda: rows, cols, ldb: chunkColumns, dx + first * area, ldc: columns)
        }
        let work = Double(rows * inChannels * columns)
        if let dx, BLAS.pairs(work: work) {
            // --threads 2: the filter gradient's chunks on one thread and dx's on the other, each
            // unfolding dy for itself; every product is the one a single thread makes.
            BLAS.both(work: work) {
                forEachChunk(into: dyCols) { first, n in filterChunk(first, n, dyCols) }
            } _: {
                forEachChunk(into: dyCols2) { first, n in inputChunk(first, n, dyCols2, dx) }
            }
        } else {
            forEachChunk(into: dyCols) { first, n in
                filterChunk(first, n, dyCols)
                if let dx { inputChunk(first, n, dyCols, dx) }
            }
        }
        // dW[o, c, t] = turned[(o, k² − 1 − t), c].
        for o in 0..<outChannels {
            for c in 0..<inChannels {
                let to = grad + weight + (o * inChannels + c) * taps, from = turned + o * taps * inChannels + c
                for t in 0..<taps { to[t] = from[(taps - 1 - t) * inChannels] }
            }
        }
    }

    /// cols[(c, ky, kx), (b, i, j)] = x[c, b, i + ky − pad, j + kx − pad], zero outside the image,
    /// for the images of `images` (column 0 of `into` is the first one's), rows `stride` apart.
    /// A channel's images lie one after another in x as their columns do in a row, so each row is
    /// one copy of the chunk shifted by (ky − pad)·width + kx − pad, with what that copy brings in
    /// from a neighbouring row or image masked to +0: one pass with no branch and no call per image.
    private func unfold(
        _ x: UnsafePointer<Double>, channels: Int, batch: Int, images: Range<Int>,
        into cols: UnsafeMutablePointer<Double>, stride: Int
    ) {
        let pad = kernel / 2, area = height * width, taps = kernel * kernel, total = channels * batch * area
        masks.withUnsafeBufferPointer { masks in
            let bits = UnsafeRawPointer(x).assumingMemoryBound(to: UInt64.self)
            var row = UnsafeMutableRawPointer(cols).assumingMemoryBound(to: UInt64.self)
            for c in 0..<channels {
                for t in 0..<taps {
                    let offset = (t / kernel - pad) * width + t % kernel - pad
                    let mask = masks.baseAddress! + t * area
                    for b in images {
                        let start = (c * batch + b) * area, out = row + (b - images.lowerBound) * area
                        let source = bits + start + offset
                        if start + min(0, offset) >= 0, start + area + max(0, offset) <= total {
                            Self.masked(source, mask, out, area)
                        } else {
                            // The first or last image of x: reads outside it are never made.
                            for q in 0..<area { out[q] = mask[q] == 0 ? 0 : source[q] }
                        }
                    }
                    row += stride
                }
            }
        }
    }

    /// out = source & mask over n numbers' bits, four at a time.
    @inline(__always)
    private static func masked(
        _ source: UnsafePointer<UInt64>, _ mask: UnsafePointer<UInt64>, _ out: UnsafeMutablePointer<UInt64>, _ n: Int
    ) {
        typealias V = SIMD4<UInt64>
        var q = 0
        while q + 4 <= n {
            let v =
                UnsafeRawPointer(source + q).loadUnaligned(as: V.self)
                & UnsafeRawPointer(mask + q).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(out + q).storeBytes(of: v, as: V.self)
            q += 4
        }
        while q < n { out[q] = source[q] & mask[q]; q += 1 }
    }
}
