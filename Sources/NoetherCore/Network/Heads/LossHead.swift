/// The loss on the last layer's outputs (the logits): its mean over the minibatch and
/// ∂L/∂logits, written by every pass (backward starts from it).
protocol LossHead: Sendable {
    func evaluate(_ logits: UnsafePointer<Double>, _ dLogits: UnsafeMutablePointer<Double>, outputs: Int, batch: Int,
                  labels: UnsafePointer<Int>?, targets: UnsafePointer<Double>?) -> Backprop.Result
    /// The symmetry the loss gives the output layer (the last open units of the fold).
    func declare(_ fold: inout SymmetryFold)
}
