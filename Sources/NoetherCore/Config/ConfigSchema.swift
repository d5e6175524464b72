import Foundation

/// The one schema of configuration keys: `Config.CodingKeys` (the long option names of the
/// command line). Preset files, recordings and command-line flags all become `key = value`
/// entries that are decoded over a base configuration through `Config`'s own Codable
/// conformance, and written back from the same keys.
extension Config {
    /// Every key a preset, a recording or `noether run` accepts, in the order they are written.
    public static var keys: [String] { CodingKeys.allCases.map(\.rawValue) }

    /// The allowed values of the keys that take a name.
    static let choices: [String: [String]] = [
        CodingKeys.arch.rawValue: Activation.allCases.map(\.rawValue),
        CodingKeys.norm.rawValue: Normalization.allCases.map(\.rawValue),
        CodingKeys.pool.rawValue: Pooling.allCases.map(\.rawValue),
        CodingKeys.optimizer.rawValue: OptimizerKind.allCases.map(\.rawValue),
        CodingKeys.task.rawValue: Task.allCases.map(\.rawValue),
        CodingKeys.sharpnessBatch.rawValue: SharpnessBatch.allCases.map(\.rawValue),
    ]

    /// `base` with each entry applied. Types and names are checked here; ranges by `validate()`.
    public static func decoding(_ entries: [TOMLEntry], over base: Config) throws(ConfigEntryError) -> Config {
        try Overlay(base).decoding(entries)
    }

    /// A base configuration encoded once, for decoding many entries over it (a sweep's axis values).
    struct Overlay {
        private let object: [String: Any]

        init(_ base: Config) throws(ConfigEntryError) {
            do {
                object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(base)) as? [String: Any] ?? [:]
            } catch {
                throw ConfigEntryError(key: "", line: nil, message: "cannot encode the configuration: \(error)")
            }
        }

