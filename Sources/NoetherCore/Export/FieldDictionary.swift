/// Where a field appears in a row of `noether run` output.
public enum FieldScope: String, CaseIterable, Sendable {
    case row = "row"
    case layer = "layers[]"
    case kind = "kinds[]"
    case family = "families[]"
    case charge = "charges[]"
}

/// One exported field: its name, where it appears, what it is and in what unit.
public struct FieldDefinition: Sendable, Equatable {
    public var name: String
    public var scope: FieldScope
    /// Which symmetry kinds carry it (charges and families), or "all".
    public var appliesTo: String
    public var unit: String
    public var definition: String
    public var section: String

    init(
        _ name: String, _ scope: FieldScope, _ appliesTo: String, _ unit: String, _ definition: String,
        _ section: String
    ) {
        self.name = name
        self.scope = scope
        self.appliesTo = appliesTo
        self.unit = unit
        self.definition = definition
        self.section = section
    }
}

/// The one list of every field `noether run` writes (JSON keys; CSV columns are
/// `<layer|kind|family|group>.<name>`). docs/FIELDS.md and `noether run --fields` are printed
/// from it, and a test fails when an emitted field is missing here.
public enum FieldDictionary {
    public static let fields: [FieldDefinition] = [
        .init("step", .row, "all", "updates", "k: the row describes θ_k, the parameters after k updates", "§1"),
        .init(
            "run", .row, "all", "index",
            "which run: of a replayed session with several, or of a story that forks (ghosts 0, 1, … in fork order, then the front run)",
            "§1"),
        .init(
            "run_name", .row, "named runs", "text",
            "what the story calls the run (its `name`), on rows of runs that have one", "§1"),
        .init("loss", .row, "all", "nats or squared error", "loss of the minibatch that update k+1 uses, at θ_k", "§1"),
        .init("accuracy", .row, "classification", "fraction", "fraction of that minibatch classified correctly", "§1"),
        .init("lr", .row, "all", "1", "η of update k+1", "§1"),
        .init("momentum", .row, "all", "1", "β of update k+1 (β₁ of adam, adamw and lion)", "§1"),
        .init(
            "weight_decay", .row, "all", "1",
            "λ of update k+1 (coupled L2 for sgd and adam, decoupled for sgdw, adamw and lion)", "§13"),
        .init(
            "laws_independent", .row, "two-layer, no normalization", "count",
            "independent conservation laws of gradient flow at θ, D − dim Lie(W)(θ), counted at step 0 and after each teleport",
            "§14.3"),
        .init(
            "laws_tracked", .row, "two-layer, no normalization", "count",
            "independent charges noether tracks for the model: n(n+1)/2 per balance matrix, else one rescale per hidden neuron",
            "§14.3"),
        .init(
            "sharpness", .row, "rows where measured", "loss/θ²",
            "λ₁, the largest eigenvalue of the Hessian of the loss (without weight decay) at θ_k, on the full batch or the minibatch (--sharpness-batch); every --sharpness-every steps",
            "§16"),
        .init(
            "sharpness_2", .row, "rows where measured", "loss/θ²",
            "λ₂, the second largest Hessian eigenvalue, with --sharpness-top 2", "§16"),
        .init(
            "teleport_sharpness_before", .row, "rows of a flattest teleport", "loss/θ²",
            "λ₁ before the flattest teleport made at this step (JSON only)", "§16.5"),
        .init(
            "teleport_sharpness_after", .row, "rows of a flattest teleport", "loss/θ²",
            "λ₁ at the point it moved to, the smallest found along the orbit (JSON only)", "§16.5"),
        .init("name", .layer, "all", "-", "layer name (fc1, fc2, …)", "§1"),
        .init(
            "weight_norm2", .layer, "all", "θ²", "‖W_l‖²_F, squared Frobenius norm of the layer's weight matrix", "§1"),
        .init("grad_norm2", .layer, "all", "g²", "‖∇W_l‖²_F of the same minibatch gradient", "§1"),
        .init("symmetry", .kind, "all", "-", "translation, scale, rescale or balance", "§2"),
        .init("groups", .kind, "all", "count", "number of groups of this kind", "§2"),
        .init(
            "collapsed", .kind, "scale, rescale", "count",
            "groups whose magnitude fell below 1e-6 of its value at step 0", "§10"),
        .init(
            "dead", .kind, "scale, rescale", "count", "live (not collapsed) groups that got no gradient at this step",
            "§10"),
        .init(
            "residual_max", .kind, "all", "relative", "worst exact residual over live groups; null when none is live",
            "§3"),
        .init("gap_ratio_median", .kind, "all", "relative", "median Γ/Q₀ over live groups", "§7"),
        .init("family", .family, "all", "-", "family name: one per layer and symmetry, e.g. fc1.scale", "§2"),
        .init("symmetry", .family, "all", "-", "translation, scale, rescale or balance", "§2"),
        .init("count", .family, "all", "count", "groups in the family, collapsed ones included", "§2"),
        .init(
            "collapsed", .family, "scale, rescale", "count", "collapsed groups, left out of every other family field",
            "§10"),
        .init("dead", .family, "scale, rescale", "count", "live groups with no gradient at this step", "§10"),
        .init("mean", .family, "all", "charge", "mean charge Q over live groups", "§2"),
        .init("q10", .family, "all", "charge", "10 % quantile of Q over live groups", "§2"),
        .init("q50", .family, "all", "charge", "median Q over live groups", "§2"),
        .init("q90", .family, "all", "charge", "90 % quantile of Q over live groups", "§2"),
        .init("predicted_median", .family, "all", "charge", "median exact prediction (★)", "§3"),
        .init("reference_median", .family, "all", "charge", "median Q⁽⁰⁾, the kinetically symmetric solution", "§7"),
        .init("continuum_median", .family, "all", "charge", "median continuum (Neural Mechanics) prediction", "§4"),
        .init("gap_ratio_median", .family, "all", "relative", "median Γ/Q₀", "§7"),
        .init(
            "residual_max", .family, "all", "relative",
            "worst exact residual over live groups (null when none is live)", "§3"),
        .init(
            "effective_lr_median", .family, "scale", "1/charge",
            "median η/Q, the effective learning rate of the normalized direction", "§5.3"),
        .init(
            "rms_angular_step", .family, "scale", "radians",
            "RMS over live groups of the angle between θ_{k−1} and θ_k", "§5.3"),
        .init(
            "rms_angular_step_equilibrium", .family, "scale", "radians",
            "the optimizer's equilibrium RMS angle, √(2ηλ/(1+β)) for heavy ball; absent for adam", "§13"),
        .init("group", .charge, "all", "-", "group name, e.g. fc1.scale[3] (neuron 3 of fc1)", "§2"),
        .init("family", .charge, "all", "-", "the family the group belongs to", "§2"),
        .init("symmetry", .charge, "all", "-", "translation, scale, rescale or balance", "§2"),
        .init("value", .charge, "translation, scale, rescale", "charge", "the charge Q(θ_k) of the group", "§2"),
        .init(
            "magnitude", .charge, "all", "θ² (θ for translation)",
            "Σθ² over the group's parameters (Σ|θ| for translation): what residuals are relative to", "§3"),
        .init("grad_norm2", .charge, "scale", "g²", "‖g‖² over the group (zero for a dead neuron)", "§3.1"),
        .init(
            "grad_norm2_out_minus_in", .charge, "rescale", "g²",
            "‖g_out‖² − ‖g_in‖², the gradient form of the rescale charge", "§3.1"),
        .init(
            "grad_sum", .charge, "translation", "g",
            "Σg over the group (signed; zero under exact translation symmetry)", "§3.1"),
        .init(
            "predicted", .charge, "translation, scale, rescale", "charge",
            "the exact prediction: (★) propagated from step 0 with the measured parameter history", "§3"),
        .init(
            "residual", .charge, "all", "relative",
            "|value − predicted| / magnitude (Frobenius for balance); null when collapsed", "§3"),
        .init(
            "reference", .charge, "translation, scale, rescale", "charge",
            "Q⁽⁰⁾: the charge if only weight decay acted (kinetically symmetric solution)", "§7"),
        .init(
            "ksb_gap", .charge, "translation, scale, rescale", "charge",
            "Γ = value − reference, the kinetic symmetry breaking so far", "§7"),
        .init("gap_ratio", .charge, "all", "relative", "Γ / (magnitude at step 0)", "§7"),
        .init(
            "continuum", .charge, "translation, scale, rescale", "charge",
            "the continuum prediction (§4.2 without momentum, the §4.3 oscillator with it)", "§4"),
        .init(
            "kinetic_forcing", .charge, "translation, scale, rescale", "charge",
            "the kinetic (finite-η) term of the update that led into step k", "§7"),
        .init(
            "potential_forcing", .charge, "translation, scale, rescale", "charge",
            "the weight-decay term of that update", "§7"),
        .init(
            "momentum_carry", .charge, "translation, scale, rescale", "charge", "the momentum term of that update", "§7"
        ),
        .init("dead", .charge, "all", "0/1", "1 when no gradient reached the group at this step", "§10"),
        .init(
            "collapsed", .charge, "all", "0/1",
            "1 when magnitude < 1e-6 × its value at step 0; its ratios are then null", "§10"),
        .init("effective_lr", .charge, "scale", "1/charge", "η/Q; null when collapsed", "§5.3"),
        .init(
            "angular_step", .charge, "scale", "radians",
            "angle between θ_{k−1} and θ_k of the group; null when collapsed", "§5.3"),
        .init("rmsprop_accumulator", .charge, "scale", "charge²/η", "(2λ/η)S² form κQ² of the RMSProp analogy", "§5.3"),
        .init("rmsprop_ema", .charge, "scale", "charge²/η", "EMA of |ĝ|² that the accumulator tracks", "§5.3"),
        .init(
            "value_frobenius", .charge, "balance", "θ²", "‖D‖_F of the balance matrix D = W_{l+1}ᵀW_{l+1} − W_l W_lᵀ",
            "§2"),
        .init("predicted_frobenius", .charge, "balance", "θ²", "‖exact prediction of D‖_F", "§3"),
        .init("reference_frobenius", .charge, "balance", "θ²", "‖D⁽⁰⁾‖_F, the kinetically symmetric solution", "§7"),
        .init("ksb_gap_frobenius", .charge, "balance", "θ²", "‖D − D⁽⁰⁾‖_F (a norm, not a difference of norms)", "§7"),
        .init("continuum_frobenius", .charge, "balance", "θ²", "‖continuum prediction of D‖_F", "§4"),
        .init(
            "kinetic_forcing_frobenius", .charge, "balance", "θ²",
            "Frobenius norm of the kinetic term matrix of the last update", "§7"),
        .init(
            "potential_forcing_frobenius", .charge, "balance", "θ²", "Frobenius norm of the weight-decay term matrix",
            "§7"),
        .init("momentum_carry_frobenius", .charge, "balance", "θ²", "Frobenius norm of the momentum term matrix", "§7"),
        .init(
            "grad_trace_out_minus_in", .charge, "balance", "g²",
            "trace of the gradient form of D (‖G_{l+1}‖² − ‖G_l‖²)", "§3.1"),
        .init(
            "drift_frobenius", .charge, "balance", "θ²", "‖D − D₀‖_F, how far the balance matrix moved from step 0",
            "§2"),
    ]

