import Foundation

/// Hidden-layer activation. `linear`, `relu` and `leakyRelu` are positively homogeneous
/// (rescale symmetry, THEORY.md §2.1); `tanh` is odd and has only discrete symmetries.
public enum Activation: String, CaseIterable, Codable, Sendable {
    case linear, relu, leakyRelu = "leaky-relu", tanh
    public var isHomogeneous: Bool { self != .tanh }
}

/// Normalization after each hidden linear layer, in training mode.
public enum Normalization: String, CaseIterable, Codable, Sendable {
    case none, batch, layer, group

    /// As model summaries spell it: "BN", "LN", "GN" ("" for none).
    public var abbreviation: String {
        switch self {
        case .none: ""
        case .batch: "BN"
        case .layer: "LN"
        case .group: "GN"
        }
    }
}

/// What follows each conv block's activation.
public enum Pooling: String, CaseIterable, Codable, Sendable {
    case max, avg, none
}

/// Where the training set comes from: a built-in generator or a user's CSV file.
public enum DataSource: Equatable, Codable, Sendable {
    case blobs, teacher, spirals, shapes
    case file(String)

    /// The built-in generators, in the order they are listed and cycled through.
    public static let builtIn: [DataSource] = [.blobs, .teacher, .spirals, .shapes]

    /// A built-in set of images (what conv blocks need; a CSV file is one when given --image-shape).
    public var isImage: Bool { self == .shapes }

    /// A user's CSV file rather than a built-in generator.
    public var isFile: Bool { if case .file = self { true } else { false } }

    /// "blobs, teacher, spirals, shapes", for messages.
    public static var builtInNames: String { builtIn.map(\.name).joined(separator: ", ") }

    public init(_ text: String) {
        self = Self.builtIn.first { $0.name == text } ?? .file(text)
    }

    public var name: String {
        switch self {
        case .blobs: "blobs"
        case .teacher: "teacher"
        case .spirals: "spirals"
        case .shapes: "shapes"
        case .file(let path): path
        }
    }

    public init(from decoder: Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}

public enum Task: String, CaseIterable, Codable, Sendable {
    case classification, regression
}

/// The parameters that may change between any two steps without resetting the run.
public struct LiveParameters: Equatable, Codable, Sendable {
    public var learningRate: Double
    public var momentum: Double
    public var weightDecay: Double

    public init(learningRate: Double, momentum: Double, weightDecay: Double) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }
}

/// One run's full configuration. Every field has the built-in default's value until set.
public struct Config: Equatable, Codable, Sendable {
    public var arch: Activation = .relu
    public var leakySlope: Double = 0.1
    public var norm: Normalization = .batch
    public var eps: Double = 0
    public var conv: [Int] = []
    /// Skip connections around blocks of two hidden layers after the first (dense and conv).
    public var residual: Bool = false
    /// Group norm's number of channel groups.
    public var groups: Int = 2
    public var kernel: Int = 3
    public var pool: Pooling = .max
    public var depth: Int = 2
    public var width: Int = 32
    public var bias: Bool = true
    public var lr: Double = 0.1
    public var momentum: Double = 0.5
    public var weightDecay: Double = 5e-3
    public var batchSize: Int = 32
    public var optimizer: OptimizerKind = .sgd
    /// The Adam family's β₂ and Lion's β₂ (its β₁ is `momentum`).
    public var beta2: Double = 0.999
    /// SGD's Nesterov momentum and its dampening τ (as torch.optim.SGD).
    public var nesterov: Bool = false
    public var dampening: Double = 0
    public var data: DataSource = .blobs
    public var task: Task? = nil
    public var samples: Int = 1024
    public var classes: Int = 4
    public var inputDim: Int? = nil
    /// Image data: the shape a CSV file's rows are read as, or the size `shapes` draws.
    public var imageShape: ImageShape? = nil
    public var labelNoise: Double = 0.1
    public var noise: Double = 0.1
    /// Regression outputs: a teacher's (3 unless set) or a CSV file's trailing target columns (1 unless set).
    public var targets: Int? = nil
    public var initStd: Double? = nil
    public var outputShift: Double = 0
    /// Whiten the inputs exactly: x ← M^{-1/2}x with M = XᵀX/n, so the data set's second-moment
    /// matrix is the identity (THEORY.md §14.2).
    public var whiten: Bool = false
    /// Per-layer learning-rate multipliers (THEORY.md §13.8): layer name → m, η·m for its tensors.
    public var lrScale = LayerRates()
    public var seed: UInt64 = 1
    public var steps: Int = 2000
    /// Measure the sharpness every K steps (0: never), its top 1 or 2 eigenvalues, on the full
    /// batch or the minibatch, to a relative tolerance (THEORY.md §16).
    public var sharpnessEvery: Int = 0
    public var sharpnessTop: Int = 1
    public var sharpnessBatch: SharpnessBatch = .full
    public var sharpnessTolerance: Double = 1e-4

