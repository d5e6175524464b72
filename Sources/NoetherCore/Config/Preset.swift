import Foundation
import ShippedPresets

/// A change of live parameters at a step, with optional narration: how presets tell a story
/// and how recordings remember what the user did.
public struct ScheduledChange: Equatable, Sendable {
    public var step: Int
    public var learningRate: Double?
    public var momentum: Double?
    public var weightDecay: Double?
    /// Another optimizer from this step on, with fresh buffers (THEORY.md §13.7).
    public var optimizer: OptimizerKind?
    /// Another minibatch size from the next update on (the number of samples: full batch,
    /// THEORY.md §17); the next minibatch is drawn anew at this size.
    public var batchSize: Int?
    /// Symmetry teleports made at this step, in order, after the live parameters (THEORY.md §12).
    public var teleports: [Teleport] = []
    /// Narration (explorer only; the simulation ignores it): a caption that holds from this
    /// step on, a pause, the chart to focus (a chart id of the explorer's registry), the charge
    /// family to show, and a pace in steps per second (0 = as fast as possible).
    public var say: String?
    public var pause: Bool = false
    public var focus: String?
    public var family: String?
    public var speed: Int?
    /// Fork the run here, before this step's other changes: the run goes on unchanged as a
    /// ghost, and this and every later change act on the fork. A story may fork up to
    /// `Session.maxGhosts` times; `noether run` numbers the ghosts 0, 1, … in fork order and
    /// the front run after them.
    public var fork = false
    /// What the run is called on the charts from this step on (`name = "R=4"`). A fork's ghost
    /// keeps the name the run had before the fork; a swap takes the names along.
    public var runName: String?
    /// Measure the sharpness every K steps from this step on (0: not until another change); the
    /// run must measure it at all (`sharpness-every` > 0 at the top), so its rows keep their
    /// columns (THEORY.md §16).
    public var sharpnessEvery: Int?
    /// After a fork, this change acts on the ghost as well as the fork (`both = true`), so a
    /// story can change both runs alike (THEORY.md §17); before any fork it acts on the one run.
    public var both = false

    /// Whether the entry only narrates (caption, pause, focus, family, pace, name) and leaves training as it is.
    public var isNarration: Bool {
        self
            == ScheduledChange(
                step: step, say: say, pause: pause, focus: focus, family: family, speed: speed, runName: runName)
    }

    public init(
        step: Int, learningRate: Double? = nil, momentum: Double? = nil, weightDecay: Double? = nil,
        teleports: [Teleport] = [], say: String? = nil, pause: Bool = false, focus: String? = nil,
        family: String? = nil,
        speed: Int? = nil, fork: Bool = false, optimizer: OptimizerKind? = nil, batchSize: Int? = nil,
        both: Bool = false, sharpnessEvery: Int? = nil, runName: String? = nil
    ) {
        self.fork = fork
        self.runName = runName
        self.batchSize = batchSize
        self.both = both
        self.sharpnessEvery = sharpnessEvery
        self.optimizer = optimizer
        self.step = step
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.teleports = teleports
        self.say = say
        self.pause = pause
        self.focus = focus
        self.family = family
        self.speed = speed
    }

    /// True when the change touches the live parameters (narration alone does not).
    public var changesParameters: Bool {
        learningRate != nil || momentum != nil || weightDecay != nil || optimizer != nil || batchSize != nil
    }

    /// True when the change moves θ itself (a teleport).
    public var movesParameters: Bool { !teleports.isEmpty }

