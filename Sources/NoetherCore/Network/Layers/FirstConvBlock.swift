/// A net's first layer, a 3 × 3 convolution of at most three input channels (grey or colour
/// images), with the batch norm, ReLU and max pooling after it (BatchNormReLUMaxPool), run as
/// one layer. Forward is the two one after the other. Backward hands each channel's ∂L/∂(conv
/// output), just made by the block and still in cache, straight to that filter's gradient: the
/// full ∂L/∂(conv output), the largest map of the net, is never written out and read back, and
/// the input is not unfolded. Each filter's gradient is one pass over the padded input with its
/// 9 taps' sums in registers (fused multiply-adds, four positions of a row in four lanes, the
/// rest of a row in a scalar sum per tap, then the lanes and that sum added up).
struct FirstConvBlock: Layer {
    let conv: Conv2D
    let block: BatchNormReLUMaxPool

    init?(_ conv: any Layer, _ block: any Layer) {
        guard let conv = conv as? Conv2D, conv.kernel == 3, conv.inChannels <= 3, conv.bias == nil,
            let block = block as? BatchNormReLUMaxPool, block.input == conv.output
        else { return nil }
        (self.conv, self.block) = (conv, block)
    }

    /// The first layer that learns and the block after it become one, where they can (no ∂L/∂x
    /// is needed there: nothing below learns).
    static func fusing(_ layers: [any Layer]) -> [any Layer] {
        guard let i = layers.firstIndex(where: { $0 is any LinearLayer }), i + 1 < layers.count,
            let first = FirstConvBlock(layers[i], layers[i + 1])
        else { return layers }
        return Array(layers[..<i]) + [first] + layers[(i + 2)...]
    }

    var input: FeatureShape { conv.input }
    var output: FeatureShape { block.output }
    var holdsWeights: Bool { true }

    func declare(_ fold: inout SymmetryFold) {
        conv.declare(&fold)
        block.declare(&fold)
    }

    private var area: Int { conv.height * conv.width }
    private var padded: (rows: Int, cols: Int) { (conv.height + 2, conv.width + 2) }

    /// The conv output map, the block's scratch, the conv's (forward) or the padded input and one
    /// channel's ∂L/∂(conv output) (backward).
    func scratchCount(batch: Int) -> Int {
        let backward = conv.inChannels * batch * padded.rows * padded.cols + batch * area
        return batch * conv.output.size + block.scratchCount(batch: batch)
            + max(conv.forwardScratchCount(batch: batch), backward)
    }

    private func parts(_ scratch: UnsafeMutablePointer<Double>, batch: Int) -> (
        map: UnsafeMutablePointer<Double>, block: UnsafeMutablePointer<Double>, rest: UnsafeMutablePointer<Double>
    ) {
        let map = scratch, blockScratch = map + batch * conv.output.size
        return (map, blockScratch, blockScratch + block.scratchCount(batch: batch))
    }

    func forward(
        _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
        _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        let s = parts(scratch, batch: p.batch)
        conv.forward(x, s.map, s.rest, p)
        block.forward(s.map, y, s.block, p)
    }

    func backward(
        _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
        _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        // Only ever a net's first layer, so no ∂L/∂x is asked for.
        assert(dx == nil, "FirstConvBlock is a net's first layer")
        guard let grad = p.grad else { return }
        let s = parts(scratch, batch: p.batch), (rows, cols) = padded, planes = conv.inChannels * p.batch
        let xs = s.rest, channel = xs + planes * rows * cols
        // x with a border of one zero all round each plane (c, b).
        xs.update(repeating: 0, count: planes * rows * cols)
        for plane in 0..<planes {
            let from = x + plane * area, to = xs + plane * rows * cols + cols + 1
            for i in 0..<conv.height { (to + i * cols).update(from: from + i * conv.width, count: conv.width) }
        }
        block.backward(UnsafePointer(s.map), dy, s.block, p, into: { _ in channel }) { o, g in
            filterGradient(o, g, xs, grad + conv.weight, batch: p.batch)
        }
    }

    /// dW[o, c, ky, kx] = Σ_(b, i, j) g[b, i, j]·x̄[c, b, i + ky, j + kx], g = ∂L/∂(conv output o).
    private func filterGradient(
        _ o: Int, _ g: UnsafePointer<Double>, _ xs: UnsafePointer<Double>, _ dW: UnsafeMutablePointer<Double>,
        batch: Int
    ) {
        typealias V = SIMD4<Double>
        let (rows, cols) = padded, width = conv.width, body = width & ~3
        @inline(__always) func load(_ at: UnsafePointer<Double>) -> V { UnsafeRawPointer(at).loadUnaligned(as: V.self) }
        for c in 0..<conv.inChannels {
            var s0 = V(), s1 = V(), s2 = V(), s3 = V(), s4 = V(), s5 = V(), s6 = V(), s7 = V(), s8 = V()
            var t: (Double, Double, Double, Double, Double, Double, Double, Double, Double) = (
                0, 0, 0, 0, 0, 0, 0, 0, 0
            )
            for b in 0..<batch {
                for i in 0..<conv.height {
                    let d = g + b * area + i * width
                    let top = xs + (c * batch + b) * rows * cols + i * cols, mid = top + cols, low = mid + cols
                    var j = 0
                    while j < body {
                        let v = load(d + j)
                        s0 = s0.addingProduct(v, load(top + j)); s1 = s1.addingProduct(v, load(top + j + 1))
                        s2 = s2.addingProduct(v, load(top + j + 2)); s3 = s3.addingProduct(v, load(mid + j))
                        s4 = s4.addingProduct(v, load(mid + j + 1)); s5 = s5.addingProduct(v, load(mid + j + 2))
                        s6 = s6.addingProduct(v, load(low + j)); s7 = s7.addingProduct(v, load(low + j + 1))
                        s8 = s8.addingProduct(v, load(low + j + 2))
                        j += 4
                    }
                    while j < width {
                        let v = d[j]
                        t.0 = t.0.addingProduct(v, top[j]); t.1 = t.1.addingProduct(v, top[j + 1])
                        t.2 = t.2.addingProduct(v, top[j + 2]); t.3 = t.3.addingProduct(v, mid[j])
                        t.4 = t.4.addingProduct(v, mid[j + 1]); t.5 = t.5.addingProduct(v, mid[j + 2])
                        t.6 = t.6.addingProduct(v, low[j]); t.7 = t.7.addingProduct(v, low[j + 1])
                        t.8 = t.8.addingProduct(v, low[j + 2])
                        j += 1
                    }
                }
            }
            let to = dW + o * conv.fanIn + c * 9
            to[0] = s0.sum() + t.0; to[1] = s1.sum() + t.1; to[2] = s2.sum() + t.2
            to[3] = s3.sum() + t.3; to[4] = s4.sum() + t.4; to[5] = s5.sum() + t.5
            to[6] = s6.sum() + t.6; to[7] = s7.sum() + t.7; to[8] = s8.sum() + t.8
        }
    }
}