    public init() {}

    /// The keys of preset files and the long option names of the command line (the one schema;
    /// see ConfigSchema.swift).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case arch, leakySlope = "leaky-slope", norm, groups, eps, conv, residual, kernel, pool, depth, width, bias, lr
        case momentum
        case weightDecay = "weight-decay", batchSize = "batch-size", optimizer, beta2, nesterov, dampening, data, task
        case samples, classes, inputDim = "input-dim", imageShape = "image-shape", labelNoise = "label-noise", noise,
            targets
        case initStd = "init-std", outputShift = "output-shift", whiten, lrScale = "lr-scale", seed, steps
        case sharpnessEvery = "sharpness-every", sharpnessTop = "sharpness-top", sharpnessBatch = "sharpness-batch"
        case sharpnessTolerance = "sharpness-tolerance"
    }

    /// Older names still read from presets and recordings.
    static let aliases = ["adam-beta2": CodingKeys.beta2.rawValue]

    /// The most updates one run may take.
    public static let maxSteps = 100_000_000

    public var live: LiveParameters {
        get { LiveParameters(learningRate: lr, momentum: momentum, weightDecay: weightDecay) }
        set { lr = newValue.learningRate; momentum = newValue.momentum; weightDecay = newValue.weightDecay }
    }

    /// The task a built-in data set implies; a CSV file is classification unless told otherwise.
    /// The regression outputs: `targets` when set, else 3 for the teacher and 1 for a CSV file.
    public var resolvedTargets: Int { targets ?? (data == .teacher ? 3 : 1) }

    public var resolvedTask: Task {
        if let task { return task }
        return data == .teacher ? .regression : .classification
    }
}

/// A value outside what the simulator accepts, named by field with what is allowed.
public struct ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    public var field: String
    public var message: String
    public var description: String { "\(field): \(message)" }
    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

extension LiveParameters {
    public func validate() throws(ConfigError) {
        guard learningRate.isFinite, learningRate > 0, learningRate <= 100 else {
            throw ConfigError("lr", "must be in (0, 100], got \(learningRate)")
        }
        guard momentum.isFinite, momentum >= 0, momentum < 1 else {
            throw ConfigError("momentum", "must be in [0, 1), got \(momentum)")
        }
        guard weightDecay.isFinite, weightDecay >= 0, weightDecay * learningRate < 1 else {
            throw ConfigError(
                "weight-decay", "must be ≥ 0 with lr × weight-decay < 1, got \(weightDecay) at lr \(learningRate)")
        }
    }
}

