/// A named block of the flat parameter vector in PyTorch layout. Weights are also seen as a
/// matrix of one row per unit (out × in, or out × in·k·k for a convolution): the rows and
/// columns the charge reductions read.
public struct Tensor: Sendable, Equatable {
    public var name: String
    public var offset: Int
    public var rows: Int
    public var cols: Int  // 1 for vectors
    public var isMatrix: Bool
    /// PyTorch's shape: [out, in], [out, in, k, k], or [n].
    public var shape: [Int]
    public var count: Int { rows * cols }
}
