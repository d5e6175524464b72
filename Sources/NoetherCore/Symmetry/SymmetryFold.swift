/// Finding a model's symmetry groups is a fold over its layers (THEORY.md §2.1): each layer
/// declares what it creates with its neighbours, and the fold carries the one thing a layer
/// needs from before it, the units of the last linear layer that are still open for a rescale
/// with the next layer that reads them.
struct SymmetryFold {
    /// The last linear layer's units, with what has happened to them since.
    struct OpenUnits {
        let layer: any LinearLayer
        /// The normalization after the layer: its affine (γ_u, β_u) is the incoming side of a rescale.
        var norm: (name: String, affine: Affine)?
        /// Every layer since commutes with multiplying a unit by α > 0 (positive homogeneity).
        var homogeneous = true
        /// Every layer since is the identity: the GL(n) balance of §6 holds with the next layer.
        var identity = true
    }

    var set = SymmetrySet()
    var open: OpenUnits?

    /// A linear layer reads the open units: the rescale groups between the two, and a balance group
    /// between two dense layers with nothing but the identity between them. Its own units open.
    mutating func read(by next: any LinearLayer) {
        if let open, open.homogeneous {
            let layer = open.layer
            let family = "\(open.norm?.name ?? layer.name)-\(next.name).rescale"
            for i in 0..<layer.units {
                let incoming = open.norm.map { n in
                    [Segment(offset: n.affine.gamma + i, count: 1, stride: 1, sign: -1),
                     Segment(offset: n.affine.beta + i, count: 1, stride: 1, sign: -1)]
                } ?? layer.row(i, sign: -1)
                set.groups.append(SymmetryGroup(kind: .rescale, name: "\(family)[\(i)]", family: family,
                                                segments: incoming + next.reading(i)))
            }
            if open.identity, let dense = layer as? Dense, let after = next as? Dense {
                set.balances.append(BalanceGroup(
                    name: "\(layer.name)-\(after.name).balance", n: dense.outputs, inputs: dense.inputs,
                    incoming: dense.weight, incomingBias: dense.bias, outgoing: after.weight, outputs: after.outputs))
            }
        }
        open = OpenUnits(layer: next)
    }

    /// A normalization over `together` (ranges of the open layer's units standardized as one):
    /// each range's rows and biases form one scale group; with `shifts`, adding one constant to what
    /// every unit of a range receives is invisible too (its mean is subtracted per sample), so the
    /// range's biases and, where it moves every position alike, each input column are translations.
    mutating func normalize(name: String, affine: Affine, together: [Range<Int>], shifts: Bool) {
        guard let layer = open?.layer else { return }
        let perUnit = together.count == layer.units && together.count > 1
        for (g, units) in together.enumerated() {
            let suffix = perUnit ? "[\(units.lowerBound)]" : together.count == 1 ? "" : "[g\(g)]"
            set.groups.append(SymmetryGroup(kind: .scale, name: "\(layer.name).scale\(suffix)",
                                            family: "\(layer.name).scale", segments: units.flatMap { layer.row($0) }))
            if shifts { translations(layer, units, at: together.count == 1 ? "" : "g\(g),") }
        }
        open?.norm = (name, affine)
        open?.identity = false
    }

    /// Adding one constant to what every unit in `units` receives: each input column that moves
    /// every position alike, and the biases (family `layer.translation`).
    mutating func translations(_ layer: any LinearLayer, _ units: Range<Int>, at: String = "") {
        for (j, column) in layer.translationColumns(units).enumerated() {
            set.groups.append(SymmetryGroup(kind: .translation, name: "\(layer.name).translation[\(at)\(j)]",
                                            family: "\(layer.name).translation", segments: column))
        }
        if let b = layer.bias {
            set.groups.append(SymmetryGroup(
                kind: .translation, name: "\(layer.name).translation[\(at)bias]", family: "\(layer.name).translation",
                segments: [Segment(offset: b + units.lowerBound, count: units.count, stride: 1, sign: 1)]))
        }
    }

    /// A layer between the open units and the next linear layer: whether it keeps a unit's
    /// positive rescaling, and whether it is the identity.
    mutating func pass(homogeneous: Bool, identity: Bool) {
        guard var o = open else { return }
        o.homogeneous = o.homogeneous && homogeneous
        o.identity = o.identity && identity
        open = o
    }

    /// Nothing before this point pairs with anything after it (a skip connection's ends).
    mutating func close() { open = nil }

    /// A normalization with eps > 0 keeps its scale groups only approximately.
    mutating func breaksScale(eps: Double) {
        if eps > 0 {
            note("normalization eps = \(eps) breaks the scale symmetry; exact identities hold only to about eps/Var(z) (THEORY.md §2.1)")
        }
    }

    mutating func note(_ text: String) {
        if !set.notes.contains(text) { set.notes.append(text) }
    }
}
