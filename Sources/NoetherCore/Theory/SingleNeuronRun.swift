/// A run of the single neuron of THEORY.md §14.2 read against its closed form: f = a·wᵀx (one
/// hidden unit, linear, no biases, one output) on whitened inputs, with the teacher's
/// least-squares solution β* = Xᵀy/n. noether's loss is the mean of (f − y)² = |aw − β*|² + const,
/// twice the ½-loss of §14.2, so the flow's time after updates with learning rates η_j is
/// t = 2Ση_j; the closed form starts from the parameters at the run's start or its last teleport.
public struct SingleNeuronRun: Sendable {
    /// β* = Xᵀy/n (the least-squares solution when XᵀX/n = I).
    public let teacher: [Double]
    /// Offsets of w (fc1's weight row) and a (fc2's weight).
    let incoming: Int, outgoing: Int
    /// The closed form from the current start, and the flow time reached since it.
    public private(set) var flow: SingleNeuronFlow
    public private(set) var time = 0.0
    /// w and a at the start (for the kernel distance).
    private(set) var w0: [Double]

    /// What the chart shows at one step: the measured state and the closed form at the same t.
    public struct Reading: Sendable, Equatable {
        public var measured: SingleNeuronFlow.State
        public var closedForm: SingleNeuronFlow.State
    }

    /// nil unless the model is that neuron: linear, no normalization, one hidden unit, no bias,
    /// one output, whitened inputs, one learning rate, and a non-zero a₀ and teacher.
    init?(config c: Config, arch: Architecture, data: Dataset, theta: UnsafePointer<Double>) {
        guard c.arch == .linear, c.norm == .none, c.conv.isEmpty, c.depth == 1, c.width == 1, !c.bias, c.whiten,
            c.lrScale.isEmpty, arch.outputDim == 1, data.task == .regression,
            let w = arch.tensors.first(where: { $0.name == "fc1.weight" }),
            let a = arch.tensors.first(where: { $0.name == "fc2.weight" })
        else { return nil }
        let d = data.inputDim, n = data.count
        var beta = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { beta[j] += data.inputs[i * d + j] * data.targets[i] / Double(n) } }
        guard beta.contains(where: { $0 != 0 }) else { return nil }
        teacher = beta
        incoming = w.offset
        outgoing = a.offset
        w0 = []
        flow = SingleNeuronFlow(a0: 1, w0: beta, teacher: beta)
        guard restart(theta) else { return nil }
    }

    /// The closed form starts again from θ (at step 0 and after a teleport); false when a = 0.
    @discardableResult
    mutating func restart(_ theta: UnsafePointer<Double>) -> Bool {
        let a = theta[outgoing]
        guard a != 0 else { return false }
        w0 = (0..<teacher.count).map { theta[incoming + $0] }
        flow = SingleNeuronFlow(a0: a, w0: w0, teacher: teacher)
        time = 0
        return true
    }

    /// One update with learning rate η moves the flow's clock by 2η.
    mutating func advance(rate: Double) { time += 2 * rate }

    /// The measured state at θ and the closed form at the same t.
    func reading(_ theta: UnsafePointer<Double>) -> Reading {
        let a = theta[outgoing], d = teacher.count
        let w = (0..<d).map { theta[incoming + $0] }
        let w2 = w.reduce(0) { $0 + $1 * $1 }, s = flow.s
        let along = zip(w, teacher).reduce(0) { $0 + $1.0 * $1.1 }
        let cross = zip(w0, w).reduce(0) { $0 + $1.0 * $1.1 }
        let a0 = flow.a0, w02 = flow.w0Norm2, dim = Double(d)
        // K = wwᵀ + a²I (THEORY.md §14.2).
        let inner = cross * cross + a0 * a0 * w2 + a * a * w02 + dim * a0 * a0 * a * a
        func norm(_ a2: Double, _ w2: Double) -> Double { (w2 * w2 + 2 * a2 * w2 + dim * a2 * a2).squareRoot() }
        let measured = SingleNeuronFlow.State(
            t: time, nu: along / a, a: a, wNorm: w2.squareRoot(), alignedOutput: a * along / s,
            kernelDistance: 1 - inner / (norm(a0 * a0, w02) * norm(a * a, w2)))
        return Reading(measured: measured, closedForm: flow.state(at: time))
    }
}
