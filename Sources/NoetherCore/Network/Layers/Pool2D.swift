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

    /// Max pooling keeps each window's winner (0…3, one byte per output) for backward.
    func scratchCount(batch: Int) -> Int {
        kind == .max ? (channels * batch * (height / 2) * (width / 2) + 7) / 8 : 0
    }

    func forward(
        _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
        _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        let oh = height / 2, ow = width / 2
        let winners = UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: UInt8.self)
        for plane in 0..<(channels * p.batch) {
            let src = x + plane * height * width, dst = y + plane * oh * ow
            for i in 0..<oh {
                let top = src + 2 * i * width, bottom = top + width, out = dst + i * ow
                let won = winners + (plane * oh + i) * ow
                if kind == .max {
                    for j in 0..<ow {
                        // Only a strictly larger value replaces the best so far, as in PyTorch.
                        let a = top[2 * j], b = top[2 * j + 1], c = bottom[2 * j], d = bottom[2 * j + 1]
                        var m = a
                        if b > m { m = b }
                        if c > m { m = c }
                        if d > m { m = d }
                        out[j] = m
                        // The winner is the first entry equal to the maximum (every one before it
                        // is smaller), or the first when it is NaN; found after the maximum so
                        // both stay free of branches.
                        won[j] = a == m || m != m ? 0 : b == m ? 1 : c == m ? 2 : 3
                    }
                } else {
                    for j in 0..<ow {
                        let a = top[2 * j], b = top[2 * j + 1], c = bottom[2 * j], d = bottom[2 * j + 1]
                        out[j] = 0.25 * (a + b + c + d)
                    }
                }
            }
        }
    }

    /// Every input position is written once, so dx needs no clearing. Max pooling sends each
    /// window's gradient to the winner forward kept.
    func backward(
        _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
        _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass
    ) {
        guard let dx else { return }
        let oh = height / 2, ow = width / 2
        let winners = UnsafeRawPointer(scratch).assumingMemoryBound(to: UInt8.self)
        for plane in 0..<(channels * p.batch) {
            let to = dx + plane * height * width, from = dy + plane * oh * ow
            for i in 0..<oh {
                let toTop = to + 2 * i * width, toBottom = toTop + width
                let d = from + i * ow, won = winners + (plane * oh + i) * ow
                if kind == .max {
                    for j in 0..<ow {
                        let g = d[j], w = won[j]
                        toTop[2 * j] = w == 0 ? g : 0
                        toTop[2 * j + 1] = w == 1 ? g : 0
                        toBottom[2 * j] = w == 2 ? g : 0
                        toBottom[2 * j + 1] = w == 3 ? g : 0
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
