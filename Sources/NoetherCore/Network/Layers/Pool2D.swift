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

    func declare(_ fold: inout SymmetryFold) { fold.pass(homogeneous: true, identity: false) }

    func forward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                 _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let oh = height / 2, ow = width / 2
        for plane in 0..<(channels * p.batch) {
            let src = x + plane * height * width, dst = y + plane * oh * ow
            for i in 0..<oh {
                let top = src + 2 * i * width, bottom = top + width, out = dst + i * ow
                for j in 0..<ow {
                    let a = top[2 * j], b = top[2 * j + 1], c = bottom[2 * j], d = bottom[2 * j + 1]
                    if kind == .max {
                        // Only a strictly larger value replaces the best so far, as in PyTorch.
                        var m = a
                        if b > m { m = b }
                        if c > m { m = c }
                        if d > m { m = d }
                        out[j] = m
                    } else {
                        out[j] = 0.25 * (a + b + c + d)
                    }
                }
            }
        }
    }

    /// Every input position is written once, so dx needs no clearing. Max pooling finds each
    /// window's winner again as the first input equal to its output (the one forward kept).
    func backward(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
                  _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        guard let dx else { return }
        let oh = height / 2, ow = width / 2
        for plane in 0..<(channels * p.batch) {
            let src = x + plane * height * width, to = dx + plane * height * width
            let from = dy + plane * oh * ow, won = y + plane * oh * ow
            for i in 0..<oh {
                let at = 2 * i * width
                for j in 0..<ow {
                    let d = from[i * ow + j], k = at + 2 * j
                    if kind == .max {
                        let m = won[i * ow + j]
                        let w0 = src[k] == m, w1 = !w0 && src[k + 1] == m
                        let w2 = !w0 && !w1 && src[k + width] == m
                        // A NaN window matches nowhere; forward then kept its first entry.
                        let w3 = !w0 && !w1 && !w2 && src[k + width + 1] == m
                        let first = w0 || !(w1 || w2 || w3)
                        to[k] = first ? d : 0
                        to[k + 1] = w1 ? d : 0
                        to[k + width] = w2 ? d : 0
                        to[k + width + 1] = w3 ? d : 0
                    } else {
                        let q = 0.25 * d
                        to[k] = q; to[k + 1] = q; to[k + width] = q; to[k + width + 1] = q
                    }
                }
            }
            // Odd last row or column: no window reads them.
            if height % 2 == 1 { (to + (height - 1) * width).update(repeating: 0, count: width) }
            if width % 2 == 1 { for r in 0..<(2 * oh) { to[r * width + width - 1] = 0 } }
        }
    }
}
