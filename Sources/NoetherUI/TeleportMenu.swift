import NoetherCore

/// The teleports the explorer offers for a model (THEORY.md §12): for each family, its kind's
/// actions with a few round factors. One entry is one `Teleport` with a label for the menu.
public enum TeleportMenu {
    public struct Entry: Equatable, Sendable {
        public var label: String
        public var teleport: Teleport
    }

    public static func entries(_ families: [FamilySummary]) -> [Entry] {
        families.flatMap { f -> [Entry] in
            let name = f.family
            func entry(_ what: String, _ action: Teleport.Action?, _ factor: Double?) -> Entry {
                Entry(label: "\(name)  \(what)", teleport: Teleport(family: name, action: action, factor: factor))
            }
            return f.symmetry.teleportActions.flatMap { action -> [Entry] in
                switch action {
                case .scale:
                    let verb = f.symmetry.scaleActionLabel
                    return [4, 2, 0.5].map { entry("\(verb) α = \(NumberFormat.tick($0))", .scale, $0) }
                case .shift:
                    return [0.5, -0.5].map { entry("shift every column by \(NumberFormat.tick($0))", .shift, $0) }
                case .balance: return [entry("balance (|in|² = |out|²)", .balance, nil)]
                case .rotate: return [entry("rotate (random orthogonal G)", .rotate, nil)]
                case .steepest: return [entry("steepest: most |∇L|² within α ∈ [1/4, 4]", .steepest, nil)]
                case .flattest: return [entry("flattest: least sharpness λ₁ within α ∈ [1/4, 4]", .flattest, nil)]
                // A chosen value of the charge is for stories (`action = "charge"`); balance is its 0.
                case .charge: return []
                }
            }
        }
    }
}
