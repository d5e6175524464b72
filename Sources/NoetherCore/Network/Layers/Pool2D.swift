/// 2 × 2 pooling with stride 2 on channel-major maps (odd rows and columns at the edge are
/// dropped, as PyTorch's default). Both kinds commute with a positive rescaling of a channel,
/// so they keep its rescale symmetry (THEORY.md §2.1).
struct Pool2D: Layer {
    enum Kind: String, Sendable { case max, avg }
    let kind: Kind
    let channels: Int
    let height: Int
    let width: Int

    var input: FeatureShape { .map(channels: channels, height: height, width: width) }
    var output: FeatureShape { .map(channels: channels, height: height / 2, width: width / 2) }

    /// Max pooling remembers which input won each window.
    func scratchCount(batch: Int) -> Int { kind == .max ? batch * output.size : 0 }

    func forward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                 _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let oh = height / 2, ow = width / 2
        for plane in 0..<(channels * p.batch) {
            let src = x + plane * height * width, dst = y + plane * oh * ow
            for i in 0..<oh {
                for j in 0..<ow {
                    let at = 2 * i * width + 2 * j
                    if kind == .max {
                        // The first of equal maxima wins, as in PyTorch.
                        var best = at
                        if src[at + 1] > src[best] { best = at + 1 }
                        if src[at + width] > src[best] { best = at + width }
                        if src[at + width + 1] > src[best] { best = at + width + 1 }
                        dst[i * ow + j] = src[best]
                        scratch[plane * oh * ow + i * ow + j] = Double(best)
                    } else {
                        dst[i * ow + j] = 0.25 * (src[at] + src[at + 1] + src[at + width] + src[at + width + 1])
                    }
                }
            }
        }
    }

    func backward(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
                  _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        guard let dx else { return }
        let oh = height / 2, ow = width / 2
        dx.update(repeating: 0, count: p.batch * input.size)
        for plane in 0..<(channels * p.batch) {
            let to = dx + plane * height * width, from = dy + plane * oh * ow
            for i in 0..<oh {
                for j in 0..<ow {
                    let d = from[i * ow + j]
                    if kind == .max {
                        to[Int(scratch[plane * oh * ow + i * ow + j])] += d
                    } else {
                        let at = 2 * i * width + 2 * j, q = 0.25 * d
                        to[at] += q; to[at + 1] += q; to[at + width] += q; to[at + width + 1] += q
                    }
                }
            }
        }
    }
}
