/// The shipped preset files, compiled into the binary so `--preset NAME` works from any
/// directory: SwiftPM embeds each `*.toml` of this folder as bytes (PackageResources).
public enum ShippedPresets {
    /// File name → TOML text, in name order.
    public static let files: [(name: String, text: String)] = [
        ("adam-breaking", PackageResources.adam_breaking_toml),
        ("balance-large-step", PackageResources.balance_large_step_toml),
        ("bn-equilibrium", PackageResources.bn_equilibrium_toml),
        ("bn-scale-growth", PackageResources.bn_scale_growth_toml),
        ("bn-teleport", PackageResources.bn_teleport_toml),
        ("edge-of-stability", PackageResources.edge_of_stability_toml),
        ("heavy-ball-edge", PackageResources.heavy_ball_edge_toml),
        ("layer-norm", PackageResources.layer_norm_toml),
        ("lazy-vs-rich", PackageResources.lazy_vs_rich_toml),
        ("linear-balance", PackageResources.linear_balance_toml),
        ("noise-equilibrium", PackageResources.noise_equilibrium_toml),
        ("optimizer-equilibria", PackageResources.optimizer_equilibria_toml),
        ("periodic-instability", PackageResources.periodic_instability_toml),
        ("relu-balance", PackageResources.relu_balance_toml),
        ("relu-rescale", PackageResources.relu_rescale_toml),
        ("relu-steepest", PackageResources.relu_steepest_toml),
        ("resnet-mini", PackageResources.resnet_mini_toml),
        ("rmsprop-analogy", PackageResources.rmsprop_analogy_toml),
        ("tanh-discrete", PackageResources.tanh_discrete_toml),
        ("theory-overlay", PackageResources.theory_overlay_toml),
        ("translation-momentum", PackageResources.translation_momentum_toml),
        ("vgg-mini", PackageResources.vgg_mini_toml),
    ].map { ($0.0, String(decoding: $0.1, as: UTF8.self)) }
}
