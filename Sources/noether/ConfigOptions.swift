import ArgumentParser
import NoetherCore
import NoetherUI

extension Activation: ExpressibleByArgument {}
extension Normalization: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
extension OutputDetail: ExpressibleByArgument {}
extension Task: ExpressibleByArgument {}
extension DotStyle: ExpressibleByArgument {}

/// The configuration flags shared by `noether`, `noether run` and presets: each overrides
/// the preset (or the built-in default) only when given.
struct ConfigOptions: ParsableArguments {
    @Option(help: "Preset name (see `noether presets`) or path to a preset TOML file.")
    var preset: String?
    @Option(help: "Hidden activation: linear, relu, leaky-relu, tanh.") var arch: Activation?
    @Option(help: "Slope of leaky-relu for negative inputs, in (0, 1).") var leakySlope: Double?
    @Option(help: "Normalization after each hidden linear layer: none, batch, layer.") var norm: Normalization?
    @Option(help: "Normalization eps (0 keeps the scale symmetry exact).") var eps: Double?
    @Option(help: "Hidden layers, 1…8.") var depth: Int?
    @Option(help: "Neurons per hidden layer, 1…1024.") var width: Int?
    @Option(help: "Learning rate η.") var lr: Double?
    @Option(help: "Heavy-ball momentum β in [0, 1) (Adam's β₁ with --optimizer adam).") var momentum: Double?
    @Option(help: "Coupled L2 weight decay λ ≥ 0.") var weightDecay: Double?
    @Option(help: "Minibatch size (drawn without replacement each epoch).") var batchSize: Int?
    @Option(help: "sgd or adam.") var optimizer: OptimizerKind?
    @Option(help: "blobs, teacher, spirals, or a CSV file (features, then label or targets).") var data: String?
    @Option(help: "For a CSV file: classification (last column is the label) or regression.") var task: Task?
    @Option(help: "For a regression CSV: how many trailing columns are targets.") var targets: Int?
    @Option(help: "Samples in a built-in data set.") var samples: Int?
    @Option(help: "Classes of blobs or spirals.") var classes: Int?
    @Option(help: "Input dimension of blobs or teacher.") var inputDim: Int?
    @Option(help: "Fraction of labels drawn at random (blobs, spirals).") var labelNoise: Double?
    @Option(help: "Noise scale of teacher targets and spirals.") var noise: Double?
    @Option(help: "Fixed standard deviation for weight initialization instead of 1/√fan-in.") var initStd: Double?
    @Option(help: "Constant added to every output weight and bias (makes translation charges visible).")
    var outputShift: Double?
    @Flag(inversion: .prefixedNo, help: "Biases in the linear layers.") var bias: Bool?
    @Option(help: "Seed of the run's one random generator.") var seed: UInt64?
    @Option(help: "Number of updates.") var steps: Int?

    /// The preset (or default) with every given flag applied, then validated.
    func resolve() throws -> (Config, Preset) {
        var preset = try preset.map(PresetLibrary.load) ?? PresetLibrary.builtInDefault
        var c = preset.config
        if let arch { c.arch = arch }
        if let leakySlope { c.leakySlope = leakySlope }
        if let norm { c.norm = norm }
        if let eps { c.eps = eps }
        if let depth { c.depth = depth }
        if let width { c.width = width }
        if let lr { c.lr = lr }
        if let momentum { c.momentum = momentum }
        if let weightDecay { c.weightDecay = weightDecay }
        if let batchSize { c.batchSize = batchSize }
        if let optimizer { c.optimizer = optimizer }
        if let data { c.data = DataSource(data) }
        if let task { c.task = task }
        if let targets { c.targets = targets }
        if let samples { c.samples = samples }
        if let classes { c.classes = classes }
        if let inputDim { c.inputDim = inputDim }
        if let labelNoise { c.labelNoise = labelNoise }
        if let noise { c.noise = noise }
        if let initStd { c.initStd = initStd }
        if let outputShift { c.outputShift = outputShift }
        if let bias { c.bias = bias }
        if let seed { c.seed = seed }
        if let steps { c.steps = steps }
        do { try c.validate() } catch { throw ValidationError("--\(error.field): \(error.message)") }
        if c != preset.config {
            preset.title += " (modified)"
            if preset.name == PresetLibrary.builtInDefault.name { preset.description = "" }
        }
        preset.config = c
        return (c, preset)
    }
}
