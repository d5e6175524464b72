import Foundation

/// A sweep: one base configuration and axes of values over its keys; every combination of
/// axis values is one run. Written as TOML (README "Sweeps"): the base as preset keys (or
/// `preset = "NAME"` and overrides), then an `[axes]` table.
public struct Sweep: Sendable {
    public var file: String
    public var title: String
    public var base: Config
    /// When set, each run takes time / lr steps (rounded), so that t = η·k is the same in every
    /// run however its learning rate differs.
    public var time: Double?
    public var axes: [SweepAxis]
    /// Lines of the file's top-level keys, for messages about the runs they shape.
    var lines: [String: Int]
    /// Every run, laid out and validated once when the file is read.
    var planned: [SweepRun] = []

    public var runCount: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// The most runs one sweep may have: the product of its axes' lengths, checked before any
    /// run is laid out. Planning is linear in the run count (about 0.1 ms a run).
    public static let maxRuns = 100_000
}

/// One swept key with its values in order.
public struct SweepAxis: Sendable, Equatable {
    public var key: String
    public var line: Int
    public var values: [TOMLValue]
    /// Each value set over the sweep's base, decoded once when the file is read (none for time).
    var configs: [Config] = []
}

/// One run of a sweep: its whole configuration and the axis values that made it.
public struct SweepRun: Sendable {
    public let config: Config
    public let axisValues: [(key: String, value: TOMLValue)]
    /// `config.canonicalText`, `config.runID` and `config.arguments` (RunIdentity.swift),
    /// formatted when the sweep is laid out.
    public let canonicalText: String
    /// The key runs are stored and resumed by.
    public let id: String
    public let arguments: [String]

    public var axes: [String] { axisValues.map(\.key) }
    /// `lr=0.1 weight-decay=0.001`, for progress and failure messages.
    public var label: String { axisValues.map { "\($0.key)=\(TOML.format($0.value))" }.joined(separator: " ") }
}

extension Sweep {
    /// Keys a sweep file has besides the configuration's own.
    static let ownKeys = ["preset", "time", "title", "description"]
    /// The key that sets steps from the learning rate.
    static let timeKey = "time"

    public static func load(_ path: String) throws(PresetError) -> Sweep {
        try parse(PresetError.text(of: path, "the sweep file"), file: path)
    }

