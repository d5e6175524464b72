import NoetherCore

/// One symbol or curve the explorer shows, explained for a reader who has not read the papers.
public struct GlossaryEntry: Sendable, Equatable {
    /// As it appears on screen (legend, title or table header).
    public var symbol: String
    public var name: String
    /// One sentence, ending with the docs/THEORY.md section that explains it.
    public var meaning: String
    public init(_ symbol: String, _ name: String, _ meaning: String) {
        self.symbol = symbol
        self.name = name
        self.meaning = meaning
    }
}

/// The one table behind the glossary page of the help screen.
public enum Glossary {
    public static let entries: [GlossaryEntry] =
        [
            // Charges.
            GlossaryEntry(
                "Q", "Noether charge",
                "A number a symmetry of the loss would keep constant if training were smooth; finite steps move it (§2)."
            )
        ] + SymmetryKind.allCases.map { GlossaryEntry($0.rawValue, $0.glossary.term, $0.glossary.meaning) } + [
            GlossaryEntry(
                "fc1.scale", "family name",
                "Layer, then symmetry: fc1.scale is fc1's neurons; bn1-fc2.rescale couples batch norm 1 (γ, β) to fc2's columns (§2.1)."
            ),
            GlossaryEntry(
                "conv1.scale", "conv family name",
                "A conv layer's channels: one group per filter; cbn1-conv2.rescale couples block 1's γ, β to conv2's slices (§2.1)."
            ),
            GlossaryEntry(
                "fc1-2.resc", "shortened family name",
                "Where a label has little room: fc1-2.resc is fc1-fc2.rescale, fc1.sc fc1.scale; .bal is .balance, .tr .translation (§2.1)."
            ),
            GlossaryEntry(
                "VGG-mini", "model control",
                "Conv blocks of 8 and 16 channels (conv, norm, activation, 2×2 pool), average pooling, then dense layers (§2.1)."
            ),
            GlossaryEntry(
                "ResNet-mini", "model control",
                "VGG-mini's residual sibling: a conv of 8 channels, then a block of two whose input is added to its output (§2.3)."
            ),
            GlossaryEntry(
                "gn1", "group norm",
                "Normalizes each group of channels per sample: one scale charge per group, fc1.scale[g0] … (§2.1)."),
            GlossaryEntry(
                "magnitude", "group magnitude",
                "Σθ² over the group's weights (Σ|θ| for translation): what residuals and ratios are divided by (§2.2)."),
            // The sharpness chart.
            GlossaryEntry(
                "λ₁", "sharpness",
                "The largest eigenvalue of the loss's Hessian: the steepest curvature, measured every K steps by Lanczos (§16)."
            ),
            GlossaryEntry(
                "2/η", "stability line",
                "Gradient descent is stable on a curvature below 2/η; at the edge of stability λ₁ rises to it and hovers (§16.3)."
            ),
            GlossaryEntry(
                "2(1+β)/η", "heavy-ball line",
                "The stability line with heavy-ball momentum β: higher, so the sharpness can rise further (§16.3)."),
            GlossaryEntry(
                "2(1−β)/η model", "small-batch momentum line",
                "A proposed limit for momentum with small minibatches, drawn as a model, not derived here (§16.3)."),
            GlossaryEntry(
                "λ₁ reaches line", "loss chart marker",
                "Where the sharpness first reached the optimizer's stability line (§16.3)."),
            // The curves of the charge chart.
            GlossaryEntry(
                "measured", "measured charge",
                "The charge computed from the current weights; for a family, the median over its live neurons (§7)."),
            GlossaryEntry(
                "10–90 %", "band across neurons",
                "The middle 80 % of a family's neurons: 10 % lie below the band and 10 % above it (§7)."),
            GlossaryEntry(
                "exact", "exact prediction",
                "The charge predicted from the weights' past steps by the identity (★); it lies on the measured curve (§3.5)."
            ),
            GlossaryEntry(
                "(★)", "exact one-step identity",
                "How any charge changes in one SGD step with momentum and weight decay, exact up to rounding (§3.2)."),
            GlossaryEntry(
                "Q⁽⁰⁾", "symmetric reference",
                "The charge a learner with the same η, β, λ would have if its steps kept the symmetry; flat when λ = 0 (§7.2)."
            ),
            GlossaryEntry(
                "NM", "continuum prediction",
                "Neural Mechanics' smooth-time prediction from the observed gradients; right to first order in η (§4)."),
            // The gap and the forcing.
            GlossaryEntry(
                "KSB", "kinetic symmetry breaking",
                "The loss has the symmetry but a finite step does not, so the charge drifts (§5.2)."),
            GlossaryEntry(
                "Γ", "KSB gap",
                "Measured charge minus Q⁽⁰⁾: the drift all finite steps so far caused; a lower η slows it but does not undo it (§7.2)."
            ),
            GlossaryEntry(
                "Γ/Q₀", "gap ratio",
                "Γ over Q₀, the group's magnitude at step 0 (subscript, unlike Q⁽⁰⁾): families of any size share one axis (§7.2)."
            ),
            GlossaryEntry(
                "kinetic forcing", "kinetic forcing F",
                "What the finite step itself adds to the charge, Q(Δ_k) + βQ(Δ_{k−1}); always 0 for translation (§7.1)."
            ),
            GlossaryEntry(
                "potential forcing", "potential forcing P",
                "Weight decay's pull on the charge in one step, 2ηλQ (ηλT for translation) (§7.1)."),
            GlossaryEntry(
                "momentum carry", "momentum carry I",
                "The part of a charge's change that momentum carries over from the previous step, β(Q_k − Q_{k−1}) (§7.1)."
            ),
            GlossaryEntry(
                "F/Q", "kinetic rate",
                "Kinetic forcing per step relative to the charge; in equilibrium it averages to the potential rate P/Q = 2ηλ (§7.1)."
            ),
            GlossaryEntry(
                "P/Q", "potential rate",
                "Weight decay's pull per step relative to the charge: 2ηλ for quadratic charges, ηλ for linear ones (translation) (§7.1)."
            ),
            // Normalization panel.
            GlossaryEntry(
                "η_eff", "effective learning rate",
                "η/|θ|²: how fast a normalized neuron's direction turns; a bigger norm means smaller turns (§5.3)."),
            GlossaryEntry(
                "RMS angle", "angular step",
                "Root-mean-square angle the family's weight vectors turn per update; the legend gives its RMS over the last 50 points (§5.3)."
            ),
            GlossaryEntry(
                "√(2ηλ/(1+β))", "equilibrium angle",
                "The RMS angle once weight decay's shrinking balances the steps' growth; it does not depend on the data (§5.3)."
            ),
            GlossaryEntry(
                "√(2ηλ(1−τ)/(1+β))", "equilibrium angle, dampened SGD",
                "Dampening τ is heavy ball at the learning rate η(1−τ), so the line drops by √(1−τ) (§13.1)."),
            GlossaryEntry(
                "√(2ηλ(1+2β−2β³)/(1+β))", "equilibrium angle, Nesterov",
                "Nesterov's look-ahead turns faster than heavy ball; this line assumes noise-like gradients (§13.2)."),
            GlossaryEntry(
                "√(2ηλ(1−β)/(1+β(1−ηλ)))", "equilibrium angle, SGDW",
                "With decay outside the buffer, momentum lowers the line by about √(1−β) more than heavy ball's (§13.3)."
            ),
            GlossaryEntry(
                "≈√(2ηλ(1−β₁)/(1+β₁))", "equilibrium estimate, AdamW",
                "A model estimate (≈), not an identity: measured angles sit below it with minibatches, above it full batch (§13.7)."
            ),
            GlossaryEntry(
                "≈√(π/2·2ηλ·((1−β₁)²+β₁²(1−β₂)/(1+β₂)))", "equilibrium estimate, Lion",
                "A model estimate (≈) from the sign of Gaussian noise; measured angles sit below it with minibatches, above it full batch (§13.7)."
            ),
            GlossaryEntry(
                "(2λ/η)S²", "RMSProp accumulator",
                "A normalized neuron's |θ|⁴ scaled by 2λ/η: it behaves like RMSProp's average of squared gradients (§5.3)."
            ),
            GlossaryEntry(
                "EMA|ĝ|²", "gradient moving average",
                "Moving average of |ĝ|², ĝ being the gradient at unit norm, decay (1−ηλ)⁴; (2λ/η)S² should track it (§5.3)."
            ),
            // Other charts and the table.
            GlossaryEntry(
                "|W_l|²", "layer weight norm",
                "Sum of squares of all weights of layer l; one curve per layer (§9.1)."),
            GlossaryEntry(
                "loss", "minibatch loss",
                "Cross-entropy (or squared error) on the current minibatch, before the update (§9.1)."),
            GlossaryEntry(
                "batch acc", "minibatch accuracy",
                "Fraction of the current minibatch that the network classifies correctly (§9.1)."),
            GlossaryEntry(
                "residual", "exact residual (res)",
                "|measured − exact| / magnitude, worst over a family: 1e-15 to 1e-13 while the symmetry holds (§7.3)."),
            GlossaryEntry(
                "NM err", "continuum error",
                "|measured − NM| / magnitude, worst over a family's live groups (table; NM's legend entry): the continuum's drift (§4.4)."
            ),
            GlossaryEntry(
                "heatmap", "per-neuron heatmap",
                "Every neuron of a family over time, shaded by charge, gap ratio or dead: what the median hides (§9.1)."
            ),
            GlossaryEntry(
                "phase portrait", "phase portrait",
                "One point per neuron: its push η‖g‖² per step against its ‖θ‖²; on average they settle on the line (2λ+ηλ²)‖θ‖² (§9.2)."
            ),
            // Health.
            GlossaryEntry(
                "✔ exact", "health: exact",
                "Every live charge matches its exact prediction to 1e-10 or better: the symmetry holds (§7.4)."),
            GlossaryEntry(
                "broken by design", "health: broken by design",
                "Adam, AdamW, Lion or a normalization eps > 0 removes the exact identity on purpose; large residuals are expected (§13.7)."
            ),
            GlossaryEntry(
                "degenerate", "health: degenerate",
                "The numbers mean little: most neurons dead or collapsed, the loss stuck, or the run near divergence (§7.4)."
            ),
            GlossaryEntry(
                "dead", "dead neuron",
                "A neuron that gets no gradient: its charge only decays, so it is counted and left out of medians (§10.1)."
            ),
            GlossaryEntry(
                "dead 18/32", "lost neurons of a family",
                "18 of the family's 32 groups are dead or collapsed; ⚠ marks it in the table, red rows in the heatmap (§10.1)."
            ),
            GlossaryEntry(
                "collapsed", "collapsed neuron",
                "A neuron whose charge fell to a tiny fraction of its start: counted, left out of medians, bands, angles (§10.1)."
            ),
            // Controls and time.
            GlossaryEntry(
                "η", "learning rate (lr)",
                "The step size of each update; the theory's clock runs at η per update (§1)."),
            GlossaryEntry(
                "β", "momentum",
                "Share of the previous update carried into the next one; β₁ of Adam, AdamW and Lion (§1)."),
            GlossaryEntry(
                "β₂", "second-moment decay",
                "Adam's and AdamW's average of squared gradients, and Lion's momentum memory (§13)."),
            GlossaryEntry(
                "τ", "dampening",
                "SGD's buffer adds (1−τ) of each new gradient, from the second step on (§13.1)."),
            GlossaryEntry(
                "Nesterov", "Nesterov momentum",
                "SGD steps by g + βb, looking ahead; exact, tracked with θ·b as a second state (§13.2)."),
            GlossaryEntry(
                "SGDW", "SGD with decoupled weight decay",
                "Weight decay shrinks θ by (1−ηλ) outside the momentum buffer; the charges stay exact (§13.3)."),
            GlossaryEntry(
                "AdamW", "Adam with decoupled weight decay",
                "θ shrinks by (1−ηλ), then Adam's step; the step breaks the charges at first order (§13.5)."),
            GlossaryEntry(
                "Lion", "sign momentum",
                "Every weight moves by ±η, the sign of a momentum mix; charges break at first order (§13.6)."),
            GlossaryEntry(
                "λ", "weight decay",
                "Each update also pulls every weight towards zero by ηλθ: a charge loses a fraction 2ηλ per step, ηλ for translation (§1)."
            ),
            GlossaryEntry(
                "step", "update count k",
                "How many updates have been made; a row or point at step k shows the weights after k updates (§1)."),
            GlossaryEntry(
                "t=Ση", "theory time",
                "The learning rates of all updates so far summed, ηk at a fixed η: the theory's clock; t switches the axis (§9.3)."
            ),
            GlossaryEntry(
                "▲", "applied change",
                "A change to lr, momentum or weight decay, by a key or the story, at that step; labelled when a chart is expanded (§9.1)."
            ),
            GlossaryEntry(
                "ghost", "the other run after a fork",
                "F forks: the run goes on unchanged, drawn as rings (◦◦, ++ in ASCII) beneath the fork the keys now change; x swaps, g drops (§12)."
            ),
            GlossaryEntry(
                "lazy", "lazy regime",
                "The network moves like a linear model in its starting features: the tangent kernel barely turns, S(t) stays near 0 (§14.1)."
            ),
            GlossaryEntry(
                "rich", "rich regime",
                "The features themselves are learned: the tangent kernel turns and S(t) grows towards 1 (§14.1)."),
            GlossaryEntry(
                "R", "one neuron's charge",
                "R = a² − |w|² for f = a·wᵀx, conserved by gradient flow: large R > 0 is lazy, small |R| or R < 0 rich (§14.2)."
            ),
            GlossaryEntry(
                "S(t)", "kernel distance",
                "1 − ⟨K₀, K_t⟩/(‖K₀‖‖K_t‖): 0 while the tangent kernel keeps its direction, towards 1 as it turns (§14.1)."
            ),
            GlossaryEntry(
                "lr-scale", "per-layer learning rates",
                "fc1=2 steps fc1's weight and bias with 2η; a rescale charge then divides each side by its own multiplier (§13.8)."
            ),
            GlossaryEntry(
                "noise equilibrium", "where minibatch noise parks a rescale charge",
                "Minibatch noise pushes a rescale charge to one point of its orbit whatever its start; full batch stops pushing (§17)."
            ),
            GlossaryEntry(
                "(modified)", "changed story",
                "These settings are not the story's, so its text does not describe them: after a key it stays, dimmed; after a flag it is left out (§8)."
            ),
        ]
}
