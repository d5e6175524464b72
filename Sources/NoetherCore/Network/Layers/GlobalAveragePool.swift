/// The mean of each channel over its positions: a channel-major map becomes a batch-major
/// vector of channels, ready for the dense layers.
struct GlobalAveragePool: Layer {
    let channels: Int
    let height: Int
    let width: Int

    var input: FeatureShape { .map(channels: channels, height: height, width: width) }
    var output: FeatureShape { .vector(channels) }

    /// The mean over positions commutes with multiplying a channel by α > 0.
    func declare(_ fold: inout SymmetryFold) { fold.pass(homogeneous: true, identity: false) }

    func forward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                 _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let area = height * width, scale = 1 / Double(area)
        for c in 0..<channels {
            for b in 0..<p.batch {
                let run = x + (c * p.batch + b) * area
                var s = 0.0
                for i in 0..<area { s += run[i] }
                y[b * channels + c] = s * scale
            }
        }
    }

    func backward(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
                  _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        guard let dx else { return }
        let area = height * width, scale = 1 / Double(area)
        for c in 0..<channels {
            for b in 0..<p.batch {
                (dx + (c * p.batch + b) * area).update(repeating: dy[b * channels + c] * scale, count: area)
            }
        }
    }
}
