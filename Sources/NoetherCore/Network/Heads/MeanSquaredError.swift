/// Mean over all elements of (output − target)², PyTorch's MSELoss default.
struct MeanSquaredError: LossHead {
    func declare(_ fold: inout SymmetryFold) {
        fold.note("mean squared error has no softmax translation symmetry, so the output layer has no translation charge (THEORY.md §2.1)")
    }

    func evaluate(_ logits: UnsafePointer<Double>, _ dLogits: UnsafeMutablePointer<Double>, outputs C: Int, batch: Int,
                  labels: UnsafePointer<Int>?, targets: UnsafePointer<Double>?) -> Backprop.Result {
        let targets = targets!
        let n = batch * C
        let scale = 1 / Double(n)
        var loss = 0.0
        for i in 0..<n {
            let e = logits[i] - targets[i]
            loss += e * e
            dLogits[i] = 2 * e * scale
        }
        return Backprop.Result(loss: loss * scale, correct: 0)
    }
}
