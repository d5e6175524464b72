/// One quantity under every name it goes by: the name the results database, `sweep show` and
/// `sweep export` use, the symbol a figure's axis or a screen legend prints, and the names the
/// same quantity has elsewhere (`noether run` CSV/JSON fields, older databases). Figures take
/// their labels from here, docs/FIELDS.md prints the table, and the glossary's symbols are
/// checked against it, so a quantity is called one thing in one place.
public struct Term: Sendable, Equatable {
    /// The name in the results database and on `sweep show` (`median_charge`, `lr`).
    public var name: String
    /// What a figure prints: `η`, `Γ/(Q₀η)`.
    public var label: String
    /// The same quantity in `noether run` output (`families[].q50`) or in older files.
    public var aliases: [String]
    /// Its symbol in the explorer's legends: an entry of the glossary (Glossary.swift).
    public var screen: String?
    public var meaning: String

    init(_ name: String, _ label: String, _ aliases: [String] = [], screen: String? = nil, _ meaning: String) {
        self.name = name
        self.label = label
        self.aliases = aliases
        self.screen = screen
        self.meaning = meaning
    }
}

public enum Vocabulary {
    public static let terms: [Term] = [
        // Configuration keys (axes of a sweep).
        Term("lr", "η", ["learning rate"], "learning rate (§1)"),
        Term("weight_decay", "λ", ["weight-decay"], "weight decay (§1, §13)"),
        Term("momentum", "β", ["β₁"], "momentum, β₁ of adam, adamw and lion (§1)"),
        Term("beta2", "β₂", [], "second-moment decay of adam and adamw (§13.4)"),
        Term("time", "t = ηk", ["t"], "training time: learning rate times steps (§4)"),
        Term("step", "step k", ["k"], "updates so far (§1)"),
        Term("seed", "seed", [], "random seed: runs that differ only in it are repeats"),
        Term("width", "width", [], "hidden units per layer"),
        Term("batch_size", "batch size B", ["batch-size"], "examples per minibatch"),
        // Summaries of a run.
        Term("final_loss", "final loss", [], "minibatch loss at the last step (§1)"),
        Term("mean_loss", "mean loss", [], "mean minibatch loss over every step (§1)"),
        Term("sharpness", "sharpness λ₁", [], screen: "λ₁", "largest Hessian eigenvalue of the loss at the last step (§16)"),
        Term("sharpness_mean", "mean λ₁", [], "mean sharpness over the measurements of the second half (§16)"),
        Term("sharpness_ratio", "λ₁ / stability line", [],
             "last sharpness over the optimizer's line, 2(1+β)/(η(1−τ)) − λ for sgd: 1 at the edge (§16.3)"),
        // Per family.
        Term("groups", "groups", ["count", "families[].count"], "groups in the family (an integer) (§2)"),
        Term("median_charge", "median Q", ["q50", "families[].q50"], screen: "measured",
             "median charge Q over live groups (§2)"),
        Term("q10", "Q, 10 % quantile", ["families[].q10"], screen: "10–90 %", "10 % quantile of Q (§2)"),
        Term("q90", "Q, 90 % quantile", ["families[].q90"], screen: "10–90 %", "90 % quantile of Q (§2)"),
        Term("predicted_median", "exact (★)", ["families[].predicted_median"], screen: "exact",
             "median exact prediction (§3)"),
        Term("reference_median", "Q⁽⁰⁾", ["families[].reference_median"], screen: "Q⁽⁰⁾",
             "median symmetric reference, the charge without kinetic forcing (§7.2)"),
        Term("continuum_median", "NM", ["families[].continuum_median", "continuum"], screen: "NM",
             "median continuum (Neural Mechanics) prediction (§4)"),
        Term("effective_lr_median", "η_eff = η/Q", ["families[].effective_lr_median"],
             "median effective learning rate of the normalized direction (§5.3)"),
        Term("gap_ratio", "Γ/Q₀", ["gap_ratio_median", "families[].gap_ratio_median"], screen: "Γ/Q₀",
             "median KSB gap over the magnitude at step 0 (§7.2)"),
        Term("gap_ratio_per_lr", "Γ/(Q₀η)", [], "the gap ratio over η: flat in η at fixed t to first order (§7.2)"),
        Term("rms_angle", "RMS angle (rad)", ["rms_angular_step", "families[].rms_angular_step"],
             "RMS angle a normalized group turns per update; over the second half of a run in a database (§5.3)"),
        Term("rms_angle_predicted", "√(2ηλ/(1+β))",
             ["rms_angular_step_equilibrium", "families[].rms_angular_step_equilibrium"],
             "the optimizer's equilibrium RMS angle (§5.3, §13)"),
        Term("rms_angle_ratio", "RMS angle / √(2ηλ/(1+β))", [], "measured RMS angle over its equilibrium: 1 where it holds (§5.3)"),
        Term("dead_fraction", "dead fraction", ["families[].dead / count"], "fraction of groups with no gradient (§10.1)"),
        Term("collapsed_fraction", "collapsed fraction", ["families[].collapsed / count"],
             "fraction of collapsed groups (§10.1)"),
        Term("residual_max", "worst exact residual", ["families[].residual_max"], "worst exact residual over live groups (§7.3)"),
        Term("continuum_error", "|Q − NM| / magnitude", [], "worst continuum error over live groups (§7.3)"),
        Term("loss", "loss", [], "minibatch loss (§1)"),
    ]

    /// The term of a name, an alias, or a configuration key (`weight-decay`).
    public static func term(_ name: String) -> Term? {
        let column = name.replacingOccurrences(of: "-", with: "_")
        return terms.first { $0.name == column } ?? terms.first { $0.aliases.contains(name) }
    }

    /// The label of a name: its symbol, or the name itself when the vocabulary has none.
    public static func label(_ name: String) -> String { term(name)?.label ?? name }

    /// The alias table docs/FIELDS.md prints.
    public static func markdown() -> String {
        var s = """
            ## names across outputs

            The results database (`noether sweep`), `sweep show` and `sweep export` use the first name; a
            figure labels its axes with the symbol; the other names are the same quantity in `noether run`
            output or in older files, and `sweep show` takes any of them; the explorer's legends show it as
            its glossary entry (`?` in the explorer).

            | name | symbol | also called | on screen | meaning |
            |---|---|---|---|---|

            """
        for t in terms {
            s += "| `\(t.name)` | \(t.label) | \(t.aliases.map { "`\($0)`" }.joined(separator: ", ")) | \(t.screen ?? "") | \(t.meaning) |\n"
        }
        return s + "\n"
    }
}