        /// The base with each entry applied.
        func decoding(_ entries: [TOMLEntry]) throws(ConfigEntryError) -> Config {
            let entries = entries.map { e in
                var e = e
                if let key = aliases[e.key] { e.key = key }
                return e
            }
            for e in entries {
                guard CodingKeys(rawValue: e.key) != nil else {
                    throw ConfigEntryError(key: e.key, line: e.line, message: "unknown key '\(TOML.excerpt(e.key))'")
                }
                guard jsonValue(e.value) != nil else {
                    throw ConfigEntryError(
                        key: e.key, line: e.line, message: "\(e.key) \(expectation(e.key)), got \(e.value.typeName)")
                }
                // JSON would read 1000.0 as the integer 1000: a float for a count is refused as written.
                if case .float(let x) = e.value, integerKeys.contains(e.key) {
                    throw ConfigEntryError(
                        key: e.key, line: e.line,
                        message:
                            "\(e.key) \(expectation(e.key)) written without a point or exponent, got \(TOML.format(.float(x)))"
                    )
                }
            }
            if let config = decode(object, setting: entries) { return config }
            // Name the entry that does not decode: the first whose value alone fails.
            for e in entries where decode(object, setting: [e]) == nil {
                throw ConfigEntryError(
                    key: e.key, line: e.line,
                    message: "\(e.key) \(expectation(e.key)), got \(TOML.excerpt(TOML.format(e.value)))")
            }
            throw ConfigEntryError(key: "", line: nil, message: "cannot decode the configuration")
        }
    }

    /// Sets one key to its value in `other`. The switch is exhaustive, so no key can be missed.
    mutating func take(_ key: CodingKeys, from other: Config) {
        switch key {
        case .arch: arch = other.arch
        case .leakySlope: leakySlope = other.leakySlope
        case .norm: norm = other.norm
        case .groups: groups = other.groups
        case .eps: eps = other.eps
        case .conv: conv = other.conv
        case .residual: residual = other.residual
        case .kernel: kernel = other.kernel
        case .pool: pool = other.pool
        case .depth: depth = other.depth
        case .width: width = other.width
        case .bias: bias = other.bias
        case .lr: lr = other.lr
        case .momentum: momentum = other.momentum
        case .weightDecay: weightDecay = other.weightDecay
        case .batchSize: batchSize = other.batchSize
        case .optimizer: optimizer = other.optimizer
        case .beta2: beta2 = other.beta2
        case .nesterov: nesterov = other.nesterov
        case .dampening: dampening = other.dampening
        case .data: data = other.data
        case .task: task = other.task
        case .samples: samples = other.samples
        case .classes: classes = other.classes
        case .inputDim: inputDim = other.inputDim
        case .imageShape: imageShape = other.imageShape
        case .labelNoise: labelNoise = other.labelNoise
        case .noise: noise = other.noise
        case .targets: targets = other.targets
        case .initStd: initStd = other.initStd
        case .outputShift: outputShift = other.outputShift
        case .whiten: whiten = other.whiten
        case .lrScale: lrScale = other.lrScale
        case .seed: seed = other.seed
        case .steps: steps = other.steps
        case .sharpnessEvery: sharpnessEvery = other.sharpnessEvery
        case .sharpnessTop: sharpnessTop = other.sharpnessTop
        case .sharpnessBatch: sharpnessBatch = other.sharpnessBatch
        case .sharpnessTolerance: sharpnessTolerance = other.sharpnessTolerance
        }
    }

    /// The keys whose values are whole numbers (counts, sizes, the seed).
    static let integerKeys: Set<String> = {
        var probe = Config()
        probe.inputDim = 1  // optional keys have a value only when set
        probe.targets = 1
        return Set(values(probe).filter { if case .integer = $0.value { true } else { false } }.keys)
    }()

    /// The encoded base with `entries` set, decoded; nil when a value has the wrong type or name.
    /// JSON in memory carries every Double and UInt64 exactly (shortest round-trip form).
    private static func decode(_ base: [String: Any], setting entries: [TOMLEntry]) -> Config? {
        var object = base
        for e in entries { object[e.key] = jsonValue(e.value) }
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return nil }
        return try? JSONDecoder().decode(Config.self, from: data)
    }

    /// A TOML value as the JSON object it is decoded from; nil for arrays, tables and dates.
    static func jsonValue(_ v: TOMLValue) -> Any? {
        switch v {
        case .string(let s): s
        case .integer(let n): n
        case .float(let x): x
        case .bool(let b): b
        case .array(let items):
            // Only lists of integers (conv channel counts) are configuration values.
            items.allSatisfy { if case .integer = $0 { true } else { false } } ? items.map { jsonValue($0)! } : nil
        case .table, .other: nil
        }
    }

    /// What a key takes, for messages: its type, or its allowed names.
    static func expectation(_ key: String) -> String {
        if let names = choices[key] { return "must be one of " + names.map { "\"\($0)\"" }.joined(separator: ", ") }
        let example = defaultValues[key] ?? .string("")
        switch (key, example) {
        case ("data", _):
            return "must be a string: " + DataSource.builtIn.map { "\"\($0.name)\"" }.joined(separator: ", ")
                + " or a CSV path"
        case ("image-shape", _):
            return "must be a string \"CxHxW\" (channels, height, width: whole numbers, e.g. \"1x28x28\")"
        case ("seed", _): return "must be an integer 0…9223372036854775807"
        case ("conv", _): return "must be a list of channel counts, e.g. [8, 16]"
        case ("lr-scale", _):
            return "must be a string of layer=multiplier pairs, e.g. \"fc1=2,fc2=0.5\" (\"\" for none)"
        case (_, .integer): return "must be an integer"
        case (_, .bool): return "must be true or false"
        case (_, .string): return "must be a string"
        default: return "must be a number"
        }
    }

    /// The built-in default's values, computed once.
    static let defaultValues = values(Config())

    /// Each key's value in `c` as TOML (keys whose value is unset are absent).
    static func values(_ c: Config) -> [String: TOMLValue] {
        var fields: [String: Any] = [:]
        for child in Mirror(reflecting: c).children { if let label = child.label { fields[label] = child.value } }
        var out: [String: TOMLValue] = [:]
        for key in CodingKeys.allCases {
            guard let value = fields[key.propertyName].flatMap(unwrap) else { continue }
            switch value {
            case let x as Double: out[key.rawValue] = .float(x)
            case let n as Int: out[key.rawValue] = .integer(n)
            case let n as UInt64: out[key.rawValue] = n <= UInt64(Int.max) ? .integer(Int(n)) : .string("\(n)")
            case let b as Bool: out[key.rawValue] = .bool(b)
            case let list as [Int]: out[key.rawValue] = .array(list.map { .integer($0) })
            case let d as DataSource: out[key.rawValue] = .string(d.name)
            case let s as ImageShape: out[key.rawValue] = .string(s.description)
            case let r as LayerRates: out[key.rawValue] = .string(r.description)
            case let r as any RawRepresentable<String>: out[key.rawValue] = .string(r.rawValue)
            default: continue
            }
        }
        return out
    }

    /// `key = value` lines for every key whose value in `c` differs from the built-in default.
    public static func lines(_ c: Config) -> String {
        let mine = values(c), defaults = defaultValues
        var s = ""
        for key in keys {
            if let v = mine[key], v != defaults[key] { s += "\(key) = \(TOML.format(v))\n" }
        }
        return s
    }
}

extension Config.CodingKeys {
    /// The Swift property the key stands for: `weight-decay` → `weightDecay`.
    var propertyName: String {
        let parts = rawValue.split(separator: "-")
        return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// The value inside an Optional, or nil for nil; other values pass through.
func unwrap(_ value: Any) -> Any? {
    let m = Mirror(reflecting: value)
    guard m.displayStyle == .optional else { return value }
    return m.children.first.map(\.value)
}

/// A configuration entry that cannot be used: its key, line (in a file) and what is allowed.
public struct ConfigEntryError: Error, Equatable, Sendable {
    public var key: String
    public var line: Int?
    public var message: String
}
