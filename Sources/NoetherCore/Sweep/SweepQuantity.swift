/// A quantity `noether sweep show` can map: a stored column of `runs` or `families`, or a
/// ratio of stored columns. Its SQL reads the run as `r` and the family as `f`.
public struct SweepQuantity: Sendable {
    public var name: String
    public var perFamily: Bool
    public var sql: String

    /// The stored quantities, then the ratios:
    /// - `rms_angle_ratio`: measured RMS angle over √(2ηλ/(1+β)); 1 where the equilibrium of
    ///   THEORY.md §5.3 holds.
    /// - `gap_ratio_per_lr`: Γ/Q₀ divided by η; constant in η at fixed t = ηk where the gap
    ///   grows linearly in the step size (§7.2).
    /// - `sharpness`, `sharpness_mean`, `sharpness_ratio`: the last sharpness, its mean over the
    ///   second half, and the last over the optimizer's stability line (1 at the edge, §16.3).
    public static let all: [SweepQuantity] =
        ["final_loss", "mean_loss", "sharpness", "sharpness_mean", "sharpness_ratio"].map { SweepQuantity(name: $0, perFamily: false, sql: "r.\($0)") }
        + ResultsDatabase.familyColumns.dropFirst(3).map { SweepQuantity(name: $0.name, perFamily: true, sql: "f.\($0.name)") }
        + [
            SweepQuantity(name: "rms_angle_ratio", perFamily: true, sql: "f.rms_angle / f.rms_angle_predicted"),
            SweepQuantity(name: "gap_ratio_per_lr", perFamily: true, sql: "f.gap_ratio / json_extract(r.config, '$.lr')"),
        ]

    public static func named(_ name: String) -> SweepQuantity? { all.first { $0.name == name } }
}