    public static func contains(_ name: String, in scope: FieldScope) -> Bool {
        fields.contains { $0.name == name && $0.scope == scope }
    }

    /// The dictionary as a Markdown document (docs/FIELDS.md is this text).
    public static func markdown() -> String {
        var s = """
            # Fields of `noether run` output

            Generated by `noether run --fields`; every field a row can carry. JSON Lines rows nest
            `layers`, `kinds`, `families` and `charges` arrays; CSV flattens them into columns named
            `<layer|kind|family|group>.<field>`. Which arrays a row has depends on `--detail`:
            `summary` (row, layers, kinds), `families` (the default: also families), `neurons` (also
            every group's charge). Non-finite values and ratios over a collapsed magnitude are `null`
            in JSON and empty in CSV; values below the normal double range are written as 0.
            Sections (§) refer to docs/THEORY.md.


            """
        for scope in FieldScope.allCases {
            s += "## \(scope.rawValue)\n\n| field | applies to | unit | definition | § |\n|---|---|---|---|---|\n"
            for f in fields where f.scope == scope {
                s += "| `\(f.name)` | \(f.appliesTo) | \(f.unit) | \(f.definition) | \(f.section) |\n"
            }
            s += "\n"
        }
        return s + Vocabulary.markdown()
    }
}