    /// The `[[at]]` table that presets and recordings store this change as; a second teleport at
    /// the same step takes a table of its own (a table holds one `teleport` key), and reading
    /// merges them back in order.
    var toml: String {
        var s = "\n[[at]]\nstep = \(step)\n"
        if fork { s += "fork = true\n" }
        if let runName { s += "name = \(TOML.format(.string(runName)))\n" }
        if both { s += "both = true\n" }
        if let optimizer { s += "optimizer = \(TOML.format(.string(optimizer.rawValue)))\n" }
        if let learningRate { s += "lr = \(TOML.format(.float(learningRate)))\n" }
        if let momentum { s += "momentum = \(TOML.format(.float(momentum)))\n" }
        if let weightDecay { s += "weight-decay = \(TOML.format(.float(weightDecay)))\n" }
        if let batchSize { s += "batch-size = \(batchSize)\n" }
        if let sharpnessEvery { s += "sharpness-every = \(sharpnessEvery)\n" }
        if let first = teleports.first { s += "teleport = \(TOML.format(first.toml))\n" }
        if let say { s += "say = \(TOML.format(.string(say)))\n" }
        if pause { s += "pause = true\n" }
        if let focus { s += "focus = \(TOML.format(.string(focus)))\n" }
        if let family { s += "family = \(TOML.format(.string(family)))\n" }
        if let speed { s += "speed = \(speed)\n" }
        for t in teleports.dropFirst() {
            s += "\n[[at]]\nstep = \(step)\n\(both ? "both = true\n" : "")teleport = \(TOML.format(t.toml))\n"
        }
        return s
    }

    public func applied(to p: LiveParameters) -> LiveParameters {
        var p = p
        if let learningRate { p.learningRate = learningRate }
        if let momentum { p.momentum = momentum }
        if let weightDecay { p.weightDecay = weightDecay }
        return p
    }
}

extension ScheduledChange {
    static let narrationKeys = ["say", "pause", "focus", "family", "speed", "fork", "name", "both"]

    /// Reads one narration key: nil when `key` is not one, "" when read, else what is wrong.
    mutating func applyNarration(_ key: String, _ value: TOMLValue) -> String? {
        switch key {
        case "say", "focus", "family", "name":
            guard case .string(let text) = value, !text.isEmpty else { return "\(key) must be a non-empty string" }
            switch key {
            case "say": say = text
            case "focus": focus = text
            case "family": family = text
            default:
                guard text.count <= 24 else {
                    return "name (what the run is called on the charts) must be 1…24 characters, got \(text.count)"
                }
                runName = text
            }
        case "pause", "fork", "both":
            guard case .bool(let b) = value else { return "\(key) must be true or false" }
            if key == "pause" { pause = b } else if key == "fork" { fork = b } else { both = b }
        case "speed":
            guard case .integer(let n) = value, n >= 0, n <= 1_000_000 else {
                return "speed must be an integer number of steps per second, 0…1000000 (0 = as fast as possible)"
            }
            speed = n
        default: return nil
        }
        return ""
    }
}

/// A configuration with a title, a description of what to look at, and scheduled changes.
public struct Preset: Equatable, Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var config: Config
    public var schedule: [ScheduledChange]

    public init(name: String, title: String, description: String, config: Config, schedule: [ScheduledChange] = []) {
        self.name = name
        self.title = title
        self.description = description
        self.config = config
        self.schedule = schedule
    }

    /// The preset with `config` in place of its own settings (`given`: the keys that set it, as
    /// flags name them). A different length alone is the same story. Otherwise its description
    /// and captions, told for its own settings, would say what this run does not show: they are
    /// left out, and the title says "(modified)"; its scheduled changes still act.
    public func with(_ config: Config, given: [String]) -> Preset {
        var sameStory = self.config
        sameStory.steps = config.steps
        var p = self
        p.config = config
        guard config != sameStory else { return p }
        p.title = title + " (modified)"
        let flags = given.filter { $0 != "steps" }.map { "--" + $0 }.joined(separator: ", ")
        p.description =
            "\"\(title)\" with \(flags.isEmpty ? "other settings" : flags): its description and captions were "
            + "written for its own settings and are left out."
        for i in p.schedule.indices {
            p.schedule[i].say = nil
            p.schedule[i].pause = false
        }
        return p
    }
}

