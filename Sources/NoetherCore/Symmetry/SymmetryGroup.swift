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
            k.isMatrix ? !balances.isEmpty : groups.contains { $0.kind == k }
        }
    }

    /// The charge families, in the order an observation lists them: each group's family once,
    /// then each balance group (its own family).
    public var familyNames: [String] {
        var names: [String] = []
        for g in groups where !names.contains(g.family) { names.append(g.family) }
        return names + balances.map(\.name)
    }

    /// No model yet: no groups.
    public init() {}

    /// A fold over the layer sequence: each layer, and then the loss, declares the groups it
    /// creates with its neighbours (SymmetryFold).
    public init(
        arch: Architecture, optimizer: OptimizerKind = .sgd, settings: OptimizerSettings = Config().optimizerSettings
    ) {
        var fold = SymmetryFold()
        for layer in arch.layers { layer.declare(&fold) }
        arch.head.declare(&fold)
        self = fold.set
        if let note = optimizer.rule.note(settings) { notes.append(note) }
        if groups.isEmpty, balances.isEmpty {
            notes.append("this model has no continuous parameter symmetry: no charges to track")
        }
    }
}
