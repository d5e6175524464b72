import Dispatch
import Foundation

/// A recorded session: the starting configuration and every live change with its step, in
/// preset TOML with a format header. A session is one or more runs: run 0 starts with the
/// top-level configuration, and each `[[reset]]` ends the current run at its `step` and starts
/// the next from step 0 with the configuration it lists. `[[progress]]` notes how far a run
/// got (so a recording cut short still says), `[[stop]]` where the session ended. Tables after
/// a reset carry `run = N`; within a run they are in step order. Format 1 is format 2 without
/// resets and progress notes. Format 3 adds `from = K` to a `[[reset]]`: the new run replays
/// its changes silently to step K and goes on from there (the explorer's back-step or undo).
/// Replaying a recording gives the same observations bit for bit.
public struct Recording: Equatable, Sendable {
    public static let format = 3
    public static let readableFormats: ClosedRange<Int> = 1...3

    /// One run of the session, with the number of updates it lasted.
    public struct Run: Equatable, Sendable {
        public var preset: Preset
        public var steps: Int
        /// The step the run resumes at (a back-step or undo): its changes up to there replay silently.
        public var from = 0
    }

    public var runs: [Run]
    public var version: String
    /// The step of the last run at which recording stopped, when it stopped cleanly (a `[[stop]]`).
    public var stopStep: Int?
    /// Problems the recording survived, each naming the file: a torn last table that was
    /// dropped, a step held to the steps limit.
    public var warnings: [String]

    /// The session's first run: where a replay starts.
    public var preset: Preset { runs[0].preset }

    public static func parse(_ text: String, file: String) throws(PresetError) -> Recording {
        var warnings: [String] = []
        try Preset.checkTableCount(text, file: file)
        let text = try wholeTables(text, file: file, warnings: &warnings)
        var doc: TOMLDocument
        do { doc = try TOML.parse(text) } catch { throw PresetError(file: file, line: error.line, message: error.message) }
        guard let formatEntry = doc.top.first(where: { $0.key == "recording-format" }) else {
            throw PresetError(file: file, line: nil,
                              message: "not a noether recording (no recording-format line); record one with --record FILE")
        }
        guard case .integer(let format) = formatEntry.value, readableFormats.contains(format) else {
            throw PresetError(file: file, line: formatEntry.line,
                              message: "recording format \(TOML.format(formatEntry.value)) is not supported; this noether reads format \(readableFormats.lowerBound) to \(readableFormats.upperBound)")
        }
        var version = "unknown"
        if let v = doc.top.first(where: { $0.key == "noether-version" }), case .string(let s) = v.value { version = s }
        doc.top.removeAll { $0.key == "recording-format" || $0.key == "noether-version" }

        // Split the tables into runs.
        var runs = [(start: doc.top, tables: [(name: String, line: Int, entries: [TOMLEntry])](), end: Int?.none, noted: 0, from: 0)]
        var stop: (step: Int, line: Int)?
        for table in doc.tables {
            func integer(_ key: String) throws(PresetError) -> Int? {
                guard let e = table.entries.first(where: { $0.key == key }) else { return nil }
                guard case .integer(let n) = e.value, n >= 0 else {
                    throw PresetError(file: file, line: e.line, message: "\(key) must be a non-negative integer")
                }
                return n
            }
            if let stop {
                throw PresetError(file: file, line: table.line,
                                  message: "[[\(table.name)]] after the [[stop]] of line \(stop.line): a recording ends at its [[stop]]")
            }
            let current = runs.count - 1
            let run = try integer("run") ?? 0
            guard let step = try integer("step") else {
                throw PresetError(file: file, line: table.line, message: "[[\(table.name)]] table needs step = N")
            }
            // [[at]] order is checked where changes are read (several may share a step).
            if step < runs[current].noted, table.name != "at" {
                throw PresetError(file: file, line: table.line,
                                  message: "[[\(table.name)]] at step \(step) before step \(runs[current].noted), noted earlier in run \(current)")
            }
            switch table.name {
            case "reset":
                guard run == current + 1 else {
                    throw PresetError(file: file, line: table.line, message: "[[reset]] must start run \(current + 1), got run = \(run)")
                }
                runs[current].end = step
                let from = try integer("from") ?? 0
                runs.append((table.entries.filter { !["run", "step", "from"].contains($0.key) }, [], nil, from, from))
                continue
            case "at", "progress", "stop":
                guard run == current else {
                    throw PresetError(file: file, line: table.line,
                                      message: "[[\(table.name)]] of run \(run) where run \(current) is recorded (runs start at [[reset]] tables, in order)")
                }
            default:
                throw PresetError(file: file, line: table.line,
                                  message: "unknown table [[\(table.name)]]; a recording has [[at]], [[reset]], [[progress]] and [[stop]]")
            }
            runs[current].noted = max(runs[current].noted, step)
            if table.name == "at" { runs[current].tables.append((table.name, table.line, table.entries.filter { $0.key != "run" })) }
            if table.name == "stop" { stop = (step, table.line) }
        }
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var parsed: [Run] = []
        for (i, run) in runs.enumerated() {
            var preset = try Preset.parse(document: TOMLDocument(top: run.start, tables: run.tables), name: name, file: file)
            // A reset to another preset names it; a reset of the same run keeps the session's title.
            if let first = parsed.first, !run.start.contains(where: { $0.key == "title" }) {
                (preset.title, preset.description) = (first.preset.title, first.preset.description)
            }
            var steps = i == runs.count - 1 ? stop?.step ?? run.noted : run.end ?? run.noted
            if steps > Config.maxSteps {
                warnings.append("\(file): run \(i) is recorded to step \(steps), beyond the steps limit; replaying it to step \(Config.maxSteps)")
                steps = Config.maxSteps
            }
            parsed.append(Run(preset: preset, steps: steps, from: min(run.from, steps)))
        }
        return Recording(runs: parsed, version: version, stopStep: stop.map { min($0.step, Config.maxSteps) }, warnings: warnings)
    }