/// A preset, recording or sweep file that cannot be used, with the file, line and what is allowed.
public struct PresetError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var message: String
    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// The text of a file that noether reads (`what` names it in messages).
    static func text(of path: String, _ what: String, notText: String = "not UTF-8 text") throws(PresetError) -> String
    {
        let data: Data
        do { data = try InputFile.read(path) } catch {
            throw PresetError(file: path, line: nil, message: "cannot read \(what): \(error)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PresetError(file: path, line: nil, message: notText)
        }
        return text
    }
}

extension Preset {
    static let liveKeys = ["lr", "momentum", "weight-decay", "optimizer", "batch-size"]
    /// `[[at]]` keys that change what is measured, not the run.
    static let measurementKeys = ["sharpness-every"]

    /// The symmetries a configuration's model will have, known before its data is drawn; the
    /// second value is false when group names depend on a CSV file's width.
    static func symmetries(_ c: Config) -> (SymmetrySet, groupsKnown: Bool) {
        let shape = Dataset.shape(c)
        guard
            let arch = try? Architecture(
                config: c, inputDim: shape?.inputs ?? 1, outputDim: shape?.outputs ?? 2,
                task: c.resolvedTask, image: Dataset.image(c))
        else { return (SymmetrySet(), false) }
        return (SymmetrySet(arch: arch, optimizer: c.optimizer, settings: c.optimizerSettings), shape != nil)
    }

    /// Reads a preset from TOML text; `file` names it in messages.
    public static func parse(_ text: String, name: String, file: String) throws(PresetError) -> Preset {
        try checkTableCount(text, file: file)
        let doc: TOMLDocument
        do { doc = try TOML.parse(text) } catch {
            throw PresetError(file: file, line: error.line, message: error.message)
        }
        return try parse(document: doc, name: name, file: file, withinSteps: true)
    }

    /// The most `[[at]]` tables one file may hold (a recording of a long session holds one per
    /// change; a million is far beyond any).
    public static let maxChanges = 1_000_000

    /// Refuses a file with more table headers than `maxChanges`, counted on the bytes before
    /// any table is built, so that a huge file is refused at once.
    static func checkTableCount(_ text: String, file: String) throws(PresetError) {
        var headers = 0, lineStart = true
        for byte in text.utf8 {
            if lineStart, byte == UInt8(ascii: "[") { headers += 1 }
            lineStart = byte == 10 || byte == 13 || (lineStart && (byte == 32 || byte == 9))
        }
        guard headers <= maxChanges else {
            throw PresetError(
                file: file, line: nil,
                message: "about \(headers) tables; a file may hold at most \(maxChanges) [[at]] tables")
        }
    }

