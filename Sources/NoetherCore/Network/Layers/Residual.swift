/// A residual block y = x + F(x): the block's layers F in a chain, and a skip connection that adds
/// its input to their output (He et al.'s ResNet). F ends in as many units as it starts with.
///
/// Symmetry (THEORY.md §2.1): inside the block the groups are those of F alone (Marcotte et al.
/// 2025): a rescale per inner unit, scale groups of a normalization inside. Multiplying the units
/// of x, or of F's output, by α > 0 moves F(x) and x differently, so no rescale or balance group
/// crosses either end of the block.
struct Residual: Layer {
    let layers: [any Layer]

    var input: FeatureShape { layers[0].input }
    var output: FeatureShape { layers[layers.count - 1].output }

    func declare(_ fold: inout SymmetryFold) {
        fold.close()
        for layer in layers { layer.declare(&fold) }
        fold.close()
        fold.note("residual blocks: the skip connections break the rescale symmetry at each block's input and output units; the groups inside each block stay (THEORY.md §2.1)")
    }

    /// Each inner layer's output and scratch, then two buffers for the gradient flowing back.
    private func layout(batch: Int) -> (outputs: [Int], scratch: [Int], gradient: Int, total: Int) {
        var at = 0, outputs: [Int] = [], scratch: [Int] = []
        for layer in layers {
            outputs.append(at)
            at += batch * layer.output.size
            scratch.append(at)
            at += layer.scratchCount(batch: batch)
        }
        let widest = layers.map { batch * max($0.input.size, $0.output.size) }.max() ?? 0
        return (outputs, scratch, at, at + 2 * widest)
    }

    func scratchCount(batch: Int) -> Int { layout(batch: batch).total }

    func forward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                 _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        let l = layout(batch: p.batch)
        var input = x
        for (i, layer) in layers.enumerated() {
            let out = scratch + l.outputs[i]
            layer.forward(input, out, scratch + l.scratch[i], p)
            input = UnsafePointer(out)
        }
        for i in 0..<(p.batch * output.size) { y[i] = x[i] + input[i] }
    }

    /// ∂L/∂x = dy (the skip) + the gradient back through F.
    func backward(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
                  _ dx: UnsafeMutablePointer<Double>?, _ scratch: UnsafeMutablePointer<Double>, _ p: Pass) {
        guard p.grad != nil else { return }
        let l = layout(batch: p.batch), widest = (l.total - l.gradient) / 2
        var spare = (scratch + l.gradient, scratch + l.gradient + widest)
        var upstream = dy
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            let below: UnsafePointer<Double> = i == 0 ? x : UnsafePointer(scratch + l.outputs[i - 1])
            let target: UnsafeMutablePointer<Double>? = i == 0 ? dx : spare.0
            layers[i].backward(below, UnsafePointer(scratch + l.outputs[i]), upstream, target, scratch + l.scratch[i], p)
            if let target, i > 0 {
                upstream = UnsafePointer(target)
                spare = (spare.1, spare.0)
            }
        }
        guard let dx else { return }
        for i in 0..<(p.batch * input.size) { dx[i] += dy[i] }
    }
}
