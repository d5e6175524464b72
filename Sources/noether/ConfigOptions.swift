import ArgumentParser
import Foundation
import NoetherCore
import NoetherUI

extension Activation: ExpressibleByArgument {}
extension Normalization: ExpressibleByArgument {}
extension Pooling: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
extension OutputDetail: ExpressibleByArgument {}
extension Task: ExpressibleByArgument {}
extension SharpnessBatch: ExpressibleByArgument {}
extension DotStyle: ExpressibleByArgument {}

/// A warning about the command's input, one line on standard error.
func warn(_ message: String) { FileHandle.standardError.write(Data("noether: warning: \(message)\n".utf8)) }

/// Numbers on the command line are decimal (NumberSyntax): `--lr 0x10` is refused, not read as 16.
private func decimal(_ text: String) throws -> Double { try NumberSyntax.argument(text) }

/// The configuration flags shared by `noether`, `noether run` and presets: each overrides
/// the preset (or the built-in default) only when given.
struct ConfigOptions: ParsableArguments {
    @Option(help: "Preset name (see `noether presets`) or path to a preset TOML file.")
    var preset: String?
    @Option(help: "Hidden activation: linear, relu, leaky-relu, tanh.") var arch: Activation?
    @Option(help: "Slope of leaky-relu for negative inputs, in (0, 1).", transform: decimal)
    var leakySlope: Double?
    @Option(help: "Normalization after each hidden linear layer: none, batch, layer, group.") var norm: Normalization?
    @Option(help: "Group norm's channel groups G (--norm group): G must divide every conv layer's channels and width.")
    var groups: Int?
    @Option(help: "Normalization eps (0 keeps the scale symmetry exact).", transform: decimal)
    var eps: Double?
    @Option(help: "Conv blocks before the dense layers, by channel count: 8,16 (or none). Needs image data.")
    var conv: ChannelList?
    @Flag(
        inversion: .prefixedNo,
        help:
            "Skip connections around blocks of two hidden layers after the first (conv: equal channels, pooling after the block; dense: depth 3, 5 or 7)."
    )
    var residual: Bool?
    @Option(help: "Conv kernel size: 1, 3, 5 or 7.") var kernel: Int?
    @Option(help: "Pooling after each conv block: max, avg, none (2×2, stride 2).") var pool: Pooling?
    @Option(help: "Hidden dense layers, 0…8.") var depth: Int?
    @Option(help: "Neurons per hidden layer, 1…1024.") var width: Int?
    @Option(help: "Learning rate η.", transform: decimal)
    var lr: Double?
    @Option(help: "Heavy-ball momentum β in [0, 1) (β₁ of adam, adamw and lion).", transform: decimal)
    var momentum: Double?
    @Option(
        help: "Weight decay λ ≥ 0: coupled L2 for sgd and adam, decoupled for sgdw, adamw and lion.", transform: decimal
    )
    var weightDecay: Double?
    @Option(help: "Minibatch size (drawn without replacement each epoch).") var batchSize: Int?
    @Option(help: "\(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")).") var optimizer: OptimizerKind?
    @Option(help: "β₂ of adam, adamw and lion, in (0, 1).", transform: decimal)
    var beta2: Double?
    @Flag(inversion: .prefixedNo, help: "Nesterov momentum (sgd; needs momentum > 0 and dampening 0).") var nesterov:
        Bool?
    @Option(help: "Dampening τ of the momentum buffer in [0, 1] (sgd, sgdw).", transform: decimal)
    var dampening: Double?
    @Option(help: "blobs, teacher, spirals, shapes (images), or a CSV file (features, then label or targets).")
    var data: String?
    @Option(help: "For a CSV file: classification (last column is the label) or regression.") var task: Task?
    @Option(help: "Regression outputs: a teacher's (default 3) or a CSV file's trailing target columns (default 1).")
    var targets: Int?
    @Option(help: "Samples in a built-in data set.") var samples: Int?
    @Option(help: "Classes of blobs, spirals or shapes (shapes: 2…8).") var classes: Int?
    @Option(help: "Input dimension of blobs or teacher.") var inputDim: Int?
    @Option(
        help:
            "CxHxW: read a CSV file's rows as images of this shape (C·H·W values, C,H,W order, then the label); for shapes, 1x12x12 (default) or 1x16x16."
    )
    var imageShape: String?
    @Option(help: "Fraction of labels drawn at random (blobs, spirals, shapes).", transform: decimal)
    var labelNoise: Double?
    @Option(help: "Noise scale of teacher targets, spirals and shapes' pixels.", transform: decimal)
    var noise: Double?
    @Option(help: "Fixed standard deviation for weight initialization instead of 1/√fan-in.", transform: decimal)
    var initStd: Double?
    @Option(
        help: "Constant added to every output weight and bias (makes translation charges visible).",
        transform: NumberSyntax.argument)
    var outputShift: Double?
    @Flag(inversion: .prefixedNo, help: "Biases in the linear layers.") var bias: Bool?
    @Flag(inversion: .prefixedNo, help: "Whiten the inputs exactly: second-moment matrix XᵀX/n = I.") var whiten: Bool?
    @Option(
        help:
            "Per-layer learning-rate multipliers: fc1=2,fc2=0.5 steps fc1's weight and bias with 2η and fc2's with η/2."
    )
    var lrScale: String?
    @Option(help: "Seed of the run's one random generator.") var seed: UInt64?
    @Option(help: "Number of updates.") var steps: Int?
    @Option(help: "Measure the sharpness (top Hessian eigenvalue) every K steps; 0: never.") var sharpnessEvery: Int?
    @Option(help: "How many of the largest Hessian eigenvalues to measure: 1 or 2.") var sharpnessTop: Int?
    @Option(help: "The loss whose Hessian is measured: full (the whole training set) or minibatch.")
    var sharpnessBatch: SharpnessBatch?
    @Option(help: "Lanczos stops when each Ritz residual is below this fraction of its eigenvalue.")
    var sharpnessTolerance: Double?

    /// The preset (or default) with every given flag applied, then validated. Flags become
    /// `key = value` entries decoded over the preset through the one configuration schema
    /// (Config.CodingKeys), so a new key needs only its @Option line here.
    func resolve() throws -> (Config, Preset) {
        var preset = try self.preset.map(PresetLibrary.load) ?? PresetLibrary.builtInDefault
        let entries = try overrides()
        let c: Config
        do { c = try Config.decoding(entries, over: preset.config) } catch {
            throw ValidationError("--\(error.message)")
        }
        do { try c.validate() } catch { throw ValidationError("--\(error.field): \(error.message)") }
        preset = preset.with(c, given: entries.map(\.key))
        for (_, message) in c.unusedSettings(alsoUsing: preset.schedule.compactMap(\.optimizer)) {
            warn(message)
        }
        return (c, preset)
    }

    /// The flags that were given, as configuration entries named like their keys.
    private func overrides() throws -> [TOMLEntry] {
        var entries: [TOMLEntry] = []
        for child in Mirror(reflecting: self).children {
            guard let label = child.label, label != "_preset", let option = child.value as? any GivenValue,
                let value = option.given
            else { continue }
            let key = String(label.dropFirst()).kebabCased
            let toml: TOMLValue
            switch value {
            case let x as Double: toml = .float(x)
            case let n as Int: toml = .integer(n)
            case let n as UInt64:
                guard n <= UInt64(Int64.max) else {
                    throw ValidationError("--\(key) must be 0…9223372036854775807, got \(n)")
                }
                toml = .integer(Int(n))
            case let b as Bool: toml = .bool(b)
            case let list as ChannelList: toml = .array(list.channels.map { .integer($0) })
            case let s as String: toml = .string(s)
            case let r as any RawRepresentable<String>: toml = .string(r.rawValue)
            default: continue
            }
            entries.append(TOMLEntry(key: key, value: toml, line: 0))
        }
        return entries
    }
}

/// `--conv 8,16`: channel counts of the conv blocks, comma-separated (or as TOML writes them,
/// `[8, 16]`); `none` or `[]` for an MLP.
struct ChannelList: ExpressibleByArgument {
    var channels: [Int]
    init?(argument: String) {
        let list = argument.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        if list.isEmpty || list == "none" { channels = []; return }
        let parts = list.split(separator: ",", omittingEmptySubsequences: false).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        channels = parts.map { $0! }
    }
    static var defaultCompletionKind: CompletionKind { .default }
}

/// An option or flag whose value, if the user gave one, can be read without knowing its type.
protocol GivenValue {
    associatedtype Value
    var wrappedValue: Value { get }
}

extension GivenValue {
    var given: Any? {
        let m = Mirror(reflecting: wrappedValue as Any)
        return m.displayStyle == .optional ? m.children.first?.value : wrappedValue
    }
}

extension Option: GivenValue {}
extension Flag: GivenValue {}

extension String {
    /// `weightDecay` → `weight-decay`, as swift-argument-parser names long options.
    var kebabCased: String {
        var out = ""
        for ch in self {
            if ch.isUppercase { out += "-" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}