    /// `withinSteps`: a change after the run's last step is refused (a preset's own length); a
    /// recording's length is where it stopped, so it is not checked there.
    static func parse(document doc: TOMLDocument, name: String, file: String, withinSteps: Bool = false)
        throws(PresetError) -> Preset
    {
        guard doc.tables.count <= maxChanges else {
            throw PresetError(
                file: file, line: nil,
                message: "\(doc.tables.count) [[at]] tables; a file may hold at most \(maxChanges)")
        }
        var title = name, description = ""
        var entries: [TOMLEntry] = []
        for e in doc.top {
            switch e.key {
            case "title", "description":
                guard case .string(let s) = e.value else {
                    throw PresetError(
                        file: file, line: e.line, message: "\(e.key) must be a string, got \(e.value.typeName)")
                }
                if e.key == "title" { title = s } else { description = s }
            default: entries.append(e)
            }
        }
        let c: Config
        do { c = try Config.decoding(entries, over: Config()) } catch {
            let allowed =
                error.message.hasPrefix("unknown key")
                ? "; allowed: title, description, \(Config.keys.joined(separator: ", ")), and [[at]] tables" : ""
            throw PresetError(file: file, line: error.line, message: error.message + allowed)
        }
        do { try c.validate() } catch {
            let line = doc.top.first { $0.key == error.field || Config.aliases[$0.key] == error.field }?.line
            throw PresetError(file: file, line: line, message: "\(error.field) \(error.message)")
        }
        var schedule: [ScheduledChange] = []
        var live = c.live
        /// The model's symmetries, built once for every teleport of the file.
        var known: (SymmetrySet, groupsKnown: Bool)?
        for table in doc.tables {
            guard table.name == "at" else {
                throw PresetError(
                    file: file, line: table.line, message: "unknown table [[\(table.name)]]; only [[at]] is allowed")
            }
            var change = ScheduledChange(step: -1)
            for e in table.entries {
                if e.key == "teleport" {
                    do {
                        let t = try Teleport(toml: e.value)
                        if known == nil { known = Self.symmetries(c) }
                        _ = try t.resolve(in: known!.0, checksGroup: known!.groupsKnown)
                        change.teleports.append(t)
                    } catch { throw PresetError(file: file, line: e.line, message: "\(error)") }
                    continue
                }
                if e.key == "step" {
                    guard case .integer(let n) = e.value, n >= 0 else {
                        throw PresetError(file: file, line: e.line, message: "step must be a non-negative integer")
                    }
                    change.step = n
                    continue
                }
                if let problem = change.applyNarration(e.key, e.value) {
                    if problem.isEmpty { continue }
                    throw PresetError(file: file, line: e.line, message: problem)
                }
                if e.key == "sharpness-every" {
                    guard case .integer(let n) = e.value, (0...Config.maxSteps).contains(n) else {
                        throw PresetError(
                            file: file, line: e.line,
                            message:
                                "sharpness-every must be 0 (pause) or a number of steps 1…\(Config.maxSteps), got \(TOML.excerpt(TOML.format(e.value)))"
                        )
                    }
                    guard c.sharpnessEvery > 0 else {
                        throw PresetError(
                            file: file, line: e.line,
                            message:
                                "sharpness-every in [[at]] changes the interval of a run that measures the sharpness; set sharpness-every = K (> 0) at the top too"
                        )
                    }
                    change.sharpnessEvery = n
                    continue
                }
                guard liveKeys.contains(e.key) else {
                    throw PresetError(
                        file: file, line: e.line,
                        message:
                            "unknown key '\(TOML.excerpt(e.key))' in [[\(table.name)]]; allowed: step, \((liveKeys + measurementKeys).joined(separator: ", ")), teleport, \(ScheduledChange.narrationKeys.joined(separator: ", "))"
                    )
                }
                // Read directly, not through the whole configuration's decoding: a recording may
                // hold a million of these (same types and messages as Config.decoding).
                func wrong() -> PresetError {
                    PresetError(
                        file: file, line: e.line,
                        message: "\(e.key) \(Config.expectation(e.key)), got \(TOML.excerpt(TOML.format(e.value)))")
                }
                switch e.key {
                case "optimizer":
                    guard case .string(let name) = e.value, let kind = OptimizerKind(rawValue: name) else {
                        throw wrong()
                    }
                    change.optimizer = kind
                case "batch-size":
                    guard case .integer(let n) = e.value else { throw wrong() }
                    guard n >= 2, n <= 1_000_000 else {
                        throw PresetError(
                            file: file, line: e.line,
                            message: "batch-size must be 2…1000000 (more than the samples means all of them), got \(n)")
                    }
                    change.batchSize = Int(n)
                default:
                    guard let x = e.value.number else { throw wrong() }
                    if e.key == "lr" {
                        change.learningRate = x
                    } else if e.key == "momentum" {
                        change.momentum = x
                    } else {
                        change.weightDecay = x
                    }
                }
                live = change.applied(to: live)
                do {
                    try live.validate()
                    if let kind = change.optimizer {
                        try kind.rule.validate(c.optimizerSettings, momentum: live.momentum)
                    }
                } catch {
                    throw PresetError(file: file, line: e.line, message: "\(error.field) \(error.message)")
                }
            }
            guard change.step >= 0 else {
                throw PresetError(file: file, line: table.line, message: "[[at]] table needs step = N")
            }
            if change.fork, schedule.filter(\.fork).count >= Session.maxGhosts,
                schedule.last.map({ !($0.step == change.step && $0.fork) }) ?? true
            {
                throw PresetError(
                    file: file, line: table.line,
                    message:
                        "a story forks at most \(Session.maxGhosts) times (each fork keeps a ghost run); this is fork \(Session.maxGhosts + 1)"
                )
            }
            if change.both && change.fork {
                throw PresetError(
                    file: file, line: table.line,
                    message:
                        "an [[at]] table cannot both fork and act on both runs (both = true); put the change for both runs at an earlier step"
                )
            }
            if withinSteps, change.step > c.steps {
                let what = change.fork ? "fork" : change.movesParameters ? "teleport" : "change"
                throw PresetError(
                    file: file, line: table.line,
                    message:
                        "[[at]] step \(change.step) (a \(what)) is after the run's last step; steps are 0…\(c.steps) (steps = \(c.steps))"
                )
            }
            if let last = schedule.last, last.step > change.step {
                throw PresetError(
                    file: file, line: table.line,
                    message: "[[at]] steps must not decrease, got \(change.step) after \(last.step)")
            }
            if let last = schedule.last, last.step == change.step, last.both == change.both {
                // Several changes at one step (a recording of quick key presses) merge in order.
                schedule[schedule.count - 1] = ScheduledChange(
                    step: last.step, learningRate: change.learningRate ?? last.learningRate,
                    momentum: change.momentum ?? last.momentum, weightDecay: change.weightDecay ?? last.weightDecay,
                    teleports: last.teleports + change.teleports, say: change.say ?? last.say,
                    pause: change.pause || last.pause, focus: change.focus ?? last.focus,
                    family: change.family ?? last.family, speed: change.speed ?? last.speed,
                    fork: change.fork || last.fork,
                    optimizer: change.optimizer ?? last.optimizer, batchSize: change.batchSize ?? last.batchSize,
                    both: last.both, sharpnessEvery: change.sharpnessEvery ?? last.sharpnessEvery,
                    runName: change.runName ?? last.runName)
            } else {
                schedule.append(change)
            }
        }
        return Preset(name: name, title: title, description: description, config: c, schedule: schedule)
    }

