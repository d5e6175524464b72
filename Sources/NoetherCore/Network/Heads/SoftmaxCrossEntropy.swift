/// Mean cross-entropy of softmax(logits), PyTorch's CrossEntropyLoss; dLogits = (p − onehot)/B.
/// Adding one constant to every logit changes nothing: the output layer's translation symmetry.
struct SoftmaxCrossEntropy: LossHead {
    /// One translation group per input column of the output layer, and one for its bias.
    func declare(_ fold: inout SymmetryFold) {
        if let out = fold.open?.layer { fold.translations(out, 0..<out.units) }
    }

    func evaluate(_ logits: UnsafePointer<Double>, _ dLogits: UnsafeMutablePointer<Double>, outputs C: Int, batch: Int,
                  labels: UnsafePointer<Int>?, targets: UnsafePointer<Double>?) -> Backprop.Result {
        let labels = labels!
        var loss = 0.0
        var correct = 0
        let scale = 1 / Double(batch)
        for r in 0..<batch {
            let row = logits + r * C, d = dLogits + r * C
            var m = row[0], argmax = 0
            for c in 1..<C where row[c] > m { m = row[c]; argmax = c }
            var sum = 0.0
            for c in 0..<C { let e = _exp(row[c] - m); d[c] = e; sum += e }
            let label = labels[r]
            loss += (m + _log(sum)) - row[label]
            if argmax == label { correct += 1 }
            let invSum = 1 / sum
            for c in 0..<C { d[c] = d[c] * invSum * scale }
            d[label] -= scale
        }
        return Backprop.Result(loss: loss * scale, correct: correct)
    }
}
