/// A symmetry teleport (THEORY.md §12): a jump along the orbit of one family's group action,
/// made between two steps. The minibatch loss stays the same, the charges jump by what the action
/// predicts, and every prediction restarts from the new point.
public struct Teleport: Equatable, Sendable {
    public enum Action: String, CaseIterable, Sendable {
        /// The kind's own action by α = factor: θ_A × α (scale), incoming × α and outgoing ÷ α
        /// (rescale), G = αI (linear balance).
        case scale
        /// Translation: add factor to every entry of the group (its all-ones generator).
        case shift
        /// The orbit point where incoming and outgoing weigh the same: |in|² = |out|² per neuron
        /// (rescale), D = 0 (linear balance).
        case balance
        /// A random orthogonal G (linear balance): D → G D Gᵀ keeps ‖D‖_F.
        case rotate
        /// Ascent of |∇L|² on the current minibatch along the orbit, within |log α| ≤ log(factor).
        case steepest
        /// The orbit point of smallest sharpness (THEORY.md §16.5), one shared α within
        /// |log α| ≤ log(factor).
        case flattest
        /// Rescale: the orbit point where each group's charge equals factor (THEORY.md §12.1).
        case charge
    }

    public var family: String
    /// One group of the family (`fc1.scale[3]`); nil for all of them.
    public var group: String?
    /// nil for the kind's own action: shift for translation, scale for the others.
    public var action: Action?
    public var factor: Double?

    public init(family: String, group: String? = nil, action: Action? = nil, factor: Double? = nil) {
        self.family = family
        self.group = group
        self.action = action
        self.factor = factor
    }

    /// Without a factor, steepest ascent stays within α ∈ [1/4, 4].
    public static let defaultSteepestBound = 4.0
    /// Factors beyond this (or its inverse) would push weights towards overflow or underflow.
    static let factorLimit = 1e6
    static let keys = ["family", "group", "action", "factor"]

    /// The inline table presets and recordings store it as.
    public var toml: TOMLValue {
        var entries: [String: TOMLValue] = ["family": .string(family)]
        if let group { entries["group"] = .string(group) }
        if let action { entries["action"] = .string(action.rawValue) }
        if let factor { entries["factor"] = .float(factor) }
        return .table(entries)
    }

    /// Reads `{ family = "fc1.scale", factor = 2.0 }`; `group` alone names its family.
    public init(toml value: TOMLValue) throws(ConfigError) {
        let example = "{ family = \"fc1.scale\", factor = 2.0 }"
        guard case .table(let entries) = value else {
            throw ConfigError("teleport", "must be an inline table like \(example), got \(value.typeName)")
        }
        if let unknown = entries.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw ConfigError(
                "teleport", "unknown key '\(TOML.excerpt(unknown))'; allowed: \(Self.keys.joined(separator: ", "))")
        }
        func text(_ key: String) throws(ConfigError) -> String? {
            guard let v = entries[key] else { return nil }
            guard case .string(let s) = v, !s.isEmpty else {
                throw ConfigError("teleport", "\(key) must be a non-empty string, got \(v.typeName)")
            }
            return s
        }
        group = try text("group")
        // A group's name is its family's with an index: fc1.scale[3] (a layer-norm scale group is its family).
        let implied = group.map { String($0.prefix { $0 != "[" }) }
        guard let family = try text("family") ?? implied else {
            throw ConfigError("teleport", "needs family = NAME (or group = NAME), as in \(example)")
        }
        if let implied, implied != family {
            throw ConfigError("teleport", "group '\(TOML.excerpt(group!))' is not in family '\(TOML.excerpt(family))'")
        }
        self.family = family
        if let name = try text("action") {
            guard let a = Action(rawValue: name) else {
                throw ConfigError(
                    "teleport",
                    "unknown action '\(TOML.excerpt(name))'; actions: \(Action.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            action = a
        }
        switch entries["factor"] {
        case nil: break
        case .float(let x): factor = x
        case .integer(let n): factor = Double(n)
        case let v?: throw ConfigError("teleport", "factor must be a number, got \(v.typeName)")
        }
    }
}

extension Teleport {
    /// What a teleport moves in one model: per-group factors on scalar groups (a linear balance's
    /// scalar G acts on the rescale groups of its layer, with one shared factor), or a balance group.
    struct Target {
        var kind: SymmetryKind
        var action: Action
        /// Indices into `SymmetrySet.groups`.
        var groups: [Int]
        var balance: Int?
        /// The factor, or the steepest bound on α.
        var factor: Double
    }