    /// TOML text that `parse` reads back to this preset. Keys left at the default are omitted.
    public func toml() -> String {
        var s = "title = \(TOML.format(.string(title)))\n"
        s += "description = \(TOML.format(.string(description)))\n\n"
        s += Config.lines(config)
        for change in schedule { s += change.toml }
        return s
    }
}

/// Where presets come from: the built-in default, the shipped presets compiled in, and the
/// user's folders.
public enum PresetLibrary {
    public static let builtInDefault = Preset(
        name: "default", title: "Batch-norm ReLU MLP on blobs",
        description: """
            A 10-32-32-4 batch-norm ReLU network with momentum 0.5 and weight decay. Weight decay pulls the \
            scale charges (squared incoming weight norms) down from about 1.1, the finite learning rate holds \
            them up, and from step 1200 fc1's median holds near 0.22–0.23 where the two balance. The exact prediction sits on the \
            measured curve throughout.
            """,
        config: Config(),  // its `steps`, 2000, take about 30 s in the explorer
        schedule: [
            ScheduledChange(
                step: 0,
                say:
                    "Charge chart: fc1's median scale charge, each neuron's squared incoming weight norm. Weight decay pulls it down.",
                focus: "charge", family: "fc1.scale"),
            ScheduledChange(
                step: 600,
                say:
                    "Q⁽⁰⁾ is what weight decay alone would give. The measured median stays above it: the finite learning rate holds every charge above its Q⁽⁰⁾."
            ),
            ScheduledChange(
                step: 1200,
                say:
                    "Step 1200: the median levels off near 0.23; Q⁽⁰⁾ (0.10) keeps falling. Gap chart: their difference over the start, Γ/Q₀, is about 0.1 and grows.",
                pause: true, focus: "gap"),
            ScheduledChange(
                step: 1600,
                say:
                    "Normalization chart: fc1's η_eff = η/|θ|² rose from 0.09 to about 0.46, and the RMS angle per step hovers around √(2ηλ/(1+β)) = 0.026.",
                focus: "normalization"),
            ScheduledChange(
                step: 1900,
                say:
                    "Gap chart: Γ/Q₀ is now about 0.16 for fc1 while its median stays near 0.22: a gap that gradient flow, blind to the finite step, cannot produce.",
                focus: "gap"),
        ])