    /// The text up to its last whole table. The recorder writes each table with one write
    /// ending in a newline, so text that does not end in one was cut short: its last line
    /// may read as a different value (`step = 60` cut to `6`), so that table is dropped.
    static func wholeTables(_ text: String, file: String, warnings: inout [String]) throws(PresetError) -> String {
        // Bytes, not Characters: "\r\n" is one Character, so hasSuffix("\n") misses it.
        guard let last = text.utf8.last, last != UInt8(ascii: "\n") else { return text }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let header = lines.lastIndex(where: { $0.drop { $0 == " " || $0 == "\t" }.hasPrefix("[[") }) else {
            throw PresetError(file: file, line: lines.count,
                              message: "the recording is cut short in its configuration (the last line does not end); it cannot be replayed")
        }
        warnings.append("\(file):\(lines.count): the last line does not end (the recording was cut short); ignoring the incomplete table from line \(header + 1)\(dropped(lines[header...]))")
        return lines[..<header].joined(separator: "\n") + "\n"
    }

    /// What a torn table held, as far as its whole lines say: ", which held a teleport (fc1.scale)
    /// at step 40", so that a replay whose last row lacks it says why.
    static func dropped(_ lines: ArraySlice<Substring>) -> String {
        let name = lines.first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t[]")) } ?? ""
        var keys: [String: String] = [:]
        for (i, line) in lines.dropFirst().enumerated() {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            // The last line is the cut one: its key is known, its value may not be.
            let value = i == lines.count - 2 ? "cut" : parts[1].trimmingCharacters(in: .whitespaces)
            keys[parts[0].trimmingCharacters(in: .whitespaces)] = value
        }
        var what: [String] = []
        switch name {
        case "at":
            if let fork = keys["fork"], fork != "false" { what.append("a fork") }
            if let t = keys["teleport"] {
                let family = t == "cut" ? "" : t.split(separator: "\"").dropFirst().first.map { " (\($0))" } ?? ""
                what.append("a teleport\(family)")
            }
            let live = Preset.liveKeys.filter { keys[$0] != nil }.map { keys[$0] == "cut" ? "\($0) cut" : "\($0) = \(keys[$0]!)" }
            if !live.isEmpty { what.append("a change (\(live.joined(separator: ", ")))") }
            if what.isEmpty { what.append(lines.count > 2 ? "a change or narration" : "a change, teleport or fork") }
        case "reset": what.append("a reset to a new run")
        case "stop": what.append("the stop")
        case "progress": what.append("a progress note")
        default: return ""
        }
        let step = keys["step"].map { " at step \($0)" } ?? ""
        return ", which held " + what.joined(separator: " and ") + step
    }