    /// Reads a sweep and checks every run's configuration, so a bad value is named (file, line,
    /// key, what is allowed) before any run starts.
    public static func parse(_ text: String, file: String) throws(PresetError) -> Sweep {
        let doc: TOMLDocument
        do { doc = try TOML.parse(text, plainTables: ["axes"]) } catch {
            throw PresetError(file: file, line: error.line, message: error.message)
        }
        if let table = doc.tables.first {
            throw PresetError(
                file: file, line: table.line,
                message: "unknown table [[\(table.name)]]; a sweep file has top-level keys and one [axes] table")
        }
        var base = Config(), title = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var time: Double?
        var entries: [TOMLEntry] = []
        for e in doc.top {
            switch e.key {
            case "preset":
                guard case .string(let name) = e.value else {
                    throw PresetError(
                        file: file, line: e.line, message: "preset must be a string, got \(e.value.typeName)")
                }
                let preset: Preset
                do { preset = try PresetLibrary.load(name) } catch {
                    throw PresetError(file: file, line: e.line, message: "preset \"\(name)\": \(error)")
                }
                // A sweep's runs are whole configurations (a worker gets one as options), so a
                // schedule that changes training would be lost: refuse it rather than drop it.
                let changing = preset.schedule.filter { !$0.isNarration }.map(\.step)
                if !changing.isEmpty {
                    let steps = Set(changing).sorted().map(String.init).joined(separator: ", ")
                    throw PresetError(
                        file: file, line: e.line,
                        message:
                            "preset \"\(name)\" changes training at step \(steps) ([[at]]); a sweep runs one configuration per run without a schedule: copy the preset's keys into the sweep file instead"
                    )
                }
                base = preset.config
            case "title", "description":
                guard case .string(let s) = e.value else {
                    throw PresetError(
                        file: file, line: e.line, message: "\(e.key) must be a string, got \(e.value.typeName)")
                }
                if e.key == "title" { title = s }
            case timeKey: time = try duration(e, file: file)
            default: entries.append(e)
            }
        }
        do { base = try Config.decoding(entries, over: base) } catch {
            throw PresetError(file: file, line: error.line, message: error.message + allowed(error))
        }
        var lines = Dictionary(doc.top.map { ($0.key, $0.line) }, uniquingKeysWith: { a, _ in a })
        var axes: [SweepAxis] = []
        for e in doc.sections.first(where: { $0.name == "axes" })?.entries ?? [] {
            guard e.key == timeKey || Config.keys.contains(e.key) else {
                throw PresetError(
                    file: file, line: e.line,
                    message:
                        "unknown axis '\(TOML.excerpt(e.key))'; axes take \(timeKey) or a configuration key: \(Config.keys.joined(separator: ", "))"
                )
            }
            if let line = lines[e.key] {
                throw PresetError(
                    file: file, line: e.line, message: "\(e.key) is set on line \(line) and swept here; keep one")
            }
            axes.append(try SweepAxis(e, over: base, file: file))
        }
        guard !axes.isEmpty else {
            let line = doc.sections.first { $0.name == "axes" }?.line
            throw PresetError(
                file: file, line: line,
                message:
                    "the sweep has no axes; add an [axes] table with at least one key, e.g. lr = [0.01, 0.1] (a single run is `noether run`)"
            )
        }
        // The product of the axes' lengths, in Double so that 10,000⁵ cannot overflow.
        let product = axes.reduce(1.0) { $0 * Double($1.values.count) }
        guard product <= Double(maxRuns) else {
            let sizes = axes.map { "\($0.key) \($0.values.count)" }.joined(separator: " × ")
            throw PresetError(
                file: file, line: axes[0].line,
                message: "the axes make \(Self.count(product)) runs (\(sizes)); a sweep may have at most \(maxRuns)")
        }
        let timed = time != nil || axes.contains { $0.key == timeKey }
        if timed, let line = lines["steps"] ?? axes.first(where: { $0.key == "steps" })?.line {
            throw PresetError(file: file, line: line, message: "give steps or time (steps = time / lr), not both")
        }
        for axis in axes { lines[axis.key] = axis.line }
        var sweep = Sweep(file: file, title: title, base: base, time: time, axes: axes, lines: lines)
        sweep.planned = try sweep.layOut()
        return sweep
    }

    /// Every run, the first axis varying slowest; each configuration is validated.
    public func runs() throws(PresetError) -> [SweepRun] { planned.isEmpty ? try layOut() : planned }

