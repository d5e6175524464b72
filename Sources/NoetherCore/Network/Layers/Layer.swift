/// What flows between two layers, per sample. Vectors are stored batch-major (B × n, the
/// layout of a dense layer's rows); feature maps channel-major (C × B × H × W), so that a
/// convolution is one matrix product over the whole batch and a channel's statistics are
/// one contiguous run.
public enum FeatureShape: Equatable, Sendable {
    case vector(Int)
    case map(channels: Int, height: Int, width: Int)

    /// Numbers per sample.
    public var size: Int {
        switch self {
        case .vector(let n): n
        case .map(let c, let h, let w): c * h * w
        }
    }

    /// Units a symmetry acts on: features of a vector, channels of a map.
    public var units: Int {
        switch self {
        case .vector(let n): n
        case .map(let c, _, _): c
        }
    }

    /// Positions per unit: 1 for a vector, H·W for a map.
    public var spatial: Int { size / units }
}

/// The parameters, their gradient (nil: loss only) and the minibatch size of one pass.
struct Pass {
    let theta: UnsafePointer<Double>
    let grad: UnsafeMutablePointer<Double>?
    let batch: Int
}

/// One layer of a model: its forward and backward pass on buffers the caller owns.
/// `x` is the layer's input, `y` its output, `scratch` what it keeps between the two passes.
protocol Layer: Sendable {
    var input: FeatureShape { get }
    var output: FeatureShape { get }
    /// Doubles of scratch for a minibatch of `batch`.
    func scratchCount(batch: Int) -> Int
    func forward(
        _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
        _ scratch: UnsafeMutablePointer<Double>, _ p: Pass)
    /// Writes ∂L/∂x into `dx` (nil when nothing upstream needs it) and the gradient of the
    /// layer's own parameters into `p.grad`.
    func backward(
        _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
        _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass)
    /// The symmetry groups this layer creates with its neighbours (THEORY.md §2.1). No default:
    /// a new layer says what it keeps and what it breaks.
    func declare(_ fold: inout SymmetryFold)
    /// Whether the layer holds weights (a dense or conv layer, or a fused block with one): the
    /// layers above it then pass ∂L/∂x down.
    var holdsWeights: Bool { get }
}

extension Layer {
    func scratchCount(batch: Int) -> Int { 0 }
    var holdsWeights: Bool { self is any LinearLayer }
}

/// A layer with learned weights whose rows are its units (neurons or filters): dense and
/// convolution. Symmetry groups are read from these slices (THEORY.md §2.1).
protocol LinearLayer: Layer {
    var name: String { get }
    var weight: Int { get }
    var bias: Int? { get }
    /// Weights per unit (fan-in).
    var fanIn: Int { get }
    /// PyTorch's shape of the weight tensor.
    var weightShape: [Int] { get }
    /// The weights that read input unit `c` (a feature, or a channel of a map): the outgoing
    /// side of that unit's rescale symmetry.
    func reading(_ c: Int) -> [Segment]
    /// The weights whose common shift moves what the given units receive by one constant at every
    /// position: one run per input column of a dense layer; none for a convolution, where a shift
    /// of one tap moves each position by a different amount.
    func translationColumns(_ units: Range<Int>) -> [[Segment]]
}

extension LinearLayer {
    var units: Int { output.units }

    /// It reads the units open before it and opens its own.
    func declare(_ fold: inout SymmetryFold) { fold.read(by: self) }

    /// Unit i's row and its bias: what a scale symmetry of that unit multiplies.
    func row(_ i: Int, sign: Double = 1) -> [Segment] {
        var s = [Segment(offset: weight + i * fanIn, count: fanIn, stride: 1, sign: sign)]
        if let bias { s.append(Segment(offset: bias + i, count: 1, stride: 1, sign: sign)) }
        return s
    }
}

/// Dense layers and convolutions add a per-unit bias over every position.
func addBias(_ b: UnsafePointer<Double>, to y: UnsafeMutablePointer<Double>, shape: FeatureShape, batch: Int) {
    switch shape {
    case .vector(let n):
        for r in 0..<batch {
            let row = y + r * n
            for j in 0..<n { row[j] += b[j] }
        }
    case .map(let c, let h, let w):
        let run = batch * h * w
        for ch in 0..<c {
            let row = y + ch * run, v = b[ch]
            for i in 0..<run { row[i] += v }
        }
    }
}

/// The bias gradient: ∂L/∂y summed over the batch and every position of each unit.
func biasGradient(_ dy: UnsafePointer<Double>, _ db: UnsafeMutablePointer<Double>, shape: FeatureShape, batch: Int) {
    switch shape {
    case .vector(let n):
        for j in 0..<n { db[j] = 0 }
        for r in 0..<batch {
            let row = dy + r * n
            for j in 0..<n { db[j] += row[j] }
        }
    case .map(let c, let h, let w):
        let run = batch * h * w
        for ch in 0..<c {
            let row = dy + ch * run
            var s = 0.0
            for i in 0..<run { s += row[i] }
            db[ch] = s
        }
    }
}
