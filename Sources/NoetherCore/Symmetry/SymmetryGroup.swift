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

    /// No model yet: no groups.
    public init() {}

    /// Walks the layer sequence: each linear layer (dense or conv) with the normalization and
    /// activation after it, and the next linear layer, which reads its units. A "unit" is a
    /// neuron of a dense layer or a channel of a conv layer.
    public init(arch: Architecture, optimizer: OptimizerKind = .sgd, settings: OptimizerSettings = Config().optimizerSettings) {
        let layers = arch.layers
        let linear = layers.indices.filter { layers[$0] is any LinearLayer }
        for (n, index) in linear.dropLast().enumerated() {
            let layer = layers[index] as! any LinearLayer
            let next = layers[linear[n + 1]] as! any LinearLayer
            let norm = layers[index + 1] as? any Normalizing
            let units = layer.units, name = layer.name
            switch norm {
            case is BatchNorm:
                // Batch norm makes each unit's incoming row (or filter) and bias scale-invariant.
                for i in 0..<units {
                    groups.append(SymmetryGroup(kind: .scale, name: "\(name).scale[\(i)]", family: "\(name).scale",
                                                segments: layer.row(i)))
                }
            case is LayerNorm:
                // Layer norm: one scale group for the whole layer. The per-sample mean is subtracted,
                // so adding one constant to every unit's bias is invisible; for a dense layer so is
                // adding one to every row's weight on input j (a convolution's such shift varies
                // with the position and is not).
                groups.append(SymmetryGroup(kind: .scale, name: "\(name).scale", family: "\(name).scale",
                                            segments: (0..<units).flatMap { layer.row($0) }))
                if let dense = layer as? Dense {
                    for j in 0..<dense.inputs {
                        groups.append(SymmetryGroup(kind: .translation, name: "\(name).translation[\(j)]",
                                                    family: "\(name).translation", segments: dense.reading(j)))
                    }
                }
                if let b = layer.bias {
                    groups.append(SymmetryGroup(
                        kind: .translation, name: "\(name).translation[bias]", family: "\(name).translation",
                        segments: [Segment(offset: b, count: units, stride: 1, sign: 1)]))
                }
            default: break
            }
            guard arch.activation.isHomogeneous else { continue }
            // Positive homogeneity (kept by max and average pooling): scaling what feeds unit i
            // up and what the next layer reads from it down.
            let family = "\(norm?.name ?? name)-\(next.name).rescale"
            for i in 0..<units {
                let incoming = norm.map { n in
                    [Segment(offset: n.affine.gamma + i, count: 1, stride: 1, sign: -1),
                     Segment(offset: n.affine.beta + i, count: 1, stride: 1, sign: -1)]
                } ?? layer.row(i, sign: -1)
                groups.append(SymmetryGroup(kind: .rescale, name: "\(family)[\(i)]", family: family,
                                            segments: incoming + next.reading(i)))
            }
            if arch.activation == .linear, norm == nil, let dense = layer as? Dense, let after = next as? Dense {
                balances.append(BalanceGroup(
                    name: "\(name)-\(next.name).balance", n: units, inputs: dense.inputs,
                    incoming: dense.weight, incomingBias: dense.bias, outgoing: after.weight, outputs: after.outputs))
            }
        }
        if let out = arch.linearLayers.last as? Dense {
            if arch.task == .classification {
                // Softmax ignores a constant added to every logit: one translation per input column.
                for j in 0..<out.inputs {
                    groups.append(SymmetryGroup(kind: .translation, name: "\(out.name).translation[\(j)]",
                                                family: "\(out.name).translation", segments: out.reading(j)))
                }
                if let b = out.bias {
                    groups.append(SymmetryGroup(
                        kind: .translation, name: "\(out.name).translation[bias]", family: "\(out.name).translation",
                        segments: [Segment(offset: b, count: out.outputs, stride: 1, sign: 1)]))
                }
            } else {
                notes.append("mean squared error has no softmax translation symmetry, so the output layer has no translation charge (THEORY.md §2.1)")
            }
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
