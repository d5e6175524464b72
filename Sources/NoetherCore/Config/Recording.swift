import Dispatch
import Foundation

/// A recorded session: the starting configuration and every live change with its step, in
/// preset TOML with a format header. The recorder appends and writes through at once, so a
/// crash loses nothing already recorded; replaying it gives the same observations bit for bit.
public struct Recording: Equatable, Sendable {
    public static let format = 1
    public var preset: Preset
    public var version: String
    /// The step at which recording stopped, when it stopped cleanly.
    public var stopStep: Int?

    public static func parse(_ text: String, file: String) throws(PresetError) -> Recording {
        var doc: TOMLDocument
        do { doc = try TOML.parse(text) } catch { throw PresetError(file: file, line: error.line, message: error.message) }
        guard let formatEntry = doc.top.first(where: { $0.key == "recording-format" }) else {
            throw PresetError(file: file, line: nil,
                              message: "not a noether recording (no recording-format line); record one with --record FILE")
        }
        guard case .integer(let format) = formatEntry.value, format == Recording.format else {
            throw PresetError(file: file, line: formatEntry.line,
                              message: "recording format \(TOML.format(formatEntry.value)) is not supported; this noether reads format \(Recording.format)")
        }
        var version = "unknown"
        if let v = doc.top.first(where: { $0.key == "noether-version" }), case .string(let s) = v.value { version = s }
        doc.top.removeAll { $0.key == "recording-format" || $0.key == "noether-version" }
        var stop: Int?
        for table in doc.tables where table.name == "stop" {
            guard let e = table.entries.first(where: { $0.key == "step" }), case .integer(let n) = e.value, n >= 0 else {
                throw PresetError(file: file, line: table.line, message: "[[stop]] needs step = N")
            }
            stop = n
        }
        if let last = doc.tables.last, last.name != "stop", let stop, let change = last.entries.first(where: { $0.key == "step" }),
           case .integer(let n) = change.value, n > stop {
            throw PresetError(file: file, line: last.line, message: "change at step \(n) after the recording stopped at \(stop)")
        }
        doc.tables.removeAll { $0.name == "stop" }
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let preset = try Preset.parse(document: doc, name: name, file: file)
        return Recording(preset: preset, version: version, stopStep: stop)
    }

    public static func load(_ path: String) throws(PresetError) -> Recording {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PresetError(file: path, line: nil, message: "cannot read the recording (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PresetError(file: path, line: nil, message: "not UTF-8 text: not a noether recording")
        }
        return try parse(text, file: path)
    }
}

/// Appends a session to its file as it happens: the header and configuration at once, then
/// each change, then the stop step. Every write goes straight to the kernel.
public final class Recorder {
    public let path: String
    private let handle: FileHandle
    /// Index of the current run within the session (0 until the first reset).
    public private(set) var run = 0
    private var lastProgress = 0.0

    public init(path: String, preset: Preset, version: String) throws(PresetError) {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw PresetError(file: path, line: nil, message: "cannot create the recording file")
        }
        self.handle = handle
        var start = preset
        start.schedule = []
        try write("# noether session recording: replay with `noether replay \(URL(fileURLWithPath: path).lastPathComponent)`\n"
            + "recording-format = \(Recording.format)\nnoether-version = \(TOML.format(.string(version)))\n" + start.toml())
    }

    /// Records live parameters that apply from `step` on. Changes within one step merge on replay.
    public func record(_ change: ScheduledChange) throws(PresetError) {
        try write(change.toml)
    }

    /// The run was reset at `step` of the current run; what follows belongs to a new run that
    /// starts from step 0 with `preset`'s configuration. A recording is the whole session,
    /// through every reset, so a replay can reproduce it.
    public func reset(at step: Int, to preset: Preset) throws(PresetError) {
        run += 1
        try write("\n[[reset]]\nrun = \(run)\nstep = \(step)\n" + Preset.configLines(preset.config))
    }

    /// Notes the step the run has reached, at most every `interval` seconds, so that a recording
    /// cut short (kill -9, power loss) still says how far it went.
    public func progress(at step: Int, interval: Double = 2) throws(PresetError) {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        guard now - lastProgress >= interval else { return }
        lastProgress = now
        try write("\n[[progress]]\nrun = \(run)\nstep = \(step)\n")
    }

    public func stop(at step: Int) throws(PresetError) {
        try write("\n[[stop]]\nstep = \(step)\n")
        try? handle.close()
    }

    private func write(_ text: String) throws(PresetError) {
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw PresetError(file: path, line: nil, message: "cannot write the recording: \(error.localizedDescription)")
        }
    }
}