extension Config {
    public func validate() throws(ConfigError) {
        try live.validate()
        guard (0...8).contains(depth) else {
            throw ConfigError("depth", "must be 0…8 hidden dense layers, got \(depth)")
        }
        guard conv.count <= 6 else { throw ConfigError("conv", "at most 6 conv blocks, got \(conv.count)") }
        for channels in conv where !(1...256).contains(channels) {
            throw ConfigError("conv", "channel counts must be 1…256, got \(channels)")
        }
        guard [1, 3, 5, 7].contains(kernel) else {
            throw ConfigError("kernel", "must be 1, 3, 5 or 7 (odd, so \"same\" padding is symmetric), got \(kernel)")
        }
        guard (1...1024).contains(width) else { throw ConfigError("width", "must be 1…1024, got \(width)") }
        try validateGroups()
        try validateResidual()
        guard batchSize >= 2 else {
            throw ConfigError("batch-size", "must be at least 2 (batch norm needs a batch), got \(batchSize)")
        }
        guard eps.isFinite, eps >= 0 else { throw ConfigError("eps", "must be ≥ 0, got \(eps)") }
        guard leakySlope.isFinite, leakySlope > 0, leakySlope < 1 else {
            throw ConfigError("leaky-slope", "must be in (0, 1), got \(leakySlope)")
        }
        try optimizer.rule.validate(optimizerSettings, momentum: momentum)
        guard (8...1_000_000).contains(samples) else {
            throw ConfigError("samples", "must be 8…1000000, got \(samples)")
        }
        guard (2...64).contains(classes) else { throw ConfigError("classes", "must be 2…64, got \(classes)") }
        if let inputDim, !(1...4096).contains(inputDim) {
            throw ConfigError("input-dim", "must be 1…4096, got \(inputDim)")
        }
        guard (0...1).contains(labelNoise) else {
            throw ConfigError("label-noise", "must be a fraction in [0, 1], got \(labelNoise)")
        }
        guard noise.isFinite, noise >= 0, noise <= 1e6 else {
            throw ConfigError("noise", "must be in [0, 1e6], got \(noise)")
        }
        if let targets, !(1...64).contains(targets) {
            throw ConfigError("targets", "must be 1…64, got \(targets)")
        }
        try lrScale.validate()
        if let m = lrScale.factors.values.max(), m * lr * weightDecay >= 1 {
            throw ConfigError(
                "lr-scale", "lr × weight-decay × the largest multiplier must be < 1, got \(lr) × \(weightDecay) × \(m)")
        }
        // Bounds that keep the first forward pass finite, so a bad value is named here and not
        // reported later as a divergence "at step 0".
        if let initStd, !(initStd.isFinite && initStd > 0 && initStd <= 100) {
            throw ConfigError("init-std", "must be in (0, 100], got \(initStd)")
        }
        guard outputShift.isFinite, abs(outputShift) <= 1e6 else {
            throw ConfigError("output-shift", "must be within ±1e6, got \(outputShift)")
        }
        // TOML integers are 64-bit signed: larger seeds could not be saved and read back.
        guard seed <= UInt64(Int64.max) else {
            throw ConfigError("seed", "must be 0…9223372036854775807, got \(seed)")
        }
        guard steps >= 0, steps <= Config.maxSteps else {
            throw ConfigError("steps", "must be 0…\(Config.maxSteps), got \(steps)")
        }
        guard (0...Config.maxSteps).contains(sharpnessEvery) else {
            throw ConfigError(
                "sharpness-every", "must be 0 (never) or a number of steps 1…\(Config.maxSteps), got \(sharpnessEvery)")
        }
        guard (1...2).contains(sharpnessTop) else {
            throw ConfigError(
                "sharpness-top", "must be 1 or 2 (how many of the largest Hessian eigenvalues), got \(sharpnessTop)")
        }
        guard sharpnessTolerance.isFinite, sharpnessTolerance >= 1e-13, sharpnessTolerance <= 0.1 else {
            throw ConfigError(
                "sharpness-tolerance", "must be in [1e-13, 0.1] (relative Ritz residual), got \(sharpnessTolerance)")
        }
        // Named here, with the file and line of the preset that asks for it, not later by the loader.
        if case .file(let path) = data, !FileManager.default.isReadableFile(atPath: path) {
            throw ConfigError(
                "data",
                "\"\(path)\" is neither a built-in data set (\(DataSource.builtInNames)) nor a readable CSV file")
        }
        // A built-in set has its own task; `task` chooses how a CSV file's columns are read.
        if let task, !data.isFile, task != (data == .teacher ? .regression : .classification) {
            throw ConfigError(
                "task",
                "\(task.rawValue) is only for a CSV file; \(data.name) is a \(data == .teacher ? "regression" : "classification") set"
            )
        }
        try imageShape?.validate()
        if data == .shapes {
            let sides = ShapesData.sides.map { "1x\($0)x\($0)" }.joined(separator: " or ")
            if let s = imageShape, !(s.channels == 1 && s.height == s.width && ShapesData.sides.contains(s.height)) {
                throw ConfigError("image-shape", "shapes draws \(sides) images, got \(s)")
            }
            guard classes <= ShapesData.kinds.count else {
                throw ConfigError(
                    "classes",
                    "shapes draws \(ShapesData.kinds.count) kinds of shape (\(ShapesData.kinds.joined(separator: ", "))), so classes must be 2…\(ShapesData.kinds.count), got \(classes)"
                )
            }
        }
        try checkMemory()
    }
}