    /// Where the explorer saves presets (`w`) and where the picker lists the user's own:
    /// $XDG_CONFIG_HOME/noether/presets, else ~/.config/noether/presets.
    public static var userPresetsFolder: String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/noether/presets" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.config/noether/presets"
    }

    /// Folders of the user's own presets, in search order: the user folder, then each folder of
    /// $NOETHER_PRESETS (separated by ':').
    public static var userFolders: [String] {
        var folders = [userPresetsFolder]
        if let env = ProcessInfo.processInfo.environment["NOETHER_PRESETS"] {
            folders += env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        return folders
    }

    /// One preset with where it came from ("built-in" or its file).
    public struct Entry: Sendable {
        public var preset: Preset
        public var source: String
    }

    /// Every preset: the built-in default, the shipped presets compiled into the binary, then each
    /// `*.toml` of the user folders (a user file with a shipped preset's name takes its place).
    /// Files that cannot be read are skipped and returned with their errors, so one broken or
    /// half-written file never hides the others; hidden files and editor backups are ignored.
    public static func catalog(folders: [String] = userFolders) -> (entries: [Entry], skipped: [PresetError]) {
        var entries = [Entry(preset: builtInDefault, source: "built-in")]
        var skipped: [PresetError] = []
        for (name, text) in ShippedPresets.files {
            do {
                entries.append(
                    Entry(preset: try Preset.parse(text, name: name, file: "built-in \(name).toml"), source: "built-in")
                )
            } catch { skipped.append(error) }
        }
        for folder in folders {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for file in files.sorted() where file.hasSuffix(".toml") && !file.hasPrefix(".") && !file.hasPrefix("#") {
                let path = folder + "/" + file
                do {
                    let preset = try loadFile(path)
                    entries.removeAll { $0.preset.name == preset.name }
                    entries.append(Entry(preset: preset, source: path))
                } catch { skipped.append(error) }
            }
        }
        return (entries, skipped)
    }

    /// Every preset that can be read (see `catalog`).
    public static func all() -> [Preset] { catalog().entries.map(\.preset) }

    /// A preset by name (see `catalog`) or by path to a TOML file.
    public static func load(_ nameOrPath: String) throws(PresetError) -> Preset {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") { return try loadFile(nameOrPath) }
        let (entries, skipped) = catalog()
        if let p = entries.last(where: { $0.preset.name == nameOrPath }) { return p.preset }
        if let broken = skipped.first(where: {
            URL(fileURLWithPath: $0.file).deletingPathExtension().lastPathComponent == nameOrPath
        }) {
            throw broken
        }
        throw PresetError(
            file: nameOrPath, line: nil,
            message:
                "no such preset; available: \(entries.map(\.preset.name).joined(separator: ", ")) (user presets go in \(userPresetsFolder))"
        )
    }

    public static func loadFile(_ path: String) throws(PresetError) -> Preset {
        let text = try PresetError.text(of: path, "the preset file")
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try Preset.parse(text, name: name, file: path)
    }
}