    /// Names what the teleport acts on in `symmetries`, or says what is allowed. `checksGroup`
    /// is false where the group names are not known yet (a CSV file's input width).
    func resolve(in symmetries: SymmetrySet, checksGroup: Bool = true) throws(ConfigError) -> Target {
        var families: [String] = []
        for g in symmetries.groups where !families.contains(g.family) { families.append(g.family) }
        let balance = symmetries.balances.firstIndex { $0.name == family }
        let kind: SymmetryKind
        var groups = symmetries.groups.indices.filter { symmetries.groups[$0].family == family }
        if let balance {
            kind = .balance
            // G = αI scales row i of W̃_l and divides column i of W_{l+1}: the layer's rescale groups.
            let layer = symmetries.balances[balance].name.replacingOccurrences(of: ".balance", with: ".rescale")
            groups = symmetries.groups.indices.filter { symmetries.groups[$0].family == layer }
        } else if let first = groups.first {
            kind = symmetries.groups[first].kind
        } else {
            let all = families + symmetries.balances.map(\.name)
            throw ConfigError(
                "teleport",
                "no family '\(TOML.excerpt(family))' in this model; "
                    + (all.isEmpty ? "it has no continuous symmetry" : "its families: \(all.joined(separator: ", "))"))
        }
        let allowed = kind.teleportActions
        let action = self.action ?? allowed[0]
        guard allowed.contains(action) else {
            throw ConfigError(
                "teleport",
                "action '\(action.rawValue)' does not apply to \(family) (a \(kind.rawValue) family); allowed: \(allowed.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if let group, checksGroup {
            if kind.isMatrix {
                guard group == family else {
                    throw ConfigError("teleport", "\(family) is one group; group must be '\(family)' or left out")
                }
            } else {
                let names = groups.map { symmetries.groups[$0].name }
                guard let i = names.firstIndex(of: group) else {
                    let range = names.count == 1 ? names[0] : "\(names[0]) … \(names[names.count - 1])"
                    throw ConfigError(
                        "teleport", "no group '\(TOML.excerpt(group))' in \(family); its groups: \(range)")
                }
                groups = [groups[i]]
            }
        }
        let limit = Self.factorLimit
        let factor: Double
        switch action {
        case .scale:
            guard let f = self.factor, f.isFinite, f >= 1 / limit, f <= limit else {
                throw ConfigError(
                    "teleport",
                    "action 'scale' needs factor = α, a number in [1e-6, 1e6], got \(self.factor.map { "\($0)" } ?? "none")"
                )
            }
            factor = f
        case .shift:
            guard let f = self.factor, f.isFinite, abs(f) <= limit else {
                throw ConfigError(
                    "teleport",
                    "action 'shift' needs factor = c, the constant added, within ±1e6, got \(self.factor.map { "\($0)" } ?? "none")"
                )
            }
            factor = f
        case .steepest, .flattest:
            let f = self.factor ?? Self.defaultSteepestBound
            guard f.isFinite, f > 1, f <= limit else {
                throw ConfigError(
                    "teleport",
                    "action '\(action.rawValue)' takes factor = the bound on α (α within [1/factor, factor]), in (1, 1e6], got \(f)"
                )
            }
            factor = f
        case .charge:
            guard let f = self.factor, f.isFinite, abs(f) <= limit else {
                throw ConfigError(
                    "teleport",
                    "action 'charge' needs factor = the charge to move to, within ±1e6, got \(self.factor.map { "\($0)" } ?? "none")"
                )
            }
            factor = f
        case .balance, .rotate:
            guard self.factor == nil else {
                throw ConfigError("teleport", "action '\(action.rawValue)' takes no factor")
            }
            factor = 1
        }
        return Target(kind: kind, action: action, groups: groups, balance: balance, factor: factor)
    }
}