    /// Each axis value is decoded and formatted once; each run is the base with its values
    /// taken over, its steps from time, validated, and its identity assembled from the parts.
    private func layOut() throws(PresetError) -> [SweepRun] {
        typealias Part = RunIdentityTemplate.Part
        let overlay: Config.Overlay
        do { overlay = try Config.Overlay(base) } catch {
            throw PresetError(file: file, line: error.line, message: error.message)
        }
        // Per axis, each value as a configuration over the base and as its key's formatted part
        // (empty for time, which is no configuration key).
        var configs: [[Config]] = [], parts: [[Part]] = []
        for axis in axes where axis.key != Self.timeKey {
            var cs = axis.configs, ps: [Part] = []
            if cs.count != axis.values.count {
                cs = []
                for v in axis.values {
                    do { cs.append(try overlay.decoding([TOMLEntry(key: axis.key, value: v, line: axis.line)])) } catch
                    {
                        throw PresetError(file: file, line: error.line, message: error.message)
                    }
                }
            }
            for c in cs { ps.append(Part(axis.key, Config.values(c)[axis.key])) }
            configs.append(cs)
            parts.append(ps)
        }
        let keyed = axes.filter { $0.key != Self.timeKey }
        let codingKeys = keyed.map { Config.CodingKeys(rawValue: $0.key)! }
        let timeAxis = axes.firstIndex { $0.key == Self.timeKey }
        let timed = time != nil || timeAxis != nil
        let template = RunIdentityTemplate(base: base, varying: keyed.map(\.key) + (timed ? ["steps"] : []))
        var out: [SweepRun] = []
        out.reserveCapacity(runCount)
        var picks = [Int](repeating: 0, count: axes.count)
        for index in 0..<runCount {
            var rest = index
            for a in axes.indices.reversed() {
                picks[a] = rest % axes[a].values.count
                rest /= axes[a].values.count
            }
            let axisValues = axes.indices.map { (key: axes[$0].key, value: axes[$0].values[picks[$0]]) }
            var config = base, runParts: [Part] = []
            var k = 0
            for a in axes.indices where a != timeAxis {
                config.take(codingKeys[k], from: configs[k][picks[a]])
                runParts.append(parts[k][picks[a]])
                k += 1
            }
            config = try resolve(config, axisValues: axisValues, time: timeAxis.map { axisValues[$0].value })
            if timed { runParts.append(Part(Config.CodingKeys.steps.rawValue, .integer(config.steps))) }
            let identity = template.identity(runParts)
            out.append(
                SweepRun(
                    config: config, axisValues: axisValues, canonicalText: identity.canonicalText,
                    id: Config.runID(identity.canonicalText), arguments: identity.arguments))
        }
        return out
    }

    /// A run's configuration with its steps from time, validated.
    private func resolve(
        _ config: Config, axisValues: [(key: String, value: TOMLValue)],
        time axisTime: TOMLValue?
    ) throws(PresetError) -> Config {
        var config = config
        func label() -> String { axisValues.map { "\($0.key)=\(TOML.format($0.value))" }.joined(separator: " ") }
        if let t = axisTime?.number ?? time {
            let steps = (t / config.lr).rounded()
            guard steps >= 1, steps <= Double(Config.maxSteps) else {
                throw PresetError(
                    file: file, line: lines[Self.timeKey],
                    message:
                        "run \(label()): time \(t) at lr \(config.lr) gives \(steps) steps; allowed 1…\(Config.maxSteps)"
                )
            }
            config.steps = Int(steps)
        }
        do { try config.validate() } catch {
            throw PresetError(
                file: file, line: lines[error.field],
                message: (axisValues.isEmpty ? "" : "run \(label()): ") + "\(error.field) \(error.message)")
        }
        return config
    }

    /// The settings no run of the sweep reads (UnusedSettings.swift), one line each.
    public static func unusedSettings(_ runs: [SweepRun]) -> [String] {
        guard let first = runs.first else { return [] }
        var unused = first.config.unusedSettings()
        for run in runs.dropFirst() where !unused.isEmpty {
            let here = Set(run.config.unusedKeys().map(\.key))
            unused.removeAll { !here.contains($0.key) }
        }
        return unused.map(\.message)
    }

    /// A run count for messages: exact below 10¹⁵, else in exponent form.
    static func count(_ x: Double) -> String { x < 1e15 ? String(Int(x)) : String(format: "%.3g", x) }

    static func duration(_ e: TOMLEntry, file: String) throws(PresetError) -> Double {
        guard let t = e.value.number, t.isFinite, t > 0 else {
            throw PresetError(
                file: file, line: e.line,
                message:
                    "time must be a positive number (t = η·steps; each run takes time / lr steps), got \(TOML.format(e.value))"
            )
        }
        return t
    }

    static func allowed(_ error: ConfigEntryError) -> String {
        guard error.message.hasPrefix("unknown key") else { return "" }
        return
            "; allowed: \(ownKeys.joined(separator: ", ")), \(Config.keys.joined(separator: ", ")), and an [axes] table"
    }
}
