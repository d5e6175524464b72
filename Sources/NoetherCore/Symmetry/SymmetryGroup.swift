/// The four kinds of continuous parameter symmetry noether tracks (THEORY.md §2).
public enum SymmetryKind: String, CaseIterable, Codable, Sendable {
    case translation, scale, rescale, balance

    /// Translation charges are linear in θ; the others are quadratic forms θᵀSθ.
    public var isLinear: Bool { self == .translation }
}

/// A strided run of parameter indices, offset + i·stride for i < count, entering the
/// charge with a sign: +1 for a scale group and a rescale's outgoing side, −1 for its incoming side.
public struct Segment: Sendable, Equatable {
    public var offset: Int
    public var count: Int
    public var stride: Int
    public var sign: Double
}

/// One parameter group A with its charge. `family` collects the per-neuron groups of one layer.
public struct SymmetryGroup: Sendable, Equatable {
    public var kind: SymmetryKind
    public var name: String
    public var family: String
    public var segments: [Segment]
}

/// A GL(n) balance group of a deep linear net (THEORY.md §6): hidden layer l between
/// W̃_l = [W_l b_l] (n × in, bias n) and W_{l+1} (out × n).
public struct BalanceGroup: Sendable, Equatable {
    public var name: String
    public var n: Int
    public var inputs: Int
    public var incoming: Int
    public var incomingBias: Int?
    public var outgoing: Int
    public var outputs: Int
}

/// Every continuous symmetry the model has, found from its structure (THEORY.md §2.1),
/// plus plain-language notes on what it lacks and why.
public struct SymmetrySet: Sendable {
    public var groups: [SymmetryGroup] = []
    public var balances: [BalanceGroup] = []
    public var notes: [String] = []

    public var kinds: [SymmetryKind] {
        SymmetryKind.allCases.filter { k in
            k == .balance ? !balances.isEmpty : groups.contains { $0.kind == k }
        }
    }

    public init(arch: Architecture, optimizer: OptimizerKind = .sgd, settings: OptimizerSettings = Config().optimizerSettings) {
        let hidden = arch.hidden
        let normName = arch.norm == .batch ? "bn" : "ln"
        for (index, layer) in hidden.enumerated() {
            let l = index + 1
            let rowSegments = { (i: Int) -> [Segment] in
                var s = [Segment(offset: layer.weight + i * layer.inputs, count: layer.inputs, stride: 1, sign: 1)]
                if let b = layer.bias { s.append(Segment(offset: b + i, count: 1, stride: 1, sign: 1)) }
                return s
            }
            switch arch.norm {
            case .batch:
                // Batch norm makes each neuron's incoming row and bias scale-invariant.
                for i in 0..<layer.width {
                    groups.append(SymmetryGroup(kind: .scale, name: "fc\(l).scale[\(i)]", family: "fc\(l).scale",
                                                segments: rowSegments(i)))
                }
            case .layer:
                // Layer norm: one scale group for the whole layer, and a translation per input
                // column (the per-sample mean is subtracted).
                var all = [Segment(offset: layer.weight, count: layer.width * layer.inputs, stride: 1, sign: 1)]
                if let b = layer.bias { all.append(Segment(offset: b, count: layer.width, stride: 1, sign: 1)) }
                groups.append(SymmetryGroup(kind: .scale, name: "fc\(l).scale", family: "fc\(l).scale", segments: all))
                for j in 0..<layer.inputs {
                    groups.append(SymmetryGroup(
                        kind: .translation, name: "fc\(l).translation[\(j)]", family: "fc\(l).translation",
                        segments: [Segment(offset: layer.weight + j, count: layer.width, stride: layer.inputs, sign: 1)]))
                }
                if let b = layer.bias {
                    groups.append(SymmetryGroup(
                        kind: .translation, name: "fc\(l).translation[bias]", family: "fc\(l).translation",
                        segments: [Segment(offset: b, count: layer.width, stride: 1, sign: 1)]))
                }
            case .none: break
            }
            guard arch.activation.isHomogeneous else { continue }
            // Positive homogeneity: scaling what feeds neuron i up and its outgoing column down.
            let next = index + 1 < hidden.count ? hidden[index + 1].weight : arch.outputWeight
            let nextRows = index + 1 < hidden.count ? hidden[index + 1].width : arch.outputDim
            let from = arch.norm == .none ? "fc\(l)" : "\(normName)\(l)"
            let family = "\(from)-fc\(l + 1).rescale"
            for i in 0..<layer.width {
                var incoming: [Segment]
                if let g = layer.gamma, let b = layer.beta {
                    incoming = [Segment(offset: g + i, count: 1, stride: 1, sign: -1),
                                Segment(offset: b + i, count: 1, stride: 1, sign: -1)]
                } else {
                    incoming = rowSegments(i).map { var s = $0; s.sign = -1; return s }
                }
                let outgoing = Segment(offset: next + i, count: nextRows, stride: layer.width, sign: 1)
                groups.append(SymmetryGroup(kind: .rescale, name: "\(family)[\(i)]", family: family,
                                            segments: incoming + [outgoing]))
            }
            if arch.activation == .linear, arch.norm == .none {
                balances.append(BalanceGroup(
                    name: "fc\(l)-fc\(l + 1).balance", n: layer.width, inputs: layer.inputs,
                    incoming: layer.weight, incomingBias: layer.bias, outgoing: next, outputs: nextRows))
            }
        }
        let out = hidden.count + 1
        let fanIn = hidden.last?.width ?? arch.inputDim
        if arch.task == .classification {
            // Softmax ignores a constant added to every logit: one translation per input column.
            for j in 0..<fanIn {
                groups.append(SymmetryGroup(
                    kind: .translation, name: "fc\(out).translation[\(j)]", family: "fc\(out).translation",
                    segments: [Segment(offset: arch.outputWeight + j, count: arch.outputDim, stride: fanIn, sign: 1)]))
            }
            if let b = arch.outputBias {
                groups.append(SymmetryGroup(
                    kind: .translation, name: "fc\(out).translation[bias]", family: "fc\(out).translation",
                    segments: [Segment(offset: b, count: arch.outputDim, stride: 1, sign: 1)]))
            }
        } else {
            notes.append("mean squared error has no softmax translation symmetry, so the output layer has no translation charge (THEORY.md §2.1)")
        }
        if arch.activation == .tanh {
            notes.append("tanh is odd: its symmetries (sign flips, permutations of neurons) are discrete and give no Noether charge, so there is no rescale charge (THEORY.md §2.1)")
        }
        if arch.norm != .none, arch.eps > 0 {
            notes.append("normalization eps = \(arch.eps) breaks the scale symmetry; exact identities hold only to about eps/Var(z) (THEORY.md §2.1)")
        }
        if let note = optimizer.rule.note(settings) { notes.append(note) }
        if groups.isEmpty, balances.isEmpty {
            notes.append("this model has no continuous parameter symmetry: no charges to track")
        }
    }
}
