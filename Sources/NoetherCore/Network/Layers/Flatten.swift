/// Between the two layouts: a batch-major vector of C·H·W numbers per sample (a flattened
/// image in PyTorch's C, H, W order, as data arrive) and a channel-major map. Each direction
/// is the other's adjoint, so backward is the reverse transposition.
struct Flatten: Layer {
    enum Direction: Sendable { case toMap, toVector }
    let direction: Direction
    let channels: Int
    let height: Int
    let width: Int

    var map: FeatureShape { .map(channels: channels, height: height, width: width) }
    var input: FeatureShape { direction == .toMap ? .vector(map.size) : map }
    var output: FeatureShape { direction == .toMap ? map : .vector(map.size) }

    /// A change of layout: a unit stays a unit.
    func declare(_ fold: inout SymmetryFold) { fold.pass(homogeneous: true, identity: false) }

    func forward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                 _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        transpose(x, y, batch: p.batch, toMap: direction == .toMap)
    }

    func backward(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
                  _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        guard let dx else { return }
        transpose(dy, dx, batch: p.batch, toMap: direction != .toMap)
    }

    /// Moves each (sample, channel) run of H·W numbers between [b][c] and [c][b] order.
    private func transpose(_ from: UnsafePointer<Double>, _ to: UnsafeMutablePointer<Double>, batch: Int, toMap: Bool) {
        let area = height * width
        for b in 0..<batch {
            for c in 0..<channels {
                let sampleMajor = (b * channels + c) * area, channelMajor = (c * batch + b) * area
                if toMap {
                    (to + channelMajor).update(from: from + sampleMajor, count: area)
                } else {
                    (to + sampleMajor).update(from: from + channelMajor, count: area)
                }
            }
        }
    }
}