    public static func load(_ path: String) throws(PresetError) -> Recording {
        try parse(PresetError.text(of: path, "the recording", notText: "not UTF-8 text: not a noether recording"), file: path)
    }
}

/// Appends a session to its file as it happens: the header and configuration at once, then
/// each change, reset and progress note, then the stop step. Every table goes to the kernel
/// in one write that ends in a newline, so a crash loses nothing already recorded and leaves
/// no partial table behind (or one that the reader can tell is partial).
public final class Recorder {
    public let path: String
    private let file: OutputFile
    /// Index of the current run within the session (0 until the first reset).
    public private(set) var run = 0
    private var lastProgress = 0.0

    public init(path: String, preset: Preset, version: String) throws(PresetError) {
        self.path = path
        do { file = try OutputFile(path: path) } catch { throw PresetError(file: path, line: nil, message: error.message) }
        var start = preset
        start.schedule = []
        try write("# noether session recording: replay with `noether replay \(URL(fileURLWithPath: path).lastPathComponent)`\n"
            + "recording-format = \(Recording.format)\nnoether-version = \(TOML.format(.string(version)))\n" + start.toml())
    }

    /// Records live parameters that apply from `step` on. Changes within one step merge on replay.
    public func record(_ change: ScheduledChange) throws(PresetError) {
        let table = change.toml
        try write(run == 0 ? table : table.replacingOccurrences(of: "[[at]]\n", with: "[[at]]\nrun = \(run)\n"))
    }

    /// The run was reset at `step` of the current run; what follows belongs to a new run that
    /// starts from step 0 with `preset`'s configuration. A recording is the whole session,
    /// through every reset, so a replay can reproduce it.
    public func reset(at step: Int, to preset: Preset) throws(PresetError) {
        run += 1
        let story = "title = \(TOML.format(.string(preset.title)))\ndescription = \(TOML.format(.string(preset.description)))\n"
        try write("\n[[reset]]\nrun = \(run)\nstep = \(step)\n" + story + Config.lines(preset.config))
    }

    /// Notes the step the run has reached, at most every `interval` seconds, so that a recording
    /// cut short (kill -9, power loss) still says how far it went.
    public func progress(at step: Int, interval: Double = 2) throws(PresetError) {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        guard now - lastProgress >= interval else { return }
        lastProgress = now
        try write("\n[[progress]]\nrun = \(run)\nstep = \(step)\n")
    }

    /// The run went back to `step` at step `oldStep` (a back-step or an undo): a new run of
    /// `preset`'s configuration with `changes` (every change kept, at its step), resuming at `step`.
    public func rewind(at oldStep: Int, to step: Int, preset: Preset, changes: [ScheduledChange]) throws(PresetError) {
        run += 1
        let story = "title = \(TOML.format(.string(preset.title)))\ndescription = \(TOML.format(.string(preset.description)))\n"
        var text = "\n[[reset]]\nrun = \(run)\nstep = \(oldStep)\nfrom = \(step)\n" + story + Config.lines(preset.config)
        for change in changes { text += change.toml.replacingOccurrences(of: "[[at]]\n", with: "[[at]]\nrun = \(run)\n") }
        try write(text)
    }

    public func stop(at step: Int) throws(PresetError) {
        try write("\n[[stop]]\n" + (run == 0 ? "" : "run = \(run)\n") + "step = \(step)\n")
        do { try file.close() } catch { throw PresetError(file: path, line: nil, message: error.message) }
    }

    private func write(_ text: String) throws(PresetError) {
        do { try file.write(text) } catch {
            throw PresetError(file: path, line: nil, message: error.message)
        }
    }
}
