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

    func forward(
        _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
        _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
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
    /// window's winner again as the first input equal to its output (the one forward kept): forward
    /// replaces only on a strictly larger value, so every entry before the winner is smaller or
    /// NaN, and the output is NaN only when the first entry is, which then takes the gradient.
    func backward(
        _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
        _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        guard let dx else { return }
        let oh = height / 2, ow = width / 2
        for plane in 0..<(channels * p.batch) {
            let src = x + plane * height * width, to = dx + plane * height * width
            let from = dy + plane * oh * ow, won = y + plane * oh * ow
            for i in 0..<oh {
                let top = src + 2 * i * width, bottom = top + width
                let toTop = to + 2 * i * width, toBottom = toTop + width
                let d = from + i * ow, m = won + i * ow
                if kind == .max {
                    for j in 0..<ow {
                        let g = d[j], best = m[j]
                        let a = top[2 * j] == best || best != best, b = !a && top[2 * j + 1] == best
                        let c = !a && !b && bottom[2 * j] == best, e = !a && !b && !c
                        toTop[2 * j] = a ? g : 0
                        toTop[2 * j + 1] = b ? g : 0
                        toBottom[2 * j] = c ? g : 0
                        toBottom[2 * j + 1] = e && bottom[2 * j + 1] == best ? g : 0
                    }
                } else {
                    for j in 0..<ow {
                        let q = 0.25 * d[j]
                        toTop[2 * j] = q; toTop[2 * j + 1] = q; toBottom[2 * j] = q; toBottom[2 * j + 1] = q
                    }
                }
            }
            // Odd last row or column: no window reads them.
            if height % 2 == 1 { (to + (height - 1) * width).update(repeating: 0, count: width) }
            if width % 2 == 1 { for r in 0..<(2 * oh) { to[r * width + width - 1] = 0 } }
        }
    }
}
