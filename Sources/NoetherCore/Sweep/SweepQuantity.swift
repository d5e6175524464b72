/// A quantity `noether sweep show` can map: a stored column of `runs` or `families`, or a
/// ratio of stored columns. Its SQL reads the run as `r` and the family as `f`. Where the theory
/// predicts it, `theory` says how the prediction is drawn beside the measurement.
public struct SweepQuantity: Sendable {
    public var name: String
    public var perFamily: Bool
    public var sql: String
    public var theory: Theory?

    public enum Theory: Sendable, Equatable {
        /// A constant, e.g. 1 for a measurement over its prediction.
        case constant(Double, label: String)
        /// A stored prediction of each run, averaged like the measurement.
        case column(sql: String, label: String)
        /// First order in η at fixed t (§4.1): flat in η at the η → 0 intercept of a straight-line
        /// fit a + bη to the measured means (drawn only when x is η).
        case flatInLearningRate(label: String)

        public var label: String {
            switch self {
            case .constant(_, let l), .column(_, let l), .flatInLearningRate(let l): l
            }
        }
    }

    /// The stored quantities, then the ratios:
    /// - `rms_angle_ratio`: measured RMS angle over √(2ηλ/(1+β)); 1 where the equilibrium of
    ///   THEORY.md §5.3 holds.
    /// - `gap_ratio_per_lr`: Γ/Q₀ divided by η; constant in η at fixed t = ηk where the gap
    ///   grows linearly in the step size (§7.2).
    /// - `sharpness`, `sharpness_mean`, `sharpness_ratio`: the last sharpness, its mean over the
    ///   second half, and the last over the optimizer's stability line (1 at the edge, §16.3).
    public static let all: [SweepQuantity] =
        ["final_loss", "mean_loss", "sharpness", "sharpness_mean", "sharpness_ratio"].map {
            SweepQuantity(name: $0, perFamily: false, sql: "r.\($0)")
        }
        + ResultsDatabase.familyColumns.dropFirst(3).map { column in
            SweepQuantity(
                name: column.name, perFamily: true, sql: "f.\(column.name)",
                theory: column.name == "rms_angle"
                    ? .column(sql: "f.rms_angle_predicted", label: "equilibrium √(2ηλ/(1+β)) (§5.3)") : nil)
        }
        + [
            SweepQuantity(
                name: "rms_angle_ratio", perFamily: true, sql: "f.rms_angle / f.rms_angle_predicted",
                theory: .constant(1, label: "equilibrium: ratio 1 (§5.3)")),
            SweepQuantity(
                name: "gap_ratio_per_lr", perFamily: true, sql: "f.gap_ratio / json_extract(r.config, '$.lr')",
                theory: .flatInLearningRate(label: "first order, flat in η (level fitted)")),
        ]

    /// A quantity by its name or any alias of it in the vocabulary (`q50`, `rms_angular_step`).
    public static func named(_ name: String) -> SweepQuantity? {
        all.first { $0.name == name } ?? Vocabulary.term(name).flatMap { t in all.first { $0.name == t.name } }
    }
}
